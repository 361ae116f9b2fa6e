/**
 * The DuckDB engine's config block: the four keys every storage engine gets from the runtime
 * (`path`, `retention_time`, `retention_size`, `out_of_order_time_window`) plus `block_range`
 * and `wal_fsync`.
 * @module
 */
import * as v from 'valibot';
import { pluginDuration as duration, pluginSize } from '../../../core/config/mod.ts';

/**
 * - `path`: the data directory (`--storage.tsdb.path`), default `data/`.
 * - `retention_time` (default `15d`) and `retention_size` (bytes or `512MB`; `0`: no limit):
 *   whole blocks past either limit are dropped.
 * - `block_range` (default `2h`): head data older than this, behind the newest sample, is
 *   compacted into DuckDB in windows of this length.
 * - `out_of_order_time_window` (default `0s`: disabled), as Prometheus.
 * - `wal_fsync`: `batch` (default) and `commit` both fsync the log before a `commit()`
 *   resolves, so a resolved commit survives kill -9 and power loss; `commit` fsyncs each commit
 *   on the spot (blocking the event loop for the disk's latency), `batch` shares one fsync
 *   among every commit waiting for it and runs it off the event loop (group commit);
 *   `none` leaves flushing to the OS: a resolved commit survives kill -9 of Beacon (the bytes
 *   are in the page cache) but not a power loss.
 * - `memory_limit` (default `512MB`): DuckDB's buffer pool for blocks, compaction and SQL;
 *   larger operations spill to `<data>/beacon.duckdb.tmp`. DuckDB's own default (80 % of RAM)
 *   would let a monitoring server's cache grow to the machine's size.
 */
export const duckdbStorageConfigSchema = v.strictObject({
  path: v.optional(v.string(), 'data/'),
  retention_time: duration('retention_time', '15d'),
  retention_size: pluginSize('retention_size', '0'),
  block_range: duration('block_range', '2h'),
  out_of_order_time_window: duration('out_of_order_time_window', '0s'),
  wal_fsync: v.optional(v.picklist(['commit', 'batch', 'none']), 'batch'),
  memory_limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size such as 512MB'),
    ),
    '512MB',
  ),
  /** Most head series (`--storage.tsdb.max-series`); 0: no limit. */
  max_series: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** The validated config: durations in milliseconds, sizes in bytes. */
export type DuckdbStorageConfig = v.InferOutput<typeof duckdbStorageConfigSchema>;
