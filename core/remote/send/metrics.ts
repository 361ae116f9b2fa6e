/**
 * The sender's self metrics, named after Prometheus's `prometheus_remote_storage_*` with
 * Beacon's prefix and the same labels (`remote_name`, `url`). One set per registry; each
 * queue takes its labelled children and removes them when it stops.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from '../../metrics/mod.ts';

const P = 'beacon_remote_storage_';
type L = 'remote_name' | 'url';
const labelNames: L[] = ['remote_name', 'url'];

/** The metric families of the remote-write sender. */
export class SenderMetrics {
  readonly samplesTotal: Counter<L>;
  readonly samplesFailed: Counter<L>;
  readonly samplesRetried: Counter<L>;
  readonly samplesDropped: Counter<L>;
  readonly samplesPending: Gauge<L>;
  readonly enqueueRetries: Counter<L>;
  readonly shards: Gauge<L>;
  readonly shardsDesired: Gauge<L>;
  readonly shardsMin: Gauge<L>;
  readonly shardsMax: Gauge<L>;
  readonly maxSamplesPerSend: Gauge<L>;
  readonly highestSent: Gauge<L>;
  readonly sentBatchDuration: Histogram<L>;
  readonly bytesTotal: Counter<L>;
  readonly segmentsLost: Counter<L>;
  readonly metadataTotal: Counter<L>;
  readonly metadataFailed: Counter<L>;
  readonly metadataRetried: Counter<L>;
  readonly metadataBytes: Counter<L>;
  /** Newest timestamp appended to local storage, seconds (all queues). */
  readonly highestTimestamp: Gauge;
  readonly #registry?: Registry;

  constructor(registry?: Registry) {
    this.#registry = registry;
    const registers = registry ? [registry] : [];
    const c = (name: string, help: string) =>
      new Counter<L>({ name: P + name, help, labelNames, registers });
    const g = (name: string, help: string) =>
      new Gauge<L>({ name: P + name, help, labelNames, registers });
    this.samplesTotal = c('samples_total', 'Total number of samples sent to remote storage.');
    this.samplesFailed = c(
      'samples_failed_total',
      'Total number of samples which failed on send to remote storage, non-recoverable errors.',
    );
    this.samplesRetried = c(
      'samples_retried_total',
      'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.',
    );
    this.samplesDropped = c(
      'samples_dropped_total',
      'Total number of samples which were dropped after being read from the log before being sent via remote write: by relabelling, or because the in-memory queue was full.',
    );
    this.samplesPending = g(
      'samples_pending',
      'The number of samples pending in the queues shards to be sent to the remote storage.',
    );
    this.enqueueRetries = c(
      'enqueue_retries_total',
      'Total number of times enqueue has failed because a shards queue was full.',
    );
    this.shards = g(
      'shards',
      'The number of shards used for parallel sending to the remote storage.',
    );
    this.shardsDesired = g(
      'shards_desired',
      'The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.',
    );
    this.shardsMin = g(
      'shards_min',
      'The minimum number of shards that the queue is allowed to run.',
    );
    this.shardsMax = g(
      'shards_max',
      'The maximum number of shards that the queue is allowed to run.',
    );
    this.maxSamplesPerSend = g(
      'max_samples_per_send',
      'The maximum number of samples to be sent, in a single request, to the remote storage.',
    );
    this.highestSent = g(
      'queue_highest_sent_timestamp_seconds',
      'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.',
    );
    this.sentBatchDuration = new Histogram<L>({
      name: P + 'sent_batch_duration_seconds',
      help: 'Duration of send calls to the remote storage.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300],
      registers,
    });
    this.bytesTotal = c(
      'bytes_total',
      'The total number of bytes of data (not metadata) sent by the queue after compression.',
    );
    this.segmentsLost = c(
      'wal_segments_lost_total',
      'WAL segments a queue needed that were truncated before it read them (past the keep bound).',
    );
    this.metadataTotal = c(
      'metadata_total',
      'Total number of metadata entries sent to remote storage.',
    );
    this.metadataFailed = c(
      'metadata_failed_total',
      'Total number of metadata entries which failed on send to remote storage, non-recoverable errors.',
    );
    this.metadataRetried = c(
      'metadata_retried_total',
      'Total number of metadata entries which failed on send to remote storage but were retried because the send error was recoverable.',
    );
    this.metadataBytes = c(
      'metadata_bytes_total',
      'The total number of bytes of metadata sent by the queue after compression.',
    );
    this.highestTimestamp = new Gauge({
      name: P + 'highest_timestamp_in_seconds',
      help:
        'Highest timestamp that has come into the remote storage via the local storage, in seconds since epoch.',
      registers,
    });
  }

  /** Removes a queue's children (the queue stopped for good). */
  remove(labels: Record<L, string>): void {
    for (
      const m of [
        this.samplesTotal,
        this.samplesFailed,
        this.samplesRetried,
        this.samplesDropped,
        this.samplesPending,
        this.enqueueRetries,
        this.shards,
        this.shardsDesired,
        this.shardsMin,
        this.shardsMax,
        this.maxSamplesPerSend,
        this.highestSent,
        this.sentBatchDuration,
        this.bytesTotal,
        this.segmentsLost,
        this.metadataTotal,
        this.metadataFailed,
        this.metadataRetried,
        this.metadataBytes,
      ]
    ) m.remove(labels);
  }

  /** Unregisters every family (the sender is gone). */
  unregister(): void {
    const r = this.#registry;
    if (!r) return;
    for (const c of [...r.collectors()]) {
      if (c.names.some((n) => n.startsWith(P))) r.unregister(c);
    }
  }
}
