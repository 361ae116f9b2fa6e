/**
 * The query endpoints of Prometheus's HTTP API v1: `/query`, `/query_range`, `/format_query`,
 * `/parse_query`, `/query_exemplars`, `/series`, `/labels`, `/label/:name/values`.
 * @module
 */
import type { Context, Hono } from 'hono';
import { ApiError, type ApiExtension, failure } from '../../../core/api/mod.ts';
import type { Logger } from '../../../core/log/logger.ts';
import { isValidUTF8Name, type Labels, type Matcher } from '../../../core/model/mod.ts';
import { type Engine, type Queryable, QueryError, type QueryResult } from '../engine/mod.ts';
import { exprToJson, formatExpr, parseExpr, PromQLParseError } from '../parser/mod.ts';
import { jsonEnvelope, jsonLabels, jsonQueryData, jsonStats, jsonString } from './json.ts';
import { unescapeLabelName } from './names.ts';
import {
  durationParam,
  invalidParam,
  limitParam,
  MAX_TIME,
  MIN_TIME,
  readParams,
  requiredTime,
  timeParam,
} from './params.ts';

/** What the query API needs. */
export interface PromqlApiOptions {
  engine: Engine;
  storage: Queryable;
  logger?: Logger;
  /** The clock for a `/query` without `time` (ms); defaults to `Date.now`. */
  now?: () => number;
}

/** Points a range query may return per series, as Prometheus. */
const MAX_POINTS = 11_000;

const TRUNCATED = 'results truncated due to limit';

function json(body: string): Response {
  return new Response(body, { headers: { 'content-type': 'application/json' } });
}

/**
 * The query API as an extension of the `/api/v1` Hono app.
 *
 * @example
 * ```ts
 * const api = new Hono();
 * promqlApi({ engine: new Engine(), storage })(api);
 * const res = await api.request('/query?query=up&time=1700000000');
 * ```
 */
