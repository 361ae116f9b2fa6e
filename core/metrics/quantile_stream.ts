/**
 * Targeted quantile estimation over an unbounded stream in bounded memory: the biased
 * quantiles algorithm of Cormode, Korn, Muthukrishnan and Srivastava ("Effective Computation
 * of Biased Quantiles over Data Streams", ICDE 2005), with per-quantile rank errors.
 *
 * Accuracy: for a target `(q, ε)`, the answer's rank lies within `q·n ± ε·n`. While no two
 * observations have been merged (small streams) the answer is the exact nearest-rank value.
 * Memory grows with `log(ε·n)/ε` per target; observations are batched and merged sorted.
 * @module
 */

/** A quantile to track and its allowed rank error, as a fraction of the count. */
export interface QuantileTarget {
  quantile: number;
  epsilon: number;
}

/**
 * The default rank error for `q`: `min(q, 1 − q) / 10`, which gives client_golang's classic
 * objectives `0.5: 0.05`, `0.9: 0.01`, `0.99: 0.001`, and keeps tail estimates meaningful.
 */
export function defaultEpsilon(q: number): number {
  return Math.min(q, 1 - q) / 10;
}

/** A CKMS summary of the values inserted since the last `reset()`. */
export class QuantileStream {
  readonly #targets: readonly QuantileTarget[];
  // Tuples (value, g, Δ) as parallel arrays, ordered by value: g is the rank gap to the
  // previous tuple, Δ the uncertainty of this tuple's rank.
  #v: number[] = [];
  #g: number[] = [];
  #d: number[] = [];
  #n = 0;
  #min = Infinity;
  #max = -Infinity;

  /** `targets` with quantiles in (0, 1); 0 and 1 are always answered exactly. */
  constructor(targets: readonly QuantileTarget[]) {
    for (const t of targets) {
      if (!(t.quantile >= 0 && t.quantile <= 1)) throw new RangeError(`bad quantile ${t.quantile}`);
      if (!(t.epsilon >= 0 && t.epsilon < 1)) throw new RangeError(`bad epsilon ${t.epsilon}`);
    }
    this.#targets = targets.filter((t) => t.quantile > 0 && t.quantile < 1);
  }

  /** Number of values inserted. */
  get count(): number {
    return this.#n;
  }

  /** Number of tuples held (the memory in use). */
  get size(): number {
    return this.#v.length;
  }

  /** Forgets everything. */
  reset(): void {
    this.#v = [];
    this.#g = [];
    this.#d = [];
    this.#n = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
  }

  // The rank uncertainty allowed at rank r: the tightest over all targets.
  #allowed(r: number): number {
    const n = this.#n;
    let m = Infinity;
    for (const t of this.#targets) {
      const f = r >= t.quantile * n
        ? (2 * t.epsilon * r) / t.quantile
        : (2 * t.epsilon * (n - r)) / (1 - t.quantile);
      if (f < m) m = f;
    }
    return m === Infinity ? 2 * n : m;
  }

  /** Inserts values that are sorted ascending and free of NaN. */
  insertSorted(values: ArrayLike<number>): void {
    const len = values.length;
    if (len === 0) return;
    const ov = this.#v, og = this.#g, od = this.#d;
    const v: number[] = [], g: number[] = [], d: number[] = [];
    let i = 0, r = 0;
    for (let k = 0; k < len; k++) {
      const x = values[k];
      while (i < ov.length && ov[i] <= x) {
        v.push(ov[i]);
        g.push(og[i]);
        d.push(od[i]);
        r += og[i];
        i++;
      }
      this.#n++;
      // Before every old tuple or after all of them the rank is known exactly.
      const delta = i === 0 || i === ov.length ? 0 : Math.max(0, Math.floor(this.#allowed(r)) - 1);
      v.push(x);
      g.push(1);
      d.push(delta);
      r += 1;
    }
    for (; i < ov.length; i++) {
      v.push(ov[i]);
      g.push(og[i]);
      d.push(od[i]);
    }
    if (values[0] < this.#min) this.#min = values[0];
    if (values[len - 1] > this.#max) this.#max = values[len - 1];
    this.#v = v;
    this.#g = g;
    this.#d = d;
    this.#compress();
  }

  // Merges each tuple into its successor while the successor's rank band stays within the
  // allowed error; walks from the top so ranks are known by subtraction.
  #compress(): void {
    const v = this.#v, g = this.#g, d = this.#d;
    const len = v.length;
    if (len < 3) return;
    const rv: number[] = [], rg: number[] = [], rd: number[] = [];
    let xv = v[len - 1], xg = g[len - 1], xd = d[len - 1];
    let r = this.#n - xg;
    for (let i = len - 2; i >= 0; i--) {
      r -= g[i];
      if (i > 0 && g[i] + xg + xd <= this.#allowed(r)) {
        xg += g[i];
      } else {
        rv.push(xv);
        rg.push(xg);
        rd.push(xd);
        xv = v[i];
        xg = g[i];
        xd = d[i];
      }
    }
    rv.push(xv);
    rg.push(xg);
    rd.push(xd);
    if (rv.length === len) return;
    this.#v = rv.reverse();
    this.#g = rg.reverse();
    this.#d = rd.reverse();
  }

  /** The estimate for quantile `q`, or NaN when the stream is empty. */
  query(q: number): number {
    const n = this.#n;
    if (n === 0) return NaN;
    if (q <= 0) return this.#min;
    if (q >= 1) return this.#max;
    const v = this.#v, g = this.#g, d = this.#d;
    if (v.length === n) {
      // Nothing merged yet: answer exactly with the nearest-rank definition.
      return v[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
    }
    const t = q * n;
    const bound = t + this.#allowed(t) / 2;
    let r = 0;
    for (let i = 0; i < v.length; i++) {
      r += g[i];
      if (r + d[i] > bound) return i === 0 ? v[0] : v[i - 1];
    }
    return v[v.length - 1];
  }
}
