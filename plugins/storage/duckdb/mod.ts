/**
 * The `duckdb` storage plugin, Beacon's default engine: an in-memory head made durable by a
 * write-ahead log, compacted into DuckDB blocks in (series, time) order, with retention by
 * time and size over whole blocks, and SQL views over the blocks (`series`, `samples`).
 *
 * Server-only: it uses `node:fs` and `@duckdb/node-api` (Node.js, Deno, Bun).
 *
 * @example In the config
 * ```yaml
 * storage:
 *   engine: duckdb   # path and retention come from --storage.tsdb.* flags
 * ```
 * @module
 */
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import { type DuckdbStorageConfig, duckdbStorageConfigSchema } from './config.ts';
import { DuckdbStorage } from './duckdb_storage.ts';

export { type DuckdbStorageConfig, duckdbStorageConfigSchema } from './config.ts';
export { DuckdbStorage, type DuckdbStorageOptions } from './duckdb_storage.ts';
export { type BlockMeta, BlockStore } from './blocks.ts';
export { DuckdbStateStore } from './state_store.ts';
export { migrate, type Migration, MIGRATIONS } from './state_migrations.ts';
export * as stateSchema from './state_schema.ts';
export { DuckdbSqlRunner } from './sql_runner.ts';
export { exportParquet, type ExportParquetOptions } from './sql_export.ts';
export { DirectoryLockedError } from './lock.ts';
export { crc32 } from './crc32.ts';

/** The `duckdb` storage plugin definition; its instance is a {@link DuckdbStorage} with `stop`. */
export const duckdbStoragePlugin: PluginDefinition<DuckdbStorageConfig> = definePlugin({
  kind: 'storage',
  name: 'duckdb',
  description: 'Head + write-ahead log, compacted into DuckDB blocks; the default engine.',
  schema: duckdbStorageConfigSchema,
  async create(config, ctx) {
    const storage = await DuckdbStorage.open({
      path: ctx.host?.resolvePath ? ctx.host.resolvePath(config.path) : config.path,
      retentionMs: config.retention_time,
      retentionBytes: config.retention_size,
      blockRangeMs: config.block_range,
      outOfOrderWindowMs: config.out_of_order_time_window,
      fsync: config.wal_fsync,
      memoryLimit: config.memory_limit,
      maxSeries: config.max_series,
      registry: ctx.registry,
      logger: ctx.logger,
    });
    return Object.assign(storage, { stop: () => storage.close() });
  },
});

export default duckdbStoragePlugin;
