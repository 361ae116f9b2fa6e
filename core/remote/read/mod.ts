/**
 * The `remote_read` client: each configured endpoint becomes a secondary queryable that a
 * FanoutStorage merges with local storage, with Prometheus's `required_matchers`,
 * `read_recent` and `filter_external_labels` semantics; a failing endpoint turns into a
 * query warning.
 *
 * @example
 * ```ts
 * const remoteRead = new RemoteReadManager({ storage: local, logger });
 * remoteRead.apply(config);
 * const storage = new FanoutStorage(local, () => remoteRead.queryables());
 * ```
 * @module
 */
export { ReadClient, type ReadClientOptions, ReadError, type ReadSeries } from './client.ts';
export { type ColumnSink, decodePrometheusXorChunk } from './xor_chunk_decode.ts';
export { ReadMetrics } from './metrics.ts';
export { RemoteReadEndpoint, type RemoteReadEndpointOptions } from './querier.ts';
export {
  type RemoteReadDeps,
  RemoteReadManager,
  remoteReadName,
  START_TIME_MARGIN_MS,
} from './manager.ts';
