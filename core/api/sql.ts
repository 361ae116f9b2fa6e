/**
 * `GET|POST /api/v1/sql?query=…`, enabled by `--web.enable-sql`: one read-only SQL query over
 * the views `series` and `samples` (docs/sql.md; `start` and `end`, RFC 3339 or unix seconds,
 * narrow `samples` to a time range), answered in the API envelope as
 * `{columns: [{name, type}], rows: [[…]]}`. Disabled, it answers 404 with error type
 * `not_found`; on an engine without SQL (memory), `unavailable`.
 * @module
 */
import type { Context, Hono } from 'hono';
import { SqlError, type SqlRunner } from '../state/mod.ts';
import { parseTimeParam } from './admin.ts';
import type { ApiExtension } from './app.ts';
import { failure, success } from './envelope.ts';

/** Dependencies of {@link sqlApi}. */
export interface SqlApiOptions {
  /** `--web.enable-sql`. */
  enabled: boolean;
  /** The engine's SQL runner (made on first use); absent when the engine has none. */
  runner?: () => Promise<SqlRunner>;
  /** The engine's name, for the error when it has no SQL. */
  engine: string;
  /** Most rows per answer (`--web.sql.max-rows`); a `limit` parameter may lower it. */
  maxRows: number;
  /** Milliseconds before a query is interrupted (`--web.sql.timeout`). */
  timeoutMs: number;
}

/**
 * Adds `/sql` under `/api/v1`.
 *
 * @example
 * ```ts
 * createApiApp(deps, [sqlApi({ enabled: true, runner: () => storage.sqlRunner(), engine: 'duckdb',
 *   maxRows: 10_000, timeoutMs: 30_000 })]);
 * ```
 */
export function sqlApi(opts: SqlApiOptions): ApiExtension {
  let runner: Promise<SqlRunner> | undefined;
  const handler = async (c: Context): Promise<Response> => {
    if (!opts.enabled) {
      return failure(c, 'not_found', 'the SQL API is disabled: start Beacon with --web.enable-sql');
    }
    if (!opts.runner) {
      return failure(
        c,
        'unavailable',
        `SQL is not available with storage engine ${
          JSON.stringify(opts.engine)
        }: it needs the duckdb engine`,
      );
    }
    const form = await formValues(c);
    const query = form.get('query');
    if (query === null || query.trim() === '') {
      return failure(c, 'bad_data', 'invalid parameter "query": empty query');
    }
    let maxRows = opts.maxRows;
    const limit = form.get('limit');
    if (limit !== null && limit !== '') {
      const n = Number(limit);
      if (!Number.isInteger(n) || n < 1) {
        return failure(c, 'bad_data', 'invalid parameter "limit": must be a positive integer');
      }
      maxRows = Math.min(n, maxRows);
    }
    const range: { start?: number; end?: number } = {};
    for (const name of ['start', 'end'] as const) {
      const t = parseTimeParam(form.get(name), NaN);
      if (typeof t === 'string') {
        return failure(c, 'bad_data', `invalid parameter ${JSON.stringify(name)}: ${t}`);
      }
      if (!Number.isNaN(t)) range[name] = t;
    }
    if ((range.start ?? -Infinity) > (range.end ?? Infinity)) {
      return failure(c, 'bad_data', 'end timestamp must not be before start time');
    }
    try {
      runner ??= opts.runner().catch((e) => {
        runner = undefined;
        throw e;
      });
      const r = await (await runner).query(query, {
        maxRows,
        timeoutMs: opts.timeoutMs,
        ...range,
      });
      return success(c, { columns: r.columns, rows: r.rows }, {
        warnings: r.truncated ? [`result truncated to ${maxRows} rows`] : [],
      });
    } catch (e) {
      if (e instanceof SqlError) return failure(c, e.kind, e.message);
      return failure(c, 'internal', String((e as Error)?.message ?? e));
    }
  };
  return (api: Hono) => {
    api.get('/sql', handler);
    api.post('/sql', handler);
  };
}

/** Query string and url-encoded form merged; a `text/plain` or `application/sql` body is `query`. */
async function formValues(c: Context): Promise<URLSearchParams> {
  const out = new URLSearchParams();
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (c.req.method === 'POST') {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(await c.req.text())) out.append(k, v);
    } else if (type.startsWith('text/plain') || type.startsWith('application/sql')) {
      out.append('query', await c.req.text());
    }
  }
  for (const [k, v] of new URL(c.req.url).searchParams) out.append(k, v);
  return out;
}
