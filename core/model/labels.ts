/**
 * Immutable, sorted label sets: the identity of every series.
 *
 * @example
 * ```ts
 * const l = Labels.from({ __name__: 'up', job: 'node' });
 * l.get('job'); // 'node'
 * l.toString(); // '{__name__="up", job="node"}'
 * ```
 * @module
 */

/** The label that holds a series' metric name. */
export const METRIC_NAME = '__name__';

const SEP = 0xff;

/** A sorted, immutable set of label pairs. Empty values are never stored. */
export class Labels implements Iterable<[string, string]> {
  /** The empty label set. */
  static readonly EMPTY: Labels = new Labels([]);

  // Flat [name0, value0, name1, value1, …], sorted by name (code-unit order), names unique.
  readonly #flat: readonly string[];
  #hash = -1;

  private constructor(flat: readonly string[]) {
    this.#flat = flat;
  }

  /** Builds a label set from a record; empty values are dropped. */
  static from(record: Readonly<Record<string, string>>): Labels {
    return Labels.fromPairs(Object.entries(record));
  }

  /** Builds a label set from pairs; a later duplicate name wins; empty values are dropped. */
  static fromPairs(pairs: Iterable<readonly [string, string]>): Labels {
    const map = new Map<string, string>();
    for (const [n, v] of pairs) map.set(n, v);
    const names = [...map.keys()].filter((n) => map.get(n) !== '').sort(compareStrings);
    const flat: string[] = new Array(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      flat[2 * i] = names[i];
      flat[2 * i + 1] = map.get(names[i])!;
    }
    return new Labels(flat);
  }

  /**
   * Wraps a flat `[name, value, …]` array that the caller guarantees is sorted by name,
   * free of duplicates and of empty values. The array must not be mutated afterwards.
   */
  static fromSortedFlat(flat: readonly string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /** Number of labels. */
  get size(): number {
    return this.#flat.length >> 1;
  }

  /** The value of `name`, or `''` when absent (as Prometheus). */
  get(name: string): string {
    const f = this.#flat;
    let lo = 0, hi = (f.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = f[2 * mid];
      if (n === name) return f[2 * mid + 1];
      if (n < name) lo = mid + 1;
      else hi = mid - 1;
    }
    return '';
  }

  /** Whether `name` is present. */
  has(name: string): boolean {
    return this.get(name) !== '';
  }

  /** The metric name (`__name__`), or `''`. */
  get metricName(): string {
    return this.get(METRIC_NAME);
  }

  /** Label names in sorted order. */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#flat.length; i += 2) out.push(this.#flat[i]);
    return out;
  }

  /** Calls `fn` for each label in sorted order. */
  forEach(fn: (name: string, value: string) => void): void {
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) fn(f[i], f[i + 1]);
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) yield [f[i], f[i + 1]];
  }

  /** The flat sorted `[name, value, …]` view; read-only. */
  get flat(): readonly string[] {
    return this.#flat;
  }

  /** A plain object copy. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    this.forEach((n, v) => (out[n] = v));
    return out;
  }

  /**
   * A 53-bit hash of the set, identical on every runtime (pure integer arithmetic over
   * UTF-16 code units). Equal sets hash equally; callers must still compare on collision.
   */
  hash(): number {
    if (this.#hash < 0) this.#hash = hashFlat(this.#flat);
    return this.#hash;
  }

  /** Whether both sets hold the same pairs. */
  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.#flat, b = other.#flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Orders label sets as Prometheus does: pairwise by name, then value, then by length. */
  compare(other: Labels): number {
    const a = this.#flat, b = other.#flat;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
  }

  /** A copy without the given names. */
  without(...names: string[]): Labels {
    const drop = new Set(names);
    const out: string[] = [];
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) if (!drop.has(f[i])) out.push(f[i], f[i + 1]);
    return out.length === f.length ? this : Labels.fromSortedFlat(out);
  }

  /** A copy with only the given names. */
  keep(...names: string[]): Labels {
    const keep = new Set(names);
    const out: string[] = [];
    const f = this.#flat;
    for (let i = 0; i < f.length; i += 2) if (keep.has(f[i])) out.push(f[i], f[i + 1]);
    return out.length === f.length ? this : Labels.fromSortedFlat(out);
  }

  /** A builder seeded with this set. */
  builder(): LabelsBuilder {
    return new LabelsBuilder(this);
  }

  /** Prometheus's rendering: `{a="1", b="2"}` with Go-style escaping of values. */
  toString(): string {
    const parts: string[] = [];
    this.forEach((n, v) => parts.push(`${n}=${JSON.stringify(v)}`));
    return `{${parts.join(', ')}}`;
  }
}

/** Mutable staging area for deriving a new label set; `set(name, '')` deletes. */
export class LabelsBuilder {
  readonly #base: Labels;
  readonly #changes = new Map<string, string>();

  constructor(base: Labels = Labels.EMPTY) {
    this.#base = base;
  }

  /** The current value of `name`, or `''`. */
  get(name: string): string {
    const c = this.#changes.get(name);
    return c !== undefined ? c : this.#base.get(name);
  }

  /** Sets a label; an empty value deletes it. */
  set(name: string, value: string): this {
    this.#changes.set(name, value);
    return this;
  }

  /** Deletes labels. */
  del(...names: string[]): this {
    for (const n of names) this.#changes.set(n, '');
    return this;
  }

  /** Calls `fn` for each current label, in no particular order. */
  forEach(fn: (name: string, value: string) => void): void {
    this.#base.forEach((n, v) => {
      if (!this.#changes.has(n)) fn(n, v);
    });
    for (const [n, v] of this.#changes) if (v !== '') fn(n, v);
  }

  /** The resulting immutable label set. */
  labels(): Labels {
    if (this.#changes.size === 0) return this.#base;
    const pairs: [string, string][] = [];
    this.forEach((n, v) => pairs.push([n, v]));
    return Labels.fromPairs(pairs);
  }
}

/** Code-unit string order, as Go's byte order for ASCII names. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The 53-bit hash used by {@link Labels.hash}, over a flat pair array. */
export function hashFlat(flat: readonly string[]): number {
  // cyrb53-style: two 32-bit lanes mixed with Math.imul, 0xff between strings.
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < flat.length; i++) {
    const s = flat[i];
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ SEP, 2654435761);
    h2 = Math.imul(h2 ^ SEP, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
