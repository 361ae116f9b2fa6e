/**
 * The query engine: parses a query, works out which time range each selector needs, reads the
 * series through one {@link Querier}, evaluates, and shapes the result as Prometheus does.
 * @module
 */
import { Labels } from '../../../core/model/mod.ts';
import type { Querier, Series } from '../../../core/storage/mod.ts';
import {
  type Expr,
  parseExpr,
  type ParseOptions,
  PromQLParseError,
  TOO_DEEP,
  typeOf,
  type VectorSelector,
} from '../parser/mod.ts';
import { Annotations } from './annotations.ts';
import { prepareTree } from './durations.ts';
import { execError, queryCanceled, QueryError, queryTimeout } from './errors.ts';
import { ConcurrencyGate } from './gate.ts';
import { dropMarkedNames, Evaluator, finalLabels, type QueryState } from './evaluator.ts';
import { labelsKey } from './label_keys.ts';
import { emptyQueryStats, newQueryStats, type QueryStats } from './stats.ts';
import { type PointSeries, seriesArray } from './values.ts';

/** Something that hands out queriers over a time range (a storage engine). */
export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

/** Engine-wide settings; durations in milliseconds. */
export interface EngineOptions {
  /** How far back an instant selector looks for a sample (default 5m). */
  lookbackDelta?: number;
  /** Longest a query may run (default 2m). */
  timeout?: number;
  /** Most samples a query may hold (default 50,000,000). */
  maxSamples?: number;
  /** Queries evaluated at once; more wait (default 20). */
  maxConcurrency?: number;
  /** Step of subqueries written without one: the rule evaluation interval (default 1m). */
  subqueryStep?: number;
  /** Experimental PromQL features to accept (default: none, as Prometheus). */
  parseOptions?: ParseOptions;
  /** See {@link Engine.queryLog}. */
  queryLog?: (entry: QueryLogEntry) => void;
}

/** One line of the query log (Prometheus's `query_log_file` JSON). */
export interface QueryLogEntry {
  /** Where the query came from, e.g. `httpRequest: { clientIP, method, path }`. */
  [origin: string]: unknown;
  params: { end: string; query: string; start: string; step: number };
  stats: {
    timings: QueryStats['timings'];
    samples: { totalQueryableSamples: number; peakSamples: number };
  };
  ts: string;
  error?: string;
}

/** Per-query settings. */
export interface QueryOptions {
  /** Fields copied into the query log entry (the HTTP API passes `httpRequest`). */
  logContext?: Record<string, unknown>;
  /** Overrides the engine's lookback delta, ms. */
  lookbackDelta?: number;
  /** Overrides (may only shorten) the engine's timeout, ms. */
  timeout?: number;
  /** Cancels the query (a client that went away). */
  signal?: AbortSignal;
}

/** One sample of an instant vector result. */
export interface VectorSample {
  labels: Labels;
  /** Time, ms. */
  t: number;
  v: number;
}

/** One series of a matrix result: parallel columns of time (ms) and value. */
export interface MatrixSeries {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}

/** A query's value, shaped as the HTTP API returns it. */
export type QueryValue =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: { t: number; v: number } }
  | { resultType: 'string'; result: { t: number; v: string } };

/** A query's value with its annotations. */
export type QueryResult = QueryValue & {
  warnings: string[];
  infos: string[];
  /** Samples the query loaded (for `stats`). */
  totalSamples: number;
  /** Timings and samples, as `stats=all` reports them. */
  stats: QueryStats;
};

const DEFAULTS = {
  lookbackDelta: 300_000,
  timeout: 120_000,
  maxSamples: 50_000_000,
  maxConcurrency: 20,
  subqueryStep: 60_000,
};

/**
 * Evaluates PromQL over a storage engine.
 *
 * @example
 * ```ts
 * const engine = new Engine({ lookbackDelta: 300_000 });
 * const r = await engine.instantQuery(storage, 'sum by (job) (up)', Date.now());
 * if (r.resultType === 'vector') for (const s of r.result) console.log(`${s.labels} ${s.v}`);
 * ```
 */
