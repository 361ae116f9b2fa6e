/**
 * `GET /federate`: the newest sample of every series matching the `match[]` selectors, in
 * the text format 0.0.4 or OpenMetrics by `Accept`, for another server to scrape with
 * `honor_labels: true`.
 *
 * Behaviour, and where it follows or departs from Prometheus (`web/federate.go`):
 * - Each series contributes its newest sample in [now - lookback, now], with its timestamp.
 *   A series whose newest sample is a stale marker is left out: the formats cannot carry
 *   one, and the scraper's own staleness handles the rest.
 * - Series are sorted by metric name, then by labels; each name is one family typed
 *   `untyped` with no HELP, as Prometheus writes federated data (no metadata is kept).
 *   Series without a metric name are skipped.
 * - External labels are appended after the series' own labels, in name order, for every
 *   name the series lacks (its own value wins). `instance=""` is appended when neither the
 *   series nor the external labels have `instance`: with `honor_labels`, that keeps the
 *   scraper from stamping its target's `instance` on series that had none.
 * - Several `match[]` may select the same series; it is written once.
 * - Departures: no `match[]` is a 400 (Prometheus answers an empty 200, which hides a
 *   misconfigured scraper); OpenMetrics is served when asked for (Prometheus 3 serves text or
 *   protobuf only). Errors are plain text, as Prometheus's `http.Error` writes them.
 * @module
 */
import { Hono } from 'hono';
import { negotiate, writeFamilies } from '../exposition/mod.ts';
import type { LabelSet, MetricFamily, MetricPoint } from '../exposition/mod.ts';
import { compareStrings, Labels, type Matcher, METRIC_NAME } from '../model/mod.ts';
import type { Series, Storage } from '../storage/mod.ts';

/** Options of {@link federateRoutes} and {@link federateHandler}. */
export interface FederateOptions {
  storage: Storage;
  /**
   * Parses a series selector (`up{job="a"}`) into matchers; throws with the reason when it is
   * not one. Injected because the PromQL parser is a plugin.
   */
  parseMatchers: (selector: string) => Matcher[];
  /** The current `global.external_labels`; read per request so a reload takes effect. */
  externalLabels: () => Readonly<Record<string, string>>;
  /** How far back a series' newest sample may lie, ms; default 5 minutes (`--query.lookback-delta`). */
  lookbackDeltaMs?: number;
  /** Clock, ms since the epoch; default `Date.now`. */
  now?: () => number;
}

const DEFAULT_LOOKBACK_MS = 300_000;
const INSTANCE = 'instance';

/**
 * The federation endpoint as a Hono app answering `GET /federate`, to be routed at the root.
 *
 * @example
 * ```ts
 * root.route('/', federateRoutes({ storage, parseMatchers, externalLabels: () => ({}) }));
 * ```
 */
export function federateRoutes(opts: FederateOptions): Hono {
  const handle = federateHandler(opts);
  const app = new Hono();
  app.get('/federate', (c) => handle(c.req.raw));
  return app;
}

/**
 * The federation endpoint as a bare handler that ignores the request path, for a mount that
 * strips its prefix (`{ path: '/federate', fetch: federateHandler(opts) }`). Non-GET/HEAD
 * requests get 405.
 */
export function federateHandler(opts: FederateOptions): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain('method not allowed', 405, { allow: 'GET, HEAD' });
    }
    const selectors = new URL(req.url).searchParams.getAll('match[]');
    if (selectors.length === 0) return plain('no match[] parameter provided', 400);
    const sets: Matcher[][] = [];
    for (const s of selectors) {
      try {
        sets.push(opts.parseMatchers(s));
      } catch (err) {
        return plain(`invalid match[] ${JSON.stringify(s)}: ${(err as Error).message}`, 400);
      }
    }
    const { format, contentType } = negotiate(req.headers.get('accept'));
    let families: MetricFamily[];
    try {
      families = await collect(opts, sets);
    } catch (err) {
      return plain((err as Error).message, 500);
    }
    return new Response(req.method === 'HEAD' ? null : writeFamilies(families, format), {
      status: 200,
      headers: { 'content-type': contentType },
    });
  };
}

interface Latest {
  labels: Labels;
  name: string;
  t: number;
  v: number;
}

/** Selects every set, keeps each distinct series' newest sample, groups them into families. */
async function collect(opts: FederateOptions, sets: readonly Matcher[][]): Promise<MetricFamily[]> {
  const maxt = (opts.now ?? Date.now)();
  const mint = maxt - (opts.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS);
  const q = opts.storage.querier(mint, maxt);
  const latest: Latest[] = [];
  try {
    // Keyed by hash, with equality checked on collision, so overlapping selectors dedupe.
    const seen = new Map<number, Labels[]>();
    for (const matchers of sets) {
      const set = await q.select(matchers, { start: mint, end: maxt });
      for (const s of set.series) {
        const h = s.labels.hash();
        const bucket = seen.get(h);
        if (bucket?.some((l) => l.equals(s.labels))) continue;
        if (bucket) bucket.push(s.labels);
        else seen.set(h, [s.labels]);
        const name = s.labels.get(METRIC_NAME);
        if (name === '') continue;
        const point = newest(s, mint, maxt);
        if (point !== undefined) latest.push({ labels: s.labels, name, t: point[0], v: point[1] });
      }
    }
  } finally {
    q.close();
  }
  latest.sort((a, b) => compareStrings(a.name, b.name) || a.labels.compare(b.labels));
  return families(latest, opts.externalLabels());
}

/** The newest non-stale sample in [mint, maxt] as `[t, v]`, or undefined. */
function newest(s: Series, mint: number, maxt: number): [number, number] | undefined {
  const { t, v, stale } = s.samples();
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] > maxt) continue;
    if (t[i] < mint || stale?.[i] === 1) return undefined;
    return [t[i], v[i]];
  }
  return undefined;
}

function families(
  latest: readonly Latest[],
  external: Readonly<Record<string, string>>,
): MetricFamily[] {
  const extra = Object.keys(external).sort(compareStrings).map((n) => [n, external[n]]);
  if (!Object.hasOwn(external, INSTANCE)) {
    extra.push([INSTANCE, '']);
    extra.sort((a, b) => compareStrings(a[0], b[0]));
  }
  const out: MetricFamily[] = [];
  let metrics: MetricPoint[] = [];
  let current = '';
  for (const s of latest) {
    if (s.name !== current || out.length === 0) {
      metrics = [];
      out.push({ name: s.name, type: 'untyped', metrics });
      current = s.name;
    }
    metrics.push({ labels: outputLabels(s.labels, extra), value: s.v, timestamp: s.t });
  }
  return out;
}

// A record key that is an array index is enumerated before the others whatever the insertion
// order, so such names need the sorted `Labels` form instead.
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/** The series' own labels without the name, then the external ones it lacks. */
function outputLabels(labels: Labels, extra: readonly string[][]): LabelSet {
  // No prototype, so a label named `__proto__` is an ordinary key.
  const rec: Record<string, string> = Object.create(null);
  let indexLike = false;
  labels.forEach((n, v) => {
    if (n === METRIC_NAME || v === '') return;
    rec[n] = v;
    if (INDEX_LIKE.test(n)) indexLike = true;
  });
  for (const [n, v] of extra) {
    if (Object.hasOwn(rec, n)) continue;
    rec[n] = v;
    if (INDEX_LIKE.test(n)) indexLike = true;
  }
  if (!indexLike) return rec;
  const names = Object.keys(rec).sort(compareStrings);
  return Labels.fromSortedFlat(names.flatMap((n) => [n, rec[n]]));
}

function plain(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body + '\n', {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  });
}
