/**
 * Request body limits for every endpoint that takes a body (POST, PUT, PATCH, DELETE): the
 * query API's forms, the remote-write receiver, the admin API, the Alertmanager API v2,
 * lifecycle, and whatever an extension mounts.
 *
 * The middleware reads the whole body before the handler runs, so that a body over the limit
 * (declared by Content-Length or discovered while streaming a chunked body) gets 413 and a
 * client that drips its body slower than the read timeout gets 408, both in the Prometheus
 * error envelope, without any handler holding the request open. Handlers then read the
 * buffered copy. Go's `ParseForm` caps form bodies at 10 MiB, which is where the default
 * comes from; the remote-write receiver keeps its own larger limit (32 MiB compressed) and
 * checks the decompressed size itself.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { Counter, type Registry } from '../metrics/mod.ts';

/** Default limit of a request body, as Go's form parser: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Default limit of a remote-write body (compressed), as the receiver's own: 32 MiB. */
export const DEFAULT_MAX_REMOTE_WRITE_BYTES = 32 * 1024 * 1024;

/** Default time a client may take to send its body: Prometheus's `--web.read-timeout`, 5m. */
export const DEFAULT_READ_TIMEOUT_MS = 5 * 60 * 1000;

/** Options of {@link bodyLimit}. */
export interface BodyLimitOptions {
  /** Largest body accepted, by request path (route prefix included); default 10 MiB, 32 MiB for `…/api/v1/write`. */
  maxBytes?: number | ((path: string) => number);
  /** How long reading the body may take, ms; 0 or absent: {@link DEFAULT_READ_TIMEOUT_MS}. */
  readTimeoutMs?: number;
  /** Where `beacon_http_request_body_rejected_total{reason}` registers. */
  registry?: Registry;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Path-based default: remote write gets its larger limit, everything else 10 MiB. */
export function defaultBodyLimit(path: string): number {
  return path.endsWith('/api/v1/write') ? DEFAULT_MAX_REMOTE_WRITE_BYTES : DEFAULT_MAX_BODY_BYTES;
}

/**
 * The middleware; mount it on every path (`app.use('*', bodyLimit())`).
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, extensions, [bodyLimit({ readTimeoutMs: 300_000 })]);
 * ```
 */
export function bodyLimit(opts: BodyLimitOptions = {}): MiddlewareHandler {
  const limitOf = typeof opts.maxBytes === 'function'
    ? opts.maxBytes
    : opts.maxBytes !== undefined
    ? () => opts.maxBytes as number
    : defaultBodyLimit;
  const timeoutMs = opts.readTimeoutMs || DEFAULT_READ_TIMEOUT_MS;
  const rejected = rejectedCounter(opts.registry);
  return async (c, next) => {
    const raw = c.req.raw;
    if (!WITH_BODY.has(raw.method) || raw.body === null) return await next();
    const max = limitOf(new URL(raw.url).pathname);
    const declared = raw.headers.get('content-length');
    if (declared !== null && Number(declared) > max) {
      rejected.inc({ reason: 'too_large' });
      return tooLarge(max);
    }
    const read = await readWithin(raw.body, max, timeoutMs);
    if (read === 'too_large') {
      rejected.inc({ reason: 'too_large' });
      return tooLarge(max);
    }
    if (read === 'timeout') {
      rejected.inc({ reason: 'timeout' });
      return envelope(408, `timed out reading the request body after ${timeoutMs}ms`);
    }
    if (read instanceof Error) {
      rejected.inc({ reason: 'read_error' });
      return envelope(400, `reading the request body: ${read.message}`);
    }
    const headers = new Headers(raw.headers);
    headers.set('content-length', String(read.length));
    c.req.raw = new Request(raw.url, {
      method: raw.method,
      headers,
      body: read.length > 0 ? (read as Uint8Array<ArrayBuffer>) : null,
      signal: raw.signal,
    });
    await next();
  };
}

function tooLarge(max: number): Response {
  return envelope(413, `request body too large: limit is ${max} bytes`);
}

function envelope(status: number, error: string): Response {
  return new Response(JSON.stringify({ status: 'error', errorType: 'bad_data', error }), {
    status,
    headers: { 'content-type': 'application/json', connection: 'close' },
  });
}

/**
 * Reads `body` whole, giving up once it passes `max` bytes or `timeoutMs` elapses. The
 * deadline covers the whole body, not each chunk, so that a client dripping one byte at a
 * time cannot keep the request alive forever.
 */
async function readWithin(
  body: ReadableStream<Uint8Array>,
  max: number,
  timeoutMs: number,
): Promise<Uint8Array | 'too_large' | 'timeout' | Error> {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    for (;;) {
      const r = await Promise.race([reader.read(), deadline]);
      if (r === 'timeout') {
        reader.cancel().catch(() => {});
        return 'timeout';
      }
      if (r.done) break;
      n += r.value.length;
      if (n > max) {
        reader.cancel().catch(() => {});
        return 'too_large';
      }
      chunks.push(r.value);
    }
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let p = 0;
  for (const ch of chunks) {
    out.set(ch, p);
    p += ch.length;
  }
  return out;
}

function rejectedCounter(registry: Registry | undefined): Counter<'reason'> {
  const name = 'beacon_http_request_body_rejected_total';
  return (registry?.get(name) as Counter<'reason'> | undefined) ??
    new Counter<'reason'>({
      name,
      help:
        'Requests refused before their handler ran: body over the limit (413), body not read within --web.read-timeout (408), or a broken body.',
      labelNames: ['reason'],
      registers: registry ? [registry] : [],
    });
}