export class Engine {
  readonly options: Required<Omit<EngineOptions, 'parseOptions' | 'queryLog'>> & {
    parseOptions: ParseOptions;
  };
  /**
   * Receives one entry per query, as Prometheus writes to `global.query_log_file`; set (or
   * unset) it when the config changes.
   */
  queryLog: ((entry: QueryLogEntry) => void) | undefined;
  readonly #gate: ConcurrencyGate;

  constructor(options: EngineOptions = {}) {
    this.options = {
      lookbackDelta: options.lookbackDelta || DEFAULTS.lookbackDelta,
      timeout: options.timeout ?? DEFAULTS.timeout,
      maxSamples: options.maxSamples ?? DEFAULTS.maxSamples,
      maxConcurrency: options.maxConcurrency ?? DEFAULTS.maxConcurrency,
      subqueryStep: options.subqueryStep ?? DEFAULTS.subqueryStep,
      parseOptions: options.parseOptions ?? {},
    };
    this.queryLog = options.queryLog;
    this.#gate = new ConcurrencyGate(this.options.maxConcurrency);
  }

  /** Parses `query` with the engine's feature switches. */
  parse(query: string): Expr {
    return parseExpr(query, this.options.parseOptions);
  }

  /**
   * Evaluates `query` at `time` (ms).
   * @throws {PromQLParseError} for a query that does not parse.
   * @throws {QueryError} when evaluation fails, times out or is cancelled.
   */
  instantQuery(
    storage: Queryable,
    query: string | Expr,
    time: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    return this.#run(storage, query, time, time, 1, true, opts);
  }

  /**
   * Evaluates `query` at `start`, `start + step`, … up to `end` (ms).
   * @throws {PromQLParseError} for a query that does not parse.
   * @throws {QueryError} when evaluation fails, times out or is cancelled.
   */
  rangeQuery(
    storage: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    return this.#run(storage, query, start, end, step, false, opts);
  }

