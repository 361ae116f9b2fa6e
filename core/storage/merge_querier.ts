/**
 * Reading several queriers as one, as Prometheus's fanout storage does: the primary (local
 * storage) must answer; a secondary (a remote-read endpoint) that fails only adds a warning,
 * so the query returns partial results. Series with the same labels are merged into one, and
 * samples with the same timestamp are kept once (the primary's first).
 * @module
 */
import type { Labels } from '../model/labels.ts';
import type { Matcher } from '../model/matcher.ts';
import type { Querier, SampleColumns, SelectHints, Series, SeriesSet } from './interface.ts';
import { seriesSetOf } from './series_set.ts';

/**
 * One querier over `primary` and `secondaries`; its range is the primary's. Closing it closes
 * them all. With no secondaries the primary itself is returned.
 *
 * @example
 * ```ts
 * const q = mergeQueriers(local.querier(mint, maxt), [remote.querier(mint, maxt)]);
 * const set = await q.select(matchers); // set.warnings holds a failed remote's error
 * ```
 */
export function mergeQueriers(primary: Querier, secondaries: readonly Querier[]): Querier {
  if (secondaries.length === 0) return primary;
  return new MergeQuerier(primary, secondaries);
}

class MergeQuerier implements Querier {
  readonly mint: number;
  readonly maxt: number;
  readonly #primary: Querier;
  readonly #secondaries: readonly Querier[];

  constructor(primary: Querier, secondaries: readonly Querier[]) {
    this.#primary = primary;
    this.#secondaries = secondaries;
    this.mint = primary.mint;
    this.maxt = primary.maxt;
  }

  async select(matchers: readonly Matcher[], hints?: SelectHints): Promise<SeriesSet> {
    const [local, ...others] = await Promise.allSettled([
      this.#primary.select(matchers, hints),
      ...this.#secondaries.map((q) => q.select(matchers, hints)),
    ]);
    if (local.status === 'rejected') throw local.reason;
    const warnings = [...local.value.warnings];
    const sets = [local.value];
    for (const r of others) {
      if (r.status === 'fulfilled') {
        sets.push(r.value);
        warnings.push(...r.value.warnings);
      } else warnings.push(errorText(r.reason));
    }
    return seriesSetOf(mergeSeries(sets), warnings, true);
  }

  async labelNames(matchers?: readonly Matcher[], limit?: number): Promise<string[]> {
    return union(
      await this.#primary.labelNames(matchers, limit),
      await this.#fromSecondaries((q) => q.labelNames(matchers, limit)),
      limit,
    );
  }

  async labelValues(name: string, matchers?: readonly Matcher[], limit?: number) {
    return union(
      await this.#primary.labelValues(name, matchers, limit),
      await this.#fromSecondaries((q) => q.labelValues(name, matchers, limit)),
      limit,
    );
  }

  close(): void {
    this.#primary.close();
    for (const q of this.#secondaries) q.close();
  }

  // The label APIs have no warnings channel: a failed secondary contributes nothing.
  async #fromSecondaries(f: (q: Querier) => Promise<string[]>): Promise<string[][]> {
    const all = await Promise.allSettled(this.#secondaries.map(f));
    return all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }
}

/** The message a failed secondary leaves as a warning. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function union(first: string[], rest: string[][], limit?: number): string[] {
  if (rest.length === 0) return first;
  const s = new Set(first);
  for (const l of rest) for (const x of l) s.add(x);
  const out = [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return limit !== undefined && limit > 0 ? out.slice(0, limit) : out;
}

/** Merges sorted series lists; equal label sets become one chained series. */
function mergeSeries(sets: readonly SeriesSet[]): Series[] {
  const byKey = new Map<string, Series[]>();
  for (const set of sets) {
    for (const s of set.series) {
      const k = s.labels.toString();
      const group = byKey.get(k);
      if (group) group.push(s);
      else byKey.set(k, [s]);
    }
  }
  const out: Series[] = [];
  for (const group of byKey.values()) {
    out.push(group.length === 1 ? group[0] : new ChainedSeries(group[0].labels, group));
  }
  return out.sort((a, b) => a.labels.compare(b.labels));
}

/** Several series with the same labels read as one; a timestamp present twice is kept once. */
class ChainedSeries implements Series {
  readonly labels: Labels;
  readonly #parts: readonly Series[];

  constructor(labels: Labels, parts: readonly Series[]) {
    this.labels = labels;
    this.#parts = parts;
  }

  samples(): SampleColumns {
    return mergeColumns(this.#parts.map((p) => p.samples()));
  }
}

/** Merges time-ordered columns; on equal timestamps the earlier input wins. */
export function mergeColumns(cols: readonly SampleColumns[]): SampleColumns {
  const nonEmpty = cols.filter((c) => c.t.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? cols[0];
  let total = 0;
  for (const c of nonEmpty) total += c.t.length;
  const t = new Float64Array(total), v = new Float64Array(total);
  const anyStale = nonEmpty.some((c) => c.stale !== undefined);
  const stale = anyStale ? new Uint8Array(total) : undefined;
  const pos = new Array<number>(nonEmpty.length).fill(0);
  let n = 0;
  for (;;) {
    // Few inputs (local plus a handful of remotes): a linear scan beats a heap.
    let best = -1, bestT = Infinity;
    for (let i = 0; i < nonEmpty.length; i++) {
      const p = pos[i];
      if (p < nonEmpty[i].t.length && nonEmpty[i].t[p] < bestT) {
        best = i;
        bestT = nonEmpty[i].t[p];
      }
    }
    if (best < 0) break;
    const c = nonEmpty[best], p = pos[best];
    t[n] = bestT;
    v[n] = c.v[p];
    if (stale) stale[n] = c.stale?.[p] ?? 0;
    n++;
    // Every input drops its sample at this timestamp: the one taken stands for all.
    for (let i = 0; i < nonEmpty.length; i++) {
      while (pos[i] < nonEmpty[i].t.length && nonEmpty[i].t[pos[i]] === bestT) pos[i]++;
    }
  }
  return {
    t: t.subarray(0, n),
    v: v.subarray(0, n),
    ...(stale && stale.subarray(0, n).some((x) => x === 1) ? { stale: stale.subarray(0, n) } : {}),
  };
}
