/**
 * The series a scrape loop writes about every scrape (`up`, `scrape_duration_seconds`, …),
 * with the target's labels, and their stale markers when the target goes away.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/mod.ts';
import {
  type Appender,
  DuplicateSampleError,
  OutOfOrderSampleError,
  type SeriesRef,
} from '../storage/mod.ts';

/** The values of one scrape's report. */
export interface ScrapeReport {
  up: boolean;
  durationSec: number;
  scraped: number;
  postRelabel: number;
  seriesAdded: number;
  /** For `extra_scrape_metrics`. */
  timeoutSec: number;
  sampleLimit: number;
  /** Body bytes; -1 when `body_size_limit` was hit. */
  bodyBytes: number;
}

const BASE = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;
const EXTRA = ['scrape_timeout_seconds', 'scrape_sample_limit', 'scrape_body_size_bytes'] as const;

/** Writes the report series of one target, caching their refs. */
export class ReportWriter {
  readonly #targetLabels: Labels;
  readonly #extra: boolean;
  readonly #refs = new Map<string, { ref: SeriesRef; labels: Labels }>();

  constructor(targetLabels: Labels, extra: boolean) {
    this.#targetLabels = targetLabels;
    this.#extra = extra;
  }

  /** Names of the series written, in order. */
  names(): readonly string[] {
    return this.#extra ? [...BASE, ...EXTRA] : BASE;
  }

  /** Appends the report of a scrape at `t` (ms). */
  write(app: Appender, t: number, r: ScrapeReport): void {
    const values = [
      r.up ? 1 : 0,
      r.durationSec,
      r.scraped,
      r.postRelabel,
      r.seriesAdded,
      r.timeoutSec,
      r.sampleLimit,
      r.bodyBytes,
    ];
    const names = this.names();
    for (let i = 0; i < names.length; i++) this.#append(app, names[i], t, values[i], false);
  }

  /** Appends stale markers for every report series at `t`. */
  writeStale(app: Appender, t: number): void {
    for (const n of this.names()) this.#append(app, n, t, NaN, true);
  }

  #append(app: Appender, name: string, t: number, v: number, stale: boolean): void {
    let e = this.#refs.get(name);
    if (!e) {
      const pairs: [string, string][] = [[METRIC_NAME, name]];
      this.#targetLabels.forEach((n, val) => pairs.push([n, val]));
      e = { ref: 0, labels: Labels.fromPairs(pairs) };
      this.#refs.set(name, e);
    }
    try {
      e.ref = stale ? app.appendStale(e.ref, e.labels, t) : app.append(e.ref, e.labels, t, v);
    } catch (err) {
      // Expected when a target comes back with a new loop: nothing to report.
      if (err instanceof OutOfOrderSampleError || err instanceof DuplicateSampleError) return;
      throw err;
    }
  }
}