  async #run(
    storage: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    instant: boolean,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    const text = typeof query === 'string' ? query : '';
    const expr = typeof query === 'string' ? guardDepth(() => this.parse(query)) : query;
    const type = typeOf(expr);
    if (!instant && type !== 'scalar' && type !== 'vector') {
      throw new QueryError(
        'bad_data',
        `invalid expression type "${
          type === 'matrix' ? 'range vector' : type
        }" for range query, must be Scalar or instant Vector`,
      );
    }
    if (!instant && !(step >= 1)) {
      throw new QueryError(
        'bad_data',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    const timeout = Math.min(opts.timeout ?? Infinity, this.options.timeout);
    const deadline = Date.now() + timeout;
    const t0 = performance.now();
    await this.#gate.acquire(deadline, opts.signal);
    const t1 = performance.now();
    let error: unknown;
    let result: QueryResult | undefined;
    try {
      result = await guardDepth(() =>
        this.#exec(storage, expr, text, start, end, step, instant, opts, deadline)
      );
      return result;
    } catch (err) {
      error = err;
      throw err;
    } finally {
      this.#gate.release();
      const t2 = performance.now();
      const stats = result?.stats ?? emptyQueryStats();
      stats.timings.evalTotalTime = (t2 - t1) / 1000;
      stats.timings.execQueueTime = (t1 - t0) / 1000;
      stats.timings.execTotalTime = (t2 - t0) / 1000;
      const log = this.queryLog;
      if (log !== undefined) {
        // Keys in Prometheus's (alphabetical) order; the step in whole seconds, as it logs it.
        const entry: QueryLogEntry = {
          ...(error !== undefined ? { error: (error as Error).message ?? String(error) } : {}),
          ...(opts.logContext ?? {}),
          params: {
            end: goTime(end),
            query: text,
            start: goTime(start),
            step: instant ? 0 : Math.trunc(step / 1000),
          },
          stats: {
            timings: stats.timings,
            samples: {
              totalQueryableSamples: stats.samples.totalQueryableSamples,
              peakSamples: stats.samples.peakSamples,
            },
          },
          ts: new Date().toISOString(),
        };
        // Prometheus's logger writes a Go map: keys sorted, wherever the origin's keys fall.
        const sorted = Object.keys(entry).sort().map((k) => [k, entry[k as keyof QueryLogEntry]]);
        log(Object.fromEntries(sorted) as QueryLogEntry);
      }
    }
  }

  async #exec(
    storage: Queryable,
    expr: Expr,
    text: string,
    start: number,
    end: number,
    step: number,
    instant: boolean,
    opts: QueryOptions,
    deadline: number,
  ): Promise<QueryResult> {
    prepareTree(expr, { start, end, step: instant ? 0 : step });
    const lookbackDelta = opts.lookbackDelta || this.options.lookbackDelta;
    const ranges = new Map<VectorSelector, [number, number]>();
    collectRanges(
      expr,
      start,
      end,
      { start, end, lookbackDelta, sub: this.options.subqueryStep },
      ranges,
    );
    let mint = Infinity, maxt = -Infinity;
    for (const [a, b] of ranges.values()) {
      mint = Math.min(mint, a);
      maxt = Math.max(maxt, b);
    }
    const prepStart = performance.now();
    const annotations = new Annotations(text);
    const data = new Map<VectorSelector, readonly Series[]>();
    const signal = opts.signal;
    if (ranges.size > 0) {
      const querier = storage.querier(mint, maxt);
      try {
        for (const [vs, [a, b]] of ranges) {
          const set = await querier.select(vs.matchers, { start: a, end: b, step });
          for (const w of set.warnings) annotations.storageWarning(w);
          data.set(vs, set.series);
          if (signal?.aborted) throw queryCanceled();
          if (Date.now() > deadline) throw queryTimeout();
        }
      } catch (err) {
        if (err instanceof QueryError) throw err;
        throw new QueryError('internal', (err as Error).message ?? String(err));
      } finally {
        querier.close();
      }
    }
    const state: QueryState = {
      queryStart: start,
      queryEnd: end,
      queryStep: instant ? 0 : step,
      lookbackDelta,
      subqueryStep: this.options.subqueryStep,
      maxSamples: this.options.maxSamples,
      samples: 0,
      signal,
      deadline,
      annotations,
      data,
      decoded: new Map(),
    };
    const evalStart = performance.now();
    const ev = new Evaluator(state, start, end, instant ? 1 : step);
    const value = ev.eval(expr);
    // Lazy series are produced (and their annotations added) only when consumed: do it first.
    const vector = value.kind === 'vector' ? dropMarkedNames(seriesArray(value)) : [];
    const stats = newQueryStats(ev.queryable, (i) => ev.ts(i), state.samples);
    stats.timings.queryPreparationTime = (evalStart - prepStart) / 1000;
    stats.timings.innerEvalTime = (performance.now() - evalStart) / 1000;
    const notes = {
      warnings: [...annotations.warnings],
      infos: [...annotations.infos],
      totalSamples: state.samples,
      stats,
    };
    switch (value.kind) {
      case 'string':
        return { resultType: 'string', result: { t: start, v: value.val }, ...notes };
      case 'scalar':
        if (instant) {
          return { resultType: 'scalar', result: { t: start, v: value.vals[0] }, ...notes };
        }
        return {
          resultType: 'matrix',
          result: [{ labels: Labels.EMPTY, t: stepTimes(ev), v: value.vals }],
          ...notes,
        };
      case 'matrix':
        return { resultType: 'matrix', result: finalMatrix(value.series), ...notes };
      case 'vector': {
        const series = vector;
        if (instant) {
          const result: VectorSample[] = [];
          for (const s of series) {
            if (s.has[0] === 1) result.push({ labels: s.labels, t: start, v: s.vals[0] });
          }
          return { resultType: 'vector', result, ...notes };
        }
        const result: MatrixSeries[] = [];
        for (const s of series) {
          let n = 0;
          for (let i = 0; i < s.has.length; i++) n += s.has[i];
          if (n === 0) continue;
          const t = new Float64Array(n), v = new Float64Array(n);
          let k = 0;
          for (let i = 0; i < s.has.length; i++) {
            if (s.has[i] === 0) continue;
            t[k] = ev.ts(i);
            v[k++] = s.vals[i];
          }
          result.push({ labels: s.labels, t, v });
        }
        const sortStart = performance.now();
        result.sort((a, b) => a.labels.compare(b.labels));
        stats.timings.resultSortTime = (performance.now() - sortStart) / 1000;
        return { resultType: 'matrix', result, ...notes };
      }
    }
  }
}

