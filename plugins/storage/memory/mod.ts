/**
 * The `memory` storage plugin: Beacon's catalog and head without a disk, for the edge and
 * tests. Data lives as long as the process.
 *
 * @example In the config
 * ```yaml
 * plugins:
 *   - use: memory
 *     config: { retention_time: 2h, out_of_order_time_window: 5m }
 * ```
 * @module
 */
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import { type MemoryStorageConfig, memoryStorageConfigSchema } from './config.ts';
import { MemoryStorage } from './memory_storage.ts';

export { type MemoryStorageConfig, memoryStorageConfigSchema } from './config.ts';
export { MemoryStorage, type MemoryStorageOptions } from './memory_storage.ts';

/** A started memory storage: the {@link Storage} interface plus the plugin lifecycle. */
export class MemoryStoragePlugin extends MemoryStorage {
  /** Closes the storage. */
  stop(): Promise<void> {
    return this.close();
  }
}

/** The `memory` storage plugin definition. */
export const memoryStoragePlugin: PluginDefinition<MemoryStorageConfig> = definePlugin({
  kind: 'storage',
  name: 'memory',
  description: 'In-memory series catalog and compressed head; no persistence.',
  schema: memoryStorageConfigSchema,
  create(config, ctx) {
    return new MemoryStoragePlugin({
      retentionMs: config.retention_time,
      outOfOrderWindowMs: config.out_of_order_time_window,
      maxSeries: config.max_series,
      registry: ctx.registry,
    });
  },
});

export default memoryStoragePlugin;
