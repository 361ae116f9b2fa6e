/**
 * The config Beacon runs with when `--config.file` does not exist: it scrapes Beacon itself,
 * as Prometheus's example config does.
 * @module
 */

/** Name shown in errors and logs for the embedded config. */
export const DEFAULT_CONFIG_NAME = '<embedded default config>';

/** The embedded default config. */
export const DEFAULT_CONFIG_YAML =
  `# Beacon's embedded default config: scrape Beacon's own metrics every 15 seconds.
global:
  scrape_interval: 15s
  evaluation_interval: 15s

scrape_configs:
  - job_name: beacon
    static_configs:
      - targets: ['localhost:9090']
`;