export function promqlApi(opts: PromqlApiOptions): ApiExtension {
  const { engine, storage } = opts;
  const now = opts.now ?? Date.now;

  const handle =
    (fn: (c: Context, p: URLSearchParams) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c, await readParams(c));
      } catch (err) {
        if (err instanceof ApiError) return failure(c, err.type, err.message);
        if (err instanceof QueryError) return failure(c, err.kind, err.message);
        opts.logger?.error('query API error', { path: c.req.path, err: String(err) });
        return failure(c, 'internal', (err as Error).message ?? String(err));
      }
    };

  const runQuery = async (
    p: URLSearchParams,
    run: (query: string, o: { timeout?: number; lookbackDelta?: number }) => Promise<QueryResult>,
  ): Promise<Response> => {
    const timeout = durationParam(p, 'timeout');
    const lookbackDelta = durationParam(p, 'lookback_delta');
    const limit = limitParam(p);
    const query = p.get('query') ?? '';
    let res: QueryResult;
    try {
      res = await run(query, { timeout, lookbackDelta });
    } catch (err) {
      if (err instanceof PromQLParseError) throw invalidParam('query', err.message);
      if (err instanceof QueryError && err.kind === 'bad_data') {
        throw new ApiError('bad_data', err.message);
      }
      throw err;
    }
    const warnings = capped(res.warnings, 'warning');
    const infos = capped(res.infos, 'info');
    if (limit > 0 && (res.resultType === 'vector' || res.resultType === 'matrix')) {
      if (res.result.length > limit) {
        res.result.length = limit;
        warnings.push(TRUNCATED);
      }
    }
    const statsParam = p.get('stats');
    const stats = statsParam ? `,"stats":${jsonStats(res.stats, statsParam === 'all')}` : '';
    return json(jsonEnvelope(jsonQueryData(res, stats), warnings, infos));
  };

  const query = handle((c, p) => {
    const t = timeParam(p, 'time', now());
    return runQuery(
      p,
      (q, o) =>
        engine.instantQuery(storage, q, t, {
          ...o,
          signal: c.req.raw.signal,
          logContext: logContext(c),
        }),
    );
  });

  const queryRange = handle((c, p) => {
    const start = requiredTime(p, 'start');
    const end = requiredTime(p, 'end');
    if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start time');
    const step = durationParam(p, 'step');
    if (step === undefined) {
      throw invalidParam('step', `cannot parse "" to a valid duration`);
    }
    if (step <= 0) {
      throw new ApiError(
        'bad_data',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if (Math.floor((end - start) / step) > MAX_POINTS) {
      throw new ApiError(
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    const stepMs = Math.max(1, Math.trunc(step));
    return runQuery(
      p,
      (q, o) =>
        engine.rangeQuery(storage, q, start, end, stepMs, {
          ...o,
          signal: c.req.raw.signal,
          logContext: logContext(c),
        }),
    );
  });

  const parseQueryParam = (p: URLSearchParams) => {
    try {
      return engine.parse(p.get('query') ?? '');
    } catch (err) {
      if (err instanceof PromQLParseError) throw invalidParam('query', err.message);
      throw err;
    }
  };

  const formatQuery = handle((_c, p) => {
    return json(jsonEnvelope(jsonString(formatExpr(parseQueryParam(p)))));
  });

  const parseQuery = handle((_c, p) => {
    return json(jsonEnvelope(JSON.stringify(exprToJson(parseQueryParam(p)))));
  });

  const exemplars = handle((_c, p) => {
    parseQueryParam(p);
    const start = timeParam(p, 'start', MIN_TIME);
    const end = timeParam(p, 'end', MAX_TIME);
    if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start time');
    return json(jsonEnvelope('[]'));
  });

  const series = handle(async (_c, p) => {
    const sets = matcherSets(p);
    if (sets.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
    const [start, end] = timeRange(p);
    const limit = limitParam(p);
    const q = storage.querier(start, end);
    const seen = new Map<string, Labels>();
    const warnings: string[] = [];
    try {
      for (const ms of sets) {
        const set = await q.select(ms, { start, end, func: 'series' });
        warnings.push(...set.warnings);
        for (const s of set.series) seen.set(s.labels.toString(), s.labels);
      }
    } finally {
      q.close();
    }
    let all = [...seen.values()].sort((a, b) => a.compare(b));
    if (limit > 0 && all.length > limit) {
      all = all.slice(0, limit);
      warnings.push(TRUNCATED);
    }
    return json(jsonEnvelope(`[${all.map(jsonLabels).join(',')}]`, warnings));
  });

  const labels = handle(async (_c, p) => {
    const sets = matcherSets(p);
    const [start, end] = timeRange(p);
    const limit = limitParam(p);
    const q = storage.querier(start, end);
    let names: string[];
    try {
      names = sets.length === 0 ? await q.labelNames() : union(
        await Promise.all(sets.map((ms) => q.labelNames(ms))),
      );
    } finally {
      q.close();
    }
    return json(listEnvelope(names, limit));
  });

  const labelValues = handle(async (c, p) => {
    const raw = c.req.param('name') ?? '';
    const name = unescapeLabelName(raw);
    if (!isValidUTF8Name(name)) {
      throw new ApiError('bad_data', `invalid label name: ${JSON.stringify(raw)}`);
    }
    const sets = matcherSets(p);
    const [start, end] = timeRange(p);
    const limit = limitParam(p);
    const q = storage.querier(start, end);
    let values: string[];
    try {
      values = sets.length === 0 ? await q.labelValues(name) : union(
        await Promise.all(sets.map((ms) => q.labelValues(name, ms))),
      );
    } finally {
      q.close();
    }
    return json(listEnvelope(values, limit));
  });

  return (api: Hono) => {
    for (
      const [path, h] of [
        ['/query', query],
        ['/query_range', queryRange],
        ['/format_query', formatQuery],
        ['/parse_query', parseQuery],
        ['/query_exemplars', exemplars],
        ['/series', series],
        ['/labels', labels],
        ['/label/:name/values', labelValues],
      ] as const
    ) {
      api.get(path, h);
      api.post(path, h);
    }
  };
}

/** The query log's `httpRequest` fields (the client address when the server exposes it). */
function logContext(c: Context): Record<string, unknown> {
  const ip = c.req.header('x-forwarded-for')?.split(',')[0].trim() ?? '';
  return { httpRequest: { clientIP: ip, method: c.req.method, path: c.req.path } };
}

/** At most 10 annotations of a kind, then a count of the rest, as Prometheus's API. */
function capped(notes: string[], kind: string): string[] {
  if (notes.length <= 10) return notes;
  return [...notes.slice(0, 10), `${notes.length - 10} more ${kind} annotations omitted`];
}

function listEnvelope(items: string[], limit: number): string {
  const warnings: string[] = [];
  if (limit > 0 && items.length > limit) {
    items = items.slice(0, limit);
    warnings.push(TRUNCATED);
  }
  return jsonEnvelope(`[${items.map(jsonString).join(',')}]`, warnings);
}

function union(lists: string[][]): string[] {
  const s = new Set<string>();
  for (const l of lists) for (const x of l) s.add(x);
  return [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function timeRange(p: URLSearchParams): [number, number] {
  const start = timeParam(p, 'start', MIN_TIME);
  const end = timeParam(p, 'end', MAX_TIME);
  if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start time');
  return [start, end];
}

/** The `match[]` parameters as matcher lists (each a PromQL series selector). */
function matcherSets(p: URLSearchParams): Matcher[][] {
  return p.getAll('match[]').map((m) => {
    let e;
    try {
      e = parseExpr(m);
    } catch (err) {
      if (err instanceof PromQLParseError) throw invalidParam('match[]', err.message);
      throw err;
    }
    if (e.type !== 'VectorSelector') {
      throw invalidParam('match[]', `1:1: parse error: expected a series selector, got ${m}`);
    }
    return e.matchers;
  });
}
