/**
 * The config block the runtime hands every storage engine. It is built from the command line
 * (`--storage.tsdb.path`, `--storage.tsdb.retention.time`, `--storage.tsdb.retention.size`) and
 * the config's `storage.tsdb` section, in Prometheus's text forms, and validated by the engine's
 * own schema — so an engine's schema must accept these four keys.
 * @module
 */

/** What every storage engine is configured with. */
export interface StorageEngineBlock {
  /** Data directory; engines without a disk ignore it. */
  path: string;
  /** Prometheus duration, e.g. `15d`. */
  retention_time: string;
  /** Byte size, e.g. `512MB`; `0` for no size limit. */
  retention_size: string;
  /** Prometheus duration; `0s` disables out-of-order ingestion. */
  out_of_order_time_window: string;
  /**
   * `--storage.tsdb.max-series`: most head series; present only when set (> 0), so an engine
   * that cannot enforce it rejects the setting instead of ignoring it.
   */
  max_series?: number;
  /** `--storage.tsdb.min-block-duration`, present only when given (engines with blocks). */
  block_range?: string;
}
