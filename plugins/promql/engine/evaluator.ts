/**
 * The evaluator: walks the syntax tree once over all steps of a query. Instant vectors are
 * computed series by series over every step (typed arrays), so an instant query is simply a
 * range query with one step, as in Prometheus.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import type { SampleColumns, Series } from '../../../core/storage/mod.ts';
import type {
  AtModifier,
  Call,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorSelector,
} from '../parser/mod.ts';
import type { Annotations } from './annotations.ts';
import { evalAggregate } from './aggregate.ts';
import { evalBinary } from './binary.ts';
import {
  DUPLICATE_LABELSET,
  execError,
  queryCanceled,
  queryTimeout,
  tooManySamples,
} from './errors.ts';
import { evalCall } from './functions.ts';
import { labelsKey } from './label_keys.ts';
import {
  emptySeries,
  mapSeries,
  type PointSeries,
  type StepSeries,
  type Value,
  type VectorValue,
} from './values.ts';

/** Series fetched from storage for each selector node of the query. */
export type SelectorData = ReadonlyMap<VectorSelector, readonly Series[]>;

/** Shared, per-query state of the evaluators of one query (the outer one and subqueries'). */
export interface QueryState {
  /** The query's own start and end (for `@ start()` / `@ end()`), ms. */
  queryStart: number;
  queryEnd: number;
  /** The query's step, ms (0 for an instant query). */
  queryStep: number;
  lookbackDelta: number;
  /** Step of a subquery written without one, ms. */
  subqueryStep: number;
  maxSamples: number;
  samples: number;
  signal: AbortSignal | undefined;
  /** Wall-clock time (ms) after which the query times out; polled, as evaluation is synchronous. */
  deadline: number;
  annotations: Annotations;
  data: SelectorData;
  /** Decoded, stale-free columns per storage series (decoded once per query). */
  decoded: Map<Series, SampleColumns>;
}

/** A range vector argument prepared for per-step windows. */
export interface WindowSource {
  series: PointSeries[];
  range: number;
  offset: number;
  at: AtModifier;
  /** The selector, when the argument is a plain range selector. */
  selector?: VectorSelector;
  /** Position of the argument expression (for annotations). */
  posRange: { start: number; end: number };
  /** For a subquery: the samples its inner evaluation read (for `stats`). */
  innerSamples?: number;
}

/** Evaluates expressions at `steps` evenly spaced times from `start`. */
export class Evaluator {
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  readonly steps: number;
  readonly q: QueryState;
  /** Samples read at each step (Prometheus's `totalQueryableSamplesPerStep`). */
  readonly queryable: Float64Array;
  #checks = 0;

  constructor(q: QueryState, start: number, end: number, interval: number) {
    this.q = q;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.steps = end < start ? 0 : Math.floor((end - start) / interval) + 1;
    // Every series of this evaluation holds one slot per step: a step count beyond the sample
    // limit (a subquery like `x[1y:1ms]`) can only exhaust memory.
    if (this.steps > q.maxSamples) throw tooManySamples();
    this.queryable = new Float64Array(this.steps);
  }

  /** Time of step `i`, ms. */
  ts(i: number): number {
    return this.start + i * this.interval;
  }

  /** The time an `@` modifier pins to, or undefined. */
  atTime(at: AtModifier): number | undefined {
    if (at === undefined) return undefined;
    if (at === 'start') return this.q.queryStart;
    if (at === 'end') return this.q.queryEnd;
    return at;
  }

  /** Counts samples towards `max_samples`. */
  addSamples(n: number): void {
    this.q.samples += n;
    if (this.q.samples > this.q.maxSamples) throw tooManySamples();
  }

