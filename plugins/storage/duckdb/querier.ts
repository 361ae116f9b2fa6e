/**
 * Reads head and blocks together: postings from the catalog, head samples decoded from
 * chunks, block samples from DuckDB, merged per series with de-duplication (on equal
 * timestamps the head wins, then the newer block).
 * @module
 */
import type { Matcher } from '../../../core/model/mod.ts';
import {
  DecodedSeries,
  EMPTY_COLUMNS,
  type Querier,
  type SampleColumns,
  type SelectHints,
  type Series,
  type SeriesSet,
  seriesSetOf,
} from '../../../core/storage/mod.ts';
import type { BlockMeta, BlockStore } from './blocks.ts';
import type { Head } from './head.ts';

/** A querier over [mint, maxt] of head and blocks. */
export class TsdbQuerier implements Querier {
  readonly mint: number;
  readonly maxt: number;
  readonly #head: Head;
  readonly #blocks: BlockStore;
  readonly #metas: () => readonly BlockMeta[];

  constructor(
    head: Head,
    blocks: BlockStore,
    metas: () => readonly BlockMeta[],
    mint: number,
    maxt: number,
  ) {
    this.#head = head;
    this.#blocks = blocks;
    this.#metas = metas;
    this.mint = mint;
    this.maxt = maxt;
  }

  async select(matchers: readonly Matcher[], hints?: SelectHints): Promise<SeriesSet> {
    const head = this.#head;
    const { mint, maxt } = this;
    const refs = head.catalog.postings(matchers);
    // Head and block list are taken in one synchronous step: a compaction finishing during
    // the block read below moves data from the head to a block this read does not look at,
    // so nothing is missed or counted twice.
    const blockIds = this.#metas().filter((b) => b.maxt >= mint && b.mint <= maxt).map((b) => b.id);
    const labelsOnly = hints?.func === 'series';
    const headParts: (SampleColumns | undefined)[] = new Array(refs.length);
    const ids = refs.map((r) => head.idOf[r]);
    const labelSets = refs.map((r) => head.catalog.labels(r));
    for (let i = 0; i < refs.length; i++) {
      const s = head.series[refs[i]];
      if (s !== undefined && s.sampleCount > 0 && s.minTime <= maxt && s.maxTime >= mint) {
        const c = s.decode(mint, maxt);
        if (c.t.length > 0) headParts[i] = c;
      }
    }
    let fromBlocks = new Map<number, SampleColumns[]>();
    if (blockIds.length > 0 && refs.length > 0) {
      // Every series selected: no id list in the SQL.
      fromBlocks = await this.#blocks.read(
        blockIds,
        refs.length === head.catalog.size ? undefined : ids,
        mint,
        maxt,
      );
    }
    const out: Series[] = [];
    for (let i = 0; i < refs.length; i++) {
      const labels = labelSets[i];
      if (labels === undefined) continue;
      const parts: SampleColumns[] = [];
      if (headParts[i] !== undefined) parts.push(headParts[i]!);
      const b = fromBlocks.get(ids[i]);
      if (b !== undefined) { for (let k = b.length - 1; k >= 0; k--) parts.push(b[k]); }
      if (parts.length === 0) continue;
      out.push(new DecodedSeries(labels, labelsOnly ? EMPTY_COLUMNS : merge(parts)));
    }
    return seriesSetOf(out);
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

/** Merges sorted column sets; on equal timestamps the earlier part wins. */
export function merge(parts: readonly SampleColumns[]): SampleColumns {
  if (parts.length === 1) return parts[0];
  let cap = 0;
  for (const p of parts) cap += p.t.length;
  const t = new Float64Array(cap), v = new Float64Array(cap);
  let stale: Uint8Array | undefined;
  const pos = new Array<number>(parts.length).fill(0);
  let n = 0;
  for (;;) {
    let best = -1, bt = Infinity;
    for (let k = 0; k < parts.length; k++) {
      const i = pos[k];
      if (i < parts[k].t.length && parts[k].t[i] < bt) {
        bt = parts[k].t[i];
        best = k;
      }
    }
    if (best < 0) break;
    const p = parts[best], i = pos[best];
    t[n] = bt;
    v[n] = p.v[i];
    if (p.stale?.[i]) (stale ??= new Uint8Array(cap))[n] = 1;
    n++;
    for (let k = 0; k < parts.length; k++) {
      if (pos[k] < parts[k].t.length && parts[k].t[pos[k]] === bt) pos[k]++;
    }
  }
  return {
    t: t.subarray(0, n),
    v: v.subarray(0, n),
    ...(stale ? { stale: stale.subarray(0, n) } : {}),
  };
}
