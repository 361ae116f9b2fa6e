/**
 * One scrape's HTTP exchange: the request Prometheus sends (Accept from `scrape_protocols`,
 * gzip, the timeout header, auth, params), and the body read under `body_size_limit`, with
 * errors worded as Prometheus words them.
 * @module
 */
import { BUILD_INFO } from '../version.ts';

/** A scrape that failed; `message` is what the targets API shows as `lastError`. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

/** The body was at least `body_size_limit` bytes (after decompression). */
export const BODY_SIZE_LIMIT_ERROR = 'body size limit exceeded';

/** Reads a credentials file (`password_file`, `credentials_file`, …); injected by the host. */
export type { ReadFile } from '../http_client/mod.ts';

/** What a scrape's request needs, resolved once per target. */
export interface ScrapeRequest {
  url: string;
  timeoutMs: number;
  accept: string;
  enableCompression: boolean;
  /** 0 for no limit. */
  bodySizeLimit: number;
  followRedirects: boolean;
  /** Adds auth and configured headers; re-run per scrape so rotated files are picked up. */
  headers: () => Promise<Headers>;
  fetch: typeof fetch;
}

/** The body and content type of a successful scrape. */
export interface ScrapeResponse {
  body: Uint8Array;
  contentType: string;
}

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Builds the function that yields a job's auth and custom headers for each request. */
export { headerBuilder } from '../http_client/mod.ts';

/**
 * Performs one scrape. `signal` aborts it (shutdown); the timeout is the request's own.
 * @throws {ScrapeError} with Prometheus's message on any failure.
 */
export async function scrapeHttp(
  req: ScrapeRequest,
  signal?: AbortSignal,
): Promise<ScrapeResponse> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
  const onAbort = () => timeout.abort();
  signal?.addEventListener('abort', onAbort);
  const get = `Get ${JSON.stringify(req.url)}`;
  try {
    let headers: Headers;
    try {
      headers = await req.headers();
    } catch (e) {
      throw new ScrapeError(`${get}: ${(e as Error).message}`);
    }
    headers.set('Accept', req.accept);
    headers.set('Accept-Encoding', req.enableCompression ? 'gzip' : 'identity');
    headers.set('User-Agent', `Beacon/${BUILD_INFO.version}`);
    headers.set('X-Prometheus-Scrape-Timeout-Seconds', String(req.timeoutMs / 1000));
    let resp: Response;
    try {
      resp = await req.fetch(req.url, {
        headers,
        signal: timeout.signal,
        redirect: req.followRedirects ? 'follow' : 'manual',
      });
    } catch (e) {
      throw new ScrapeError(`${get}: ${describeFetchError(e, timeout.signal.aborted)}`);
    }
    if (resp.status !== 200) {
      resp.body?.cancel().catch(() => {});
      const text = resp.statusText || STATUS_TEXT[resp.status] || '';
      throw new ScrapeError(`server returned HTTP status ${resp.status}${text ? ' ' + text : ''}`);
    }
    let body: Uint8Array;
    try {
      body = await readBody(resp, req.bodySizeLimit);
    } catch (e) {
      if (e instanceof ScrapeError) throw e;
      throw new ScrapeError(
        timeout.signal.aborted ? 'context deadline exceeded' : String((e as Error).message ?? e),
      );
    }
    return { body, contentType: resp.headers.get('content-type') ?? '' };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function describeFetchError(e: unknown, timedOut: boolean): string {
  if (timedOut) return 'context deadline exceeded';
  const err = e as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const msg = `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  if (code === 'ECONNREFUSED' || code === 'ConnectionRefused' || /refused/i.test(msg)) {
    return 'connect: connection refused';
  }
  return (err.cause?.message ?? err.message ?? String(e)).trim();
}

/** Reads the whole body; gunzips it where the runtime left it compressed; enforces the limit. */
async function readBody(resp: Response, limit: number): Promise<Uint8Array> {
  if (!resp.body) return new Uint8Array(0);
  const reader = resp.body.getReader();
  const first = await reader.read();
  if (first.done) return new Uint8Array(0);
  let stream: ReadableStream<Uint8Array> = prepend(first.value, reader);
  const enc = resp.headers.get('content-encoding') ?? '';
  // Some runtimes decompress and keep the header: trust the gzip magic bytes, not the header.
  if (/gzip/i.test(enc) && first.value[0] === 0x1f && first.value[1] === 0x8b) {
    stream = stream.pipeThrough(
      new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  }
  const chunks: Uint8Array[] = [];
  let n = 0;
  const r = stream.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    n += value.length;
    if (limit > 0 && n >= limit) {
      r.cancel().catch(() => {});
      throw new ScrapeError(BODY_SIZE_LIMIT_ERROR);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function prepend(
  head: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (!sent) {
        sent = true;
        ctrl.enqueue(head);
        return;
      }
      const { done, value } = await rest.read();
      if (done) ctrl.close();
      else ctrl.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}