  /** Throws when the query was cancelled or timed out (checked every so often). */
  checkAbort(): void {
    if ((++this.#checks & 63) !== 0) return;
    this.checkAbortNow();
  }

  /** Throws when the query was cancelled or timed out. */
  checkAbortNow(): void {
    if (this.q.signal?.aborted) throw queryCanceled();
    if (Date.now() > this.q.deadline) throw queryTimeout();
  }

  /** Evaluates any expression. */
  eval(e: Expr): Value {
    this.checkAbortNow();
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', vals: new Float64Array(this.steps).fill(e.val) };
      case 'StringLiteral':
        return { kind: 'string', val: e.val };
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'UnaryExpr': {
        const v = this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', vals: v.vals.map((x) => -x) };
        if (v.kind !== 'vector') throw execError('unary minus on a non-numeric value');
        return mapSeries(v, (s) => {
          for (let i = 0; i < s.vals.length; i++) s.vals[i] = -s.vals[i];
          s.dropName = true;
          return s;
        });
      }
      case 'VectorSelector':
        return this.evalVectorSelector(e, false);
      case 'MatrixSelector':
      case 'SubqueryExpr':
        return this.evalMatrixAtStep(e, 0);
      case 'BinaryExpr':
        return evalBinary(this, e);
      case 'AggregateExpr':
        return evalAggregate(this, e);
      case 'Call':
        return evalCall(this, e as Call);
      case 'DurationExpr':
        throw execError('duration expressions are not supported by this engine');
    }
  }

  /** Evaluates an expression that must give an instant vector. */
  evalVector(e: Expr): VectorValue {
    const v = this.eval(e);
    if (v.kind !== 'vector') throw execError(`expected instant vector, got ${v.kind}`);
    return v;
  }

  /** Evaluates an expression that must give a scalar, as one value per step. */
  evalScalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== 'scalar') throw execError(`expected scalar, got ${v.kind}`);
    return v.vals;
  }

  /** The storage samples of `s` with stale markers removed, decoded once per query. */
  columns(s: Series): SampleColumns {
    let c = this.q.decoded.get(s);
    if (c === undefined) {
      c = withoutStale(s.samples());
      this.q.decoded.set(s, c);
    }
    return c;
  }

  /** Raw columns including stale markers (instant selection needs them). */
  rawColumns(s: Series): SampleColumns {
    return s.samples();
  }

  /**
   * An instant vector selector at every step: the newest sample in `(ref - lookback, ref]`,
   * none when that sample is a stale marker. With `timestamps`, values are sample times (s).
   */
  evalVectorSelector(vs: VectorSelector, timestamps: boolean): VectorValue {
    return { kind: 'vector', series: this.#selectSeries(vs, timestamps) };
  }

  *#selectSeries(vs: VectorSelector, timestamps: boolean): Generator<StepSeries> {
    const data = this.q.data.get(vs) ?? [];
    const at = this.atTime(vs.at);
    const lookback = this.q.lookbackDelta;
    for (const s of data) {
      this.checkAbort();
      const { t, v, stale } = this.rawColumns(s);
      const n = t.length;
      const r = emptySeries(s.labels, this.steps);
      let j = 0, total = 0;
      for (let i = 0; i < this.steps; i++) {
        const ref = (at ?? this.ts(i)) - vs.offset;
        while (j < n && t[j] <= ref) j++;
        const k = j - 1;
        if (k < 0 || t[k] <= ref - lookback) continue;
        if (stale !== undefined && stale[k] === 1) continue;
        let x = timestamps ? t[k] / 1000 : v[k];
        // Experimental `smoothed`: interpolate towards the next sample within the lookback.
        if (vs.smoothed && !timestamps && t[k] < ref && j < n && t[j] < ref + lookback) {
          if (stale === undefined || stale[j] === 0) {
            x = v[k] + (v[j] - v[k]) * (ref - t[k]) / (t[j] - t[k]);
          }
        }
        r.vals[i] = x;
        r.has[i] = 1;
        total++;
        this.queryable[i]++;
      }
      if (total === 0) continue;
      this.addSamples(total);
      yield r;
    }
  }

  /** Prepares a range selector or subquery for per-step windows. */
  windowSource(e: Expr): WindowSource {
    while (e.type === 'ParenExpr') e = e.expr;
    if (e.type === 'MatrixSelector') return this.#matrixSource(e);
    if (e.type === 'SubqueryExpr') return this.#subquerySource(e);
    throw execError(`expected range vector, got ${e.type}`);
  }

  #matrixSource(ms: MatrixSelector): WindowSource {
    const vs = ms.vectorSelector;
    const series: PointSeries[] = [];
    for (const s of this.q.data.get(vs) ?? []) {
      const c = this.columns(s);
      if (c.t.length > 0) series.push({ labels: s.labels, t: c.t, v: c.v, dropName: false });
    }
    return {
      series,
      range: ms.range,
      offset: vs.offset,
      at: vs.at,
      selector: vs,
      posRange: ms.posRange,
    };
  }

  #subquerySource(sq: SubqueryExpr): WindowSource {
    const step = sq.step > 0 ? sq.step : this.q.subqueryStep;
    const at = this.atTime(sq.at);
    const from = (at ?? this.start) - sq.offset - sq.range;
    const to = (at ?? this.end) - sq.offset;
    let innerStart = from - (from % step);
    if (innerStart <= from) innerStart += step;
    const inner = new Evaluator(this.q, innerStart, to, step);
    const series: PointSeries[] = [];
    if (inner.steps > 0) {
      const v = inner.evalVector(sq.expr);
      for (const s of v.series) {
        let n = 0;
        for (let i = 0; i < s.has.length; i++) n += s.has[i];
        const t = new Float64Array(n), vals = new Float64Array(n);
        let k = 0;
        for (let i = 0; i < s.has.length; i++) {
          if (s.has[i] === 0) continue;
          t[k] = inner.ts(i);
          vals[k++] = s.vals[i];
        }
        series.push({ labels: s.labels, t, v: vals, dropName: s.dropName });
      }
    }
    // Read by a function, a subquery counts the points of its windows (as a range selector
    // does); returned as it is, the samples its inner evaluation read (as Prometheus counts).
    let innerSamples = 0;
    for (let i = 0; i < inner.steps; i++) innerSamples += inner.queryable[i];
    return {
      series,
      range: sq.range,
      offset: sq.offset,
      at: sq.at,
      posRange: sq.posRange,
      innerSamples,
    };
  }

  /** The reference time (window end) of step `i` for a window source. */
  windowEnd(src: WindowSource, i: number): number {
    return (this.atTime(src.at) ?? this.ts(i)) - src.offset;
  }

  /** A range vector at one step: the points of each series in `(end - range, end]`. */
  evalMatrixAtStep(e: MatrixSelector | SubqueryExpr, i: number): Value {
    const src = this.windowSource(e);
    const end = this.windowEnd(src, i);
    const out: PointSeries[] = [];
    let total = 0;
    for (const s of src.series) {
      const lo = upperBound(s.t, end - src.range), hi = upperBound(s.t, end);
      if (hi <= lo) continue;
      total += hi - lo;
      out.push({
        labels: s.labels,
        t: s.t.slice(lo, hi),
        v: s.v.slice(lo, hi),
        dropName: s.dropName,
      });
    }
    this.addSamples(total);
    this.queryable[i] += src.selector !== undefined ? total : src.innerSamples ?? 0;
    return { kind: 'matrix', series: out };
  }
}