/** A time as Go's RFC 3339 form with nanoseconds writes it: no trailing zeros in the fraction. */
function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

function stepTimes(ev: Evaluator): Float64Array {
  const t = new Float64Array(ev.steps);
  for (let i = 0; i < t.length; i++) t[i] = ev.ts(i);
  return t;
}

function finalMatrix(series: PointSeries[]): MatrixSeries[] {
  const seen = new Set<string>();
  const out: MatrixSeries[] = [];
  for (const s of series) {
    const labels = finalLabels(s);
    const key = labelsKey(labels);
    if (seen.has(key)) throw execError('vector cannot contain metrics with the same labelset');
    seen.add(key);
    out.push({ labels, t: s.t, v: s.v });
  }
  return out;
}

/** Turns a stack overflow (a query nested thousands deep) into a query error. */
function guardDepth<T>(f: () => T): T {
  try {
    const r = f();
    if (r instanceof Promise) return r.catch(rethrowDepth) as T;
    return r;
  } catch (err) {
    return rethrowDepth(err);
  }
}

function rethrowDepth(err: unknown): never {
  const parsedTooDeep = err instanceof PromQLParseError && err.detail === TOO_DEEP;
  if (parsedTooDeep || (err instanceof RangeError && /call stack/i.test(err.message))) {
    throw new QueryError('bad_data', 'query is too deeply nested');
  }
  throw err;
}

interface RangeCtx {
  start: number;
  end: number;
  lookbackDelta: number;
  sub: number;
}

function atOf(at: VectorSelector['at'], c: RangeCtx): number | undefined {
  if (at === undefined) return undefined;
  return at === 'start' ? c.start : at === 'end' ? c.end : at;
}

/** The time range each selector reads, as Prometheus's `FindMinMaxTime` works it out. */
function collectRanges(
  e: Expr,
  s: number,
  en: number,
  c: RangeCtx,
  out: Map<VectorSelector, [number, number]>,
): void {
  const add = (vs: VectorSelector, back: number) => {
    const at = atOf(vs.at, c);
    const a = (at ?? s) - vs.offset - back, b = (at ?? en) - vs.offset;
    const prev = out.get(vs);
    out.set(vs, prev ? [Math.min(prev[0], a), Math.max(prev[1], b)] : [a, b]);
  };
  switch (e.type) {
    case 'VectorSelector':
      add(e, c.lookbackDelta);
      if (e.smoothed) out.get(e)![1] += c.lookbackDelta;
      return;
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      add(vs, e.range + (vs.anchored || vs.smoothed ? c.lookbackDelta : 0));
      // Smoothed windows interpolate towards the first sample after them.
      if (vs.smoothed) out.get(vs)![1] += c.lookbackDelta;
      return;
    }
    case 'SubqueryExpr': {
      const at = atOf(e.at, c);
      collectRanges(e.expr, (at ?? s) - e.offset - e.range, (at ?? en) - e.offset, c, out);
      return;
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      collectRanges(e.expr, s, en, c, out);
      return;
    case 'BinaryExpr':
      collectRanges(e.lhs, s, en, c, out);
      collectRanges(e.rhs, s, en, c, out);
      return;
    case 'AggregateExpr':
      collectRanges(e.expr, s, en, c, out);
      if (e.param) collectRanges(e.param, s, en, c, out);
      return;
    case 'Call':
      for (const a of e.args) collectRanges(a, s, en, c, out);
      return;
    default:
      return;
  }
}
