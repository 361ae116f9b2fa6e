/**
 * The series catalog: label sets ⇄ series refs, and an inverted index (label name → value →
 * sorted refs) that answers matchers without touching samples. Shared by every engine.
 * @module
 */
import { compareStrings, type Labels, METRIC_NAME } from '../model/labels.ts';
import type { Matcher } from '../model/matcher.ts';
import type { StatEntry } from './interface.ts';
import { intersectAll, type Postings, removeSorted, subtract, union } from './postings.ts';

/** Top-N lists about label cardinality, as `/api/v1/status/tsdb` reports them. */
export interface CatalogStats {
  numSeries: number;
  numLabelPairs: number;
  seriesCountByMetricName: StatEntry[];
  labelValueCountByLabelName: StatEntry[];
  memoryInBytesByLabelName: StatEntry[];
  seriesCountByLabelValuePair: StatEntry[];
}

const encoder = new TextEncoder();

/**
 * Label sets by ref and refs by label set. Refs start at 1 and only grow, so postings stay
 * sorted by appending; a deleted ref is never reused.
 */
export class SeriesCatalog {
  #next = 1;
  readonly #labels: (Labels | undefined)[] = [undefined];
  // hash → ref, or refs when different label sets share a hash.
  readonly #byHash = new Map<number, number | number[]>();
  readonly #index = new Map<string, Map<string, number[]>>();
  readonly #all: number[] = [];
  #sortedNames: string[] | undefined;

  /** Number of live series. */
  get size(): number {
    return this.#all.length;
  }

  /** Every live ref, ascending. */
  get allRefs(): Postings {
    return this.#all;
  }

  /** The ref of `labels`, or 0. */
  ref(labels: Labels): number {
    const hit = this.#byHash.get(labels.hash());
    if (hit === undefined) return 0;
    if (typeof hit === 'number') return this.#labels[hit]!.equals(labels) ? hit : 0;
    for (const r of hit) if (this.#labels[r]!.equals(labels)) return r;
    return 0;
  }

  /** The label set of `ref`, or undefined when unknown or deleted. */
  labels(ref: number): Labels | undefined {
    return this.#labels[ref];
  }

  /** The ref of `labels`, creating the series when new. */
  getOrCreate(labels: Labels): number {
    const found = this.ref(labels);
    if (found !== 0) return found;
    const ref = this.#next++;
    this.#labels[ref] = labels;
    const h = labels.hash();
    const hit = this.#byHash.get(h);
    if (hit === undefined) this.#byHash.set(h, ref);
    else if (typeof hit === 'number') this.#byHash.set(h, [hit, ref]);
    else hit.push(ref);
    this.#all.push(ref);
    const flat = labels.flat;
    for (let i = 0; i < flat.length; i += 2) {
      let values = this.#index.get(flat[i]);
      if (values === undefined) {
        values = new Map();
        this.#index.set(flat[i], values);
        this.#sortedNames = undefined;
      }
      const list = values.get(flat[i + 1]);
      if (list === undefined) values.set(flat[i + 1], [ref]);
      else list.push(ref);
    }
    return ref;
  }

  /** Forgets `ref` and its index entries. */
  delete(ref: number): void {
    const labels = this.#labels[ref];
    if (labels === undefined) return;
    this.#labels[ref] = undefined;
    const h = labels.hash();
    const hit = this.#byHash.get(h);
    if (typeof hit === 'number') this.#byHash.delete(h);
    else if (hit !== undefined) {
      hit.splice(hit.indexOf(ref), 1);
      if (hit.length === 1) this.#byHash.set(h, hit[0]);
    }
    removeSorted(this.#all, ref);
    const flat = labels.flat;
    for (let i = 0; i < flat.length; i += 2) {
      const values = this.#index.get(flat[i])!;
      const list = values.get(flat[i + 1])!;
      removeSorted(list, ref);
      if (list.length === 0) {
        values.delete(flat[i + 1]);
        if (values.size === 0) {
          this.#index.delete(flat[i]);
          this.#sortedNames = undefined;
        }
      }
    }
  }

  /**
   * Refs of the series matching every matcher, ascending, with Prometheus's semantics: a
   * matcher that matches the empty string also matches series without the label, so
   * `{a=""}` selects series without `a` and `{a=~".*"}` all series. Regexes run once per
   * distinct value of their label, never per series.
   */
  postings(matchers: readonly Matcher[]): number[] {
    const its: Postings[] = [];
    const nots: Postings[] = [];
    for (const m of matchers) {
      if (m.matchesEmpty) {
        // Everything except series whose value for the label fails the matcher.
        const failing = this.#valuesWhere(m.name, (v) => !m.matches(v));
        if (failing.length > 0) nots.push(union(failing));
      } else {
        const set = m.setMatches();
        const lists = set !== undefined
          ? this.#valuesIn(m.name, set)
          : this.#valuesWhere(m.name, (v) => m.matches(v));
        if (lists.length === 0) return [];
        its.push(lists.length === 1 ? lists[0] : union(lists));
      }
    }
    let acc = its.length > 0 ? intersectAll(its) : this.#all.slice();
    for (const n of nots) {
      if (acc.length === 0) break;
      acc = subtract(acc, n);
    }
    return acc;
  }

  #valuesIn(name: string, set: readonly string[]): Postings[] {
    const values = this.#index.get(name);
    const out: Postings[] = [];
    if (values === undefined) return out;
    for (const v of set) {
      const l = values.get(v);
      if (l !== undefined) out.push(l);
    }
    return out;
  }

  #valuesWhere(name: string, pred: (v: string) => boolean): Postings[] {
    const values = this.#index.get(name);
    const out: Postings[] = [];
    if (values === undefined) return out;
    for (const [v, l] of values) if (pred(v)) out.push(l);
    return out;
  }