/** Index of the first element of sorted `a` greater than `x`. */
export function upperBound(a: Float64Array, x: number, from = 0): number {
  let lo = from, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function withoutStale(c: SampleColumns): SampleColumns {
  const st = c.stale;
  if (st === undefined) return c;
  let n = 0;
  for (let i = 0; i < st.length; i++) if (st[i] === 0) n++;
  const t = new Float64Array(n), v = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < st.length; i++) {
    if (st[i] === 1) continue;
    t[k] = c.t[i];
    v[k++] = c.v[i];
  }
  return { t, v };
}

/**
 * Merges series that carry the same labels (after a label change); two values for one label
 * set at one step are an error, as in Prometheus.
 */
export function mergeByLabels(series: StepSeries[], message = DUPLICATE_LABELSET): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const key = labelsKey(s.labels);
    const prev = byKey.get(key);
    if (prev === undefined) {
      byKey.set(key, s);
      out.push(s);
      continue;
    }
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 0) continue;
      if (prev.has[i] === 1) throw execError(message);
      prev.has[i] = 1;
      prev.vals[i] = s.vals[i];
    }
  }
  return out;
}

/**
 * The labels that name a metric: removing the name removes the type and unit too (Prometheus's
 * `__type__`/`__unit__` labels, which only exist when that feature feeds them).
 */
export const METRIC_IDENTITY = ['__name__', '__type__', '__unit__'];

function hasMetricIdentity(l: Labels): boolean {
  return l.has('__name__') || l.has('__type__') || l.has('__unit__');
}

/** Removes the metric name from series marked for it (delayed name removal) and merges. */
export function dropMarkedNames(series: StepSeries[]): StepSeries[] {
  let changed = false;
  for (const s of series) {
    if (s.dropName && hasMetricIdentity(s.labels)) {
      s.labels = s.labels.without(...METRIC_IDENTITY);
      changed = true;
    }
    s.dropName = false;
  }
  return changed ? mergeByLabels(series) : series;
}

/** The labels of a point series with the metric name dropped when marked. */
export function finalLabels(s: { labels: Labels; dropName: boolean }): Labels {
  return s.dropName ? s.labels.without(...METRIC_IDENTITY) : s.labels;
}
