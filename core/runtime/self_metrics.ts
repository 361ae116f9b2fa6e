/**
 * Beacon's own metrics about itself: build info, config reloads, readiness, process facts.
 * @module
 */
import type { Host } from '../host.ts';
import { Gauge, ProcessCollector, Registry } from '../metrics/mod.ts';
import { BUILD_INFO } from '../version.ts';

/** Handles on the self metrics the runtime updates. */
export interface SelfMetrics {
  registry: Registry;
  configReloadSuccess: Gauge;
  configReloadSuccessTime: Gauge;
  ready: Gauge;
}

/** Creates the registry with Beacon's self metrics. */
export function createSelfMetrics(host: Host): SelfMetrics {
  const registry = new Registry();
  const buildInfo = new Gauge({
    name: 'beacon_build_info',
    help:
      "A metric with a constant '1' value labeled by version, revision, branch, and runtime from which Beacon was built.",
    labelNames: ['version', 'revision', 'branch', 'runtime', 'runtime_version'] as const,
    registers: [registry],
  });
  buildInfo.labels({
    version: BUILD_INFO.version,
    revision: BUILD_INFO.revision,
    branch: BUILD_INFO.branch,
    runtime: host.runtime.name,
    runtime_version: host.runtime.version,
  }).set(1);
  const configReloadSuccess = new Gauge({
    name: 'beacon_config_last_reload_successful',
    help: 'Whether the last configuration reload attempt was successful.',
    registers: [registry],
  });
  const configReloadSuccessTime = new Gauge({
    name: 'beacon_config_last_reload_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration reload.',
    registers: [registry],
  });
  const ready = new Gauge({
    name: 'beacon_ready',
    help:
      'Whether Beacon startup was fully completed and the server is ready for normal operation.',
    registers: [registry],
  });
  registry.register(new ProcessCollector(host.processInfo));
  return { registry, configReloadSuccess, configReloadSuccessTime, ready };
}
