/**
 * The global head series limit (`--storage.tsdb.max-series`): a storage engine asks it before
 * creating a series in its head. Samples of existing series are never refused, so a target
 * that suddenly grows labels loses only its new series, and every such refusal is counted.
 * @module
 */
import { Counter, type Registry } from '../metrics/mod.ts';
import type { Labels } from '../model/labels.ts';
import { StorageError } from './errors.ts';

/** A sample that would create a head series beyond the configured limit. */
export class SeriesLimitError extends StorageError {
  override name = 'SeriesLimitError';
}

/** The limit and its counter, shared by every appender of one storage. */
export class HeadSeriesLimit {
  /** Largest number of head series; 0: no limit. */
  readonly max: number;
  readonly #rejected: Counter;

  constructor(max: number, registry?: Registry) {
    this.max = max > 0 ? Math.floor(max) : 0;
    const name = 'beacon_tsdb_head_series_limit_rejected_samples_total';
    this.#rejected = (registry?.get(name) as Counter | undefined) ?? new Counter({
      name,
      help:
        'Samples refused because they would have created a head series beyond --storage.tsdb.max-series.',
      registers: registry ? [registry] : [],
    });
  }

  /** Whether a new series would pass the limit with `current` head series. */
  full(current: number): boolean {
    return this.max > 0 && current >= this.max;
  }

  /**
   * Counts and throws the refusal of `labels`.
   * @throws {SeriesLimitError} always.
   */
  reject(labels: Labels): never {
    this.#rejected.inc();
    throw new SeriesLimitError(
      `head series limit of ${this.max} reached (--storage.tsdb.max-series): refusing new series ${labels.toString()}`,
    );
  }
}
