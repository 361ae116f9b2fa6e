/**
 * `POST|PUT /api/v1/admin/tsdb/{delete_series,clean_tombstones,snapshot}`, enabled by
 * `--web.enable-admin-api`. Disabled, each answers as Prometheus does: error type
 * `unavailable`, message `admin APIs disabled`, HTTP 500 (`web/api/v1/api.go`: `unavailable`
 * has no status of its own and falls to the default).
 * @module
 */
import type { Context, Hono } from 'hono';
import type { Matcher } from '../model/mod.ts';
import type { Storage } from '../storage/mod.ts';
import type { ApiExtension } from './app.ts';
import { failure, success } from './envelope.ts';

/** Dependencies of {@link adminApi}. */
export interface AdminApiOptions {
  storage: Storage;
  /** `--web.enable-admin-api`. */
  enabled: boolean;
  /**
   * Parses a series selector (`up{job="a"}`) into matchers; throws with the reason when it is
   * not one. Injected because the PromQL parser is a plugin.
   */
  parseSelector: (selector: string) => Matcher[];
  /** Compacts away deleted data where the engine defers it; absent, there is nothing to do. */
  cleanTombstones?: () => Promise<void>;
}

// Go's time.Time bounds that Prometheus uses for open ranges, clamped to what a JS number
// holds exactly.
const MIN_TIME = Number.MIN_SAFE_INTEGER;
const MAX_TIME = Number.MAX_SAFE_INTEGER;
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

/**
 * Adds the admin endpoints under `/admin/tsdb`.
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, [
 *   adminApi({ storage, enabled: flags.enableAdminApi, parseSelector: (s) => selectorOf(s) }),
 * ]);
 * ```
 */
export function adminApi(opts: AdminApiOptions): ApiExtension {
  const { storage } = opts;
  const guard = (handler: (c: Context) => Promise<Response>) => (c: Context) =>
    opts.enabled ? handler(c) : failure(c, 'unavailable', 'admin APIs disabled');

  const deleteSeries = guard(async (c) => {
    const form = await formValues(c);
    const selectors = form.getAll('match[]');
    if (selectors.length === 0) return failure(c, 'bad_data', 'no match[] parameter provided');
    const start = parseTimeParam(form.get('start'), MIN_TIME);
    if (typeof start === 'string') return invalidParam(c, 'start', start);
    const end = parseTimeParam(form.get('end'), MAX_TIME);
    if (typeof end === 'string') return invalidParam(c, 'end', end);
    const sets: Matcher[][] = [];
    for (const s of selectors) {
      try {
        sets.push(opts.parseSelector(s));
      } catch (err) {
        return invalidParam(c, 'match[]', (err as Error).message);
      }
    }
    for (const matchers of sets) {
      try {
        await storage.deleteSeries(matchers, start, end);
      } catch (err) {
        return failure(c, 'internal', (err as Error).message);
      }
    }
    return c.body(null, 204);
  });

  const cleanTombstones = guard(async (c) => {
    try {
      await opts.cleanTombstones?.();
    } catch (err) {
      return failure(c, 'internal', (err as Error).message);
    }
    return c.body(null, 204);
  });

  const snapshot = guard(async (c) => {
    const form = await formValues(c);
    const skip = form.get('skip_head');
    if (skip !== null && skip !== '' && parseBool(skip) === undefined) {
      return invalidParam(
        c,
        'skip_head',
        `unable to parse boolean: strconv.ParseBool: parsing ${
          JSON.stringify(skip)
        }: invalid syntax`,
      );
    }
    if (storage.snapshot === undefined) {
      return failure(c, 'internal', 'create snapshot: this storage engine cannot take snapshots');
    }
    try {
      // The Storage interface has no head switch yet: `skip_head` is validated, not applied.
      return success(c, { name: await storage.snapshot() });
    } catch (err) {
      return failure(c, 'internal', `create snapshot: ${(err as Error).message}`);
    }
  });

  return (api: Hono) => {
    for (const method of ['post', 'put'] as const) {
      api[method]('/admin/tsdb/delete_series', deleteSeries);
      api[method]('/admin/tsdb/clean_tombstones', cleanTombstones);
      api[method]('/admin/tsdb/snapshot', snapshot);
    }
  };
}

function invalidParam(c: Context, name: string, why: string): Response {
  return failure(c, 'bad_data', `invalid parameter ${JSON.stringify(name)}: ${why}`);
}

/** Form values as Go's `ParseForm` merges them: the url-encoded body first, then the query. */
async function formValues(c: Context): Promise<URLSearchParams> {
  const out = new URLSearchParams();
  const type = c.req.header('content-type') ?? '';
  if (type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(await c.req.text())) out.append(k, v);
  }
  for (const [k, v] of new URL(c.req.url).searchParams) out.append(k, v);
  return out;
}

/** Milliseconds from unix seconds (float) or RFC 3339; a string says why it failed. */
export function parseTimeParam(s: string | null, fallback: number): number | string {
  if (s === null || s === '') return fallback;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const seconds = Number(s);
    if (!Number.isFinite(seconds)) return seconds > 0 ? MAX_TIME : MIN_TIME;
    const whole = Math.trunc(seconds);
    const ms = whole * 1000 + Math.round((seconds - whole) * 1000);
    return ms > MAX_TIME ? MAX_TIME : ms < MIN_TIME ? MIN_TIME : ms;
  }
  if (s === MIN_TIME_FORMATTED) return MIN_TIME;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m !== null) {
    const ms = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3]}`);
    if (!Number.isNaN(ms)) return ms;
  }
  return `cannot parse ${JSON.stringify(s)} to a valid timestamp`;
}

function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}
