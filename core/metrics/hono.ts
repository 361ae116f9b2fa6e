/**
 * Hono glue: a middleware that counts and times HTTP requests, and a `/metrics` handler that
 * negotiates the exposition format.
 *
 * The `handler` label is the matched route pattern (`/api/v1/query`, `/users/:id`), never the
 * raw path, so that cardinality stays bounded; requests no route matched get the pattern of
 * the middleware itself (usually `/*`). Durations end when the handler returns its `Response`,
 * not when a streamed body finishes.
 *
 * @example
 * ```ts
 * const app = new Hono();
 * app.use(httpMetrics({ registry }));
 * app.get('/metrics', metricsHandler(registry));
 * ```
 * @module
 */
import type { Handler, MiddlewareHandler } from 'hono';
import { negotiate, type WriteOptions } from '../exposition/mod.ts';
import { Counter } from './counter.ts';
import { Histogram } from './histogram.ts';
import type { Registry } from './registry.ts';

/** Options of `httpMetrics`. */
export interface HttpMetricsOptions {
  /** Registry the two metrics are registered with (reused when already there). */
  registry: Registry;
  /** Metric name prefix (default `beacon_`). */
  prefix?: string;
  /** Duration histogram buckets in seconds (default: the standard latency buckets). */
  buckets?: readonly number[];
  /** Clock in milliseconds, for tests (default `performance.now()`). */
  now?: () => number;
}

type RequestLabels = 'handler' | 'code' | 'method';

/**
 * Creates a middleware exposing `<prefix>http_requests_total{handler, code, method}` and
 * `<prefix>http_request_duration_seconds{handler}`.
 */
export function httpMetrics(opts: HttpMetricsOptions): MiddlewareHandler {
  const prefix = opts.prefix ?? 'beacon_';
  const now = opts.now ?? (() => performance.now());
  const requests = reuse(opts.registry, `${prefix}http_requests_total`, Counter) ??
    new Counter<RequestLabels>({
      name: `${prefix}http_requests_total`,
      help: 'Counter of HTTP requests.',
      labelNames: ['handler', 'code', 'method'],
      registers: [opts.registry],
    });
  const duration = reuse(opts.registry, `${prefix}http_request_duration_seconds`, Histogram) ??
    new Histogram<'handler'>({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Histogram of latencies for HTTP requests.',
      labelNames: ['handler'],
      buckets: opts.buckets,
      registers: [opts.registry],
    });
  return async (c, next) => {
    const start = now();
    // A handler that throws is recorded as 500 (Hono's own onError usually answers first).
    let code = 500;
    try {
      await next();
      code = c.res.status;
    } finally {
      const handler = c.req.routePath;
      requests.labels({ handler, code, method: c.req.method }).inc();
      duration.labels({ handler }).observe((now() - start) / 1000);
    }
  };
}

// deno-lint-ignore no-explicit-any
function reuse<M>(registry: Registry, name: string, cls: abstract new (...a: any[]) => M) {
  const existing = registry.get(name);
  if (existing === undefined) return undefined;
  if (!(existing instanceof cls)) {
    throw new Error(`metric "${name}" is registered with another type`);
  }
  return existing;
}

/**
 * A handler serving a registry's metrics in the format the request's `Accept` header asks for
 * (OpenMetrics or text 0.0.4, see `negotiate`).
 */
export function metricsHandler(registry: Registry, opts?: WriteOptions): Handler {
  return async (c) => {
    const { format, contentType } = negotiate(c.req.header('Accept'));
    const body = await registry.metrics(format, opts);
    return c.body(body, 200, { 'Content-Type': contentType });
  };
}
