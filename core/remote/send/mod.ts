/**
 * The remote-write sender (remote write 1.0: protobuf + snappy): a queue per `remote_write`
 * entry with shards, batching, retries and backoff, fed durably from the storage's
 * write-ahead log (or, without one, from its commits in memory).
 *
 * @example
 * ```ts
 * const sender = new RemoteWriteManager({ storage, logger, registry });
 * await sender.apply(config); // again on every reload
 * await sender.stop();
 * ```
 * @module
 */
export { remoteName, type RemoteWriteDeps, RemoteWriteManager } from './manager.ts';
export { type QueueDeps, QueueManager, type QueueOptions } from './queue_manager.ts';
export {
  parseRetryAfter,
  RecoverableError,
  WriteClient,
  type WriteClientOptions,
} from './client.ts';
export { CommitFeed } from './commit_feed.ts';
export { SenderMetrics } from './metrics.ts';
