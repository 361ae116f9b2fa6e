/**
 * The engine's own metrics, named as Prometheus's `prometheus_tsdb_*` with a `beacon_` prefix.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from '../../../core/metrics/mod.ts';

/** Live figures the gauges read at collection time. */
export interface TsdbFigures {
  headSeries(): number;
  headChunks(): number;
  walBytes(): number;
  blocks(): number;
  blockBytes(): number;
}

/** The engine's counters, gauges and histograms. */
export class TsdbMetrics {
  readonly samplesAppended: Counter;
  readonly oooAppended: Counter;
  readonly oooRejected: Counter;
  readonly tooOld: Counter;
  readonly duplicates: Counter;
  readonly compactions: Counter;
  readonly compactionsFailed: Counter;
  readonly compactionDuration: Histogram;
  readonly fsyncDuration: Histogram;
  readonly walTruncations: Counter;
  readonly walCorruptions: Counter;
  readonly retentionBlocks: Counter;
  readonly #all: (Counter | Gauge | Histogram)[];
  readonly #registry: Registry | undefined;

  constructor(registry: Registry | undefined, f: TsdbFigures) {
    const registers = registry ? [registry] : [];
    this.#registry = registry;
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    const gauge = (name: string, help: string, get: () => number) =>
      new Gauge({ name, help, registers, collect: (g) => g.set(get()) });
    this.samplesAppended = counter(
      'beacon_tsdb_head_samples_appended_total',
      'Total number of appended samples.',
    );
    this.oooAppended = counter(
      'beacon_tsdb_head_out_of_order_samples_appended_total',
      'Total number of appended out-of-order samples.',
    );
    this.oooRejected = counter(
      'beacon_tsdb_out_of_order_samples_total',
      'Total number of out-of-order samples rejected (outside the out-of-order window).',
    );
    this.tooOld = counter(
      'beacon_tsdb_too_old_samples_total',
      'Total number of samples rejected as older than the storage accepts.',
    );
    this.duplicates = counter(
      'beacon_tsdb_duplicate_samples_total',
      'Total number of samples rejected for an existing timestamp with a different value.',
    );
    this.compactions = counter(
      'beacon_tsdb_compactions_total',
      'Total number of head windows compacted into DuckDB blocks.',
    );
    this.compactionsFailed = counter(
      'beacon_tsdb_compactions_failed_total',
      'Total number of compactions that failed.',
    );
    this.compactionDuration = new Histogram({
      name: 'beacon_tsdb_compaction_duration_seconds',
      help: 'Duration of head compactions into DuckDB.',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    });
    this.fsyncDuration = new Histogram({
      name: 'beacon_tsdb_wal_fsync_duration_seconds',
      help: 'Duration of WAL fsync.',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.walTruncations = counter(
      'beacon_tsdb_wal_truncations_total',
      'Total number of WAL truncations after compaction.',
    );
    this.walCorruptions = counter(
      'beacon_tsdb_wal_corruptions_total',
      'Total number of torn or corrupt WAL tails truncated on open.',
    );
    this.retentionBlocks = counter(
      'beacon_tsdb_blocks_removed_by_retention_total',
      'Total number of blocks removed by time or size retention.',
    );
    this.#all = [
      this.samplesAppended,
      this.oooAppended,
      this.oooRejected,
      this.tooOld,
      this.duplicates,
      this.compactions,
      this.compactionsFailed,
      this.compactionDuration,
      this.fsyncDuration,
      this.walTruncations,
      this.walCorruptions,
      this.retentionBlocks,
      gauge('beacon_tsdb_head_series', 'Total number of series in the head.', f.headSeries),
      gauge('beacon_tsdb_head_chunks', 'Total number of chunks in the head.', f.headChunks),
      gauge('beacon_tsdb_wal_storage_size_bytes', 'Size of the write-ahead log.', f.walBytes),
      gauge('beacon_tsdb_blocks_loaded', 'Number of blocks in DuckDB.', f.blocks),
      gauge(
        'beacon_tsdb_storage_blocks_bytes',
        'Bytes of the DuckDB database holding the blocks.',
        f.blockBytes,
      ),
    ];
  }

  /** Removes the metrics from the registry. */
  unregister(): void {
    for (const m of this.#all) this.#registry?.unregister(m);
  }
}
