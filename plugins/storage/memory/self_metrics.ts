/**
 * The memory head's own metrics, named as Prometheus's `prometheus_tsdb_*` with a `beacon_`
 * prefix.
 * @module
 */
import { Counter, Gauge, type Registry } from '../../../core/metrics/mod.ts';

/** Live figures the gauges read at collection time. */
export interface HeadFigures {
  series(): number;
  chunks(): number;
}

/** The head's counters and gauges. */
export class HeadMetrics {
  readonly samplesAppended: Counter;
  readonly oooAppended: Counter;
  readonly oooRejected: Counter;
  readonly tooOld: Counter;
  readonly duplicates: Counter;
  readonly #all: (Counter | Gauge)[];
  readonly #registry: Registry | undefined;

  constructor(registry: Registry | undefined, figures: HeadFigures) {
    const registers = registry ? [registry] : [];
    this.#registry = registry;
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
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
    const series = new Gauge({
      name: 'beacon_tsdb_head_series',
      help: 'Total number of series in the head.',
      registers,
      collect: (g) => g.set(figures.series()),
    });
    const chunks = new Gauge({
      name: 'beacon_tsdb_head_chunks',
      help: 'Total number of chunks in the head.',
      registers,
      collect: (g) => g.set(figures.chunks()),
    });
    this.#all = [
      this.samplesAppended,
      this.oooAppended,
      this.oooRejected,
      this.tooOld,
      this.duplicates,
      series,
      chunks,
    ];
  }

  /** Removes the metrics from the registry (on close, so a new instance can register). */
  unregister(): void {
    for (const m of this.#all) this.#registry?.unregister(m);
  }
}