  /** Sorted label names; over `refs` only when given. */
  labelNames(refs?: Postings, limit = 0): string[] {
    let names: string[];
    if (refs === undefined) {
      this.#sortedNames ??= [...this.#index.keys()].sort(compareStrings);
      names = this.#sortedNames.slice();
    } else {
      const seen = new Set<string>();
      for (const r of refs) this.#labels[r]?.forEach((n) => seen.add(n));
      names = [...seen].sort(compareStrings);
    }
    return limit > 0 && names.length > limit ? names.slice(0, limit) : names;
  }

  /** Sorted values of `name`; over `refs` only when given. */
  labelValues(name: string, refs?: Postings, limit = 0): string[] {
    let values: string[];
    if (refs === undefined) {
      values = [...(this.#index.get(name)?.keys() ?? [])].sort(compareStrings);
    } else {
      const seen = new Set<string>();
      for (const r of refs) {
        const v = this.#labels[r]?.get(name);
        if (v) seen.add(v);
      }
      values = [...seen].sort(compareStrings);
    }
    return limit > 0 && values.length > limit ? values.slice(0, limit) : values;
  }

  /** Cardinality statistics with top-`limit` lists. */
  stats(limit = 10): CatalogStats {
    const byMetric: StatEntry[] = [];
    const valueCount: StatEntry[] = [];
    const bytes: StatEntry[] = [];
    const pairs: StatEntry[] = [];
    let numLabelPairs = 0;
    for (const [name, values] of this.#index) {
      let size = 0;
      for (const [value, refs] of values) {
        if (name === METRIC_NAME) byMetric.push({ name: value, value: refs.length });
        pairs.push({ name: `${name}=${value}`, value: refs.length });
        size += utf8Length(value) * refs.length;
      }
      numLabelPairs += values.size;
      valueCount.push({ name, value: values.size });
      bytes.push({ name, value: size });
    }
    return {
      numSeries: this.size,
      numLabelPairs,
      seriesCountByMetricName: top(byMetric, limit),
      labelValueCountByLabelName: top(valueCount, limit),
      memoryInBytesByLabelName: top(bytes, limit),
      seriesCountByLabelValuePair: top(pairs, limit),
    };
  }
}

function top(entries: StatEntry[], limit: number): StatEntry[] {
  entries.sort((a, b) => b.value - a.value || compareStrings(a.name, b.name));
  return entries.slice(0, limit);
}

function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return encoder.encode(s).length;
  }
  return s.length;
}
