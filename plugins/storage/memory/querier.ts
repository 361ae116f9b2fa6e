/**
 * Reads the memory head: postings from the catalog, samples decoded from each series' chunks.
 * @module
 */
import type { Matcher } from '../../../core/model/mod.ts';
import {
  DecodedSeries,
  EMPTY_COLUMNS,
  type Querier,
  type SelectHints,
  type Series,
  type SeriesSet,
  seriesSetOf,
} from '../../../core/storage/mod.ts';
import type { Head } from './head.ts';

/** A querier over [mint, maxt] of the memory head. */
export class MemQuerier implements Querier {
  readonly mint: number;
  readonly maxt: number;
  readonly #head: Head;

  constructor(head: Head, mint: number, maxt: number) {
    this.#head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  select(matchers: readonly Matcher[], hints?: SelectHints): Promise<SeriesSet> {
    const head = this.#head;
    const out: Series[] = [];
    const labelsOnly = hints?.func === 'series';
    for (const ref of head.catalog.postings(matchers)) {
      const s = head.series[ref];
      if (s === undefined || !s.overlaps(this.mint, this.maxt)) continue;
      if (labelsOnly) {
        out.push(new DecodedSeries(s.labels, EMPTY_COLUMNS));
        continue;
      }
      const cols = s.decode(this.mint, this.maxt);
      if (cols.t.length > 0) out.push(new DecodedSeries(s.labels, cols));
    }
    return Promise.resolve(seriesSetOf(out));
  }

  labelNames(matchers?: readonly Matcher[], limit?: number): Promise<string[]> {
    const c = this.#head.catalog;
    const refs = matchers && matchers.length > 0 ? c.postings(matchers) : undefined;
    return Promise.resolve(c.labelNames(refs, limit));
  }

  labelValues(name: string, matchers?: readonly Matcher[], limit?: number): Promise<string[]> {
    const c = this.#head.catalog;
    const refs = matchers && matchers.length > 0 ? c.postings(matchers) : undefined;
    return Promise.resolve(c.labelValues(name, refs, limit));
  }

  close(): void {}
}
