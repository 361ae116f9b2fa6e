/**
 * One scrape's HTTP exchange: the request Prometheus sends (Accept from `scrape_protocols`,
 * gzip, the timeout header, auth, params), and the body read under `body_size_limit`, with
 * errors worded as Prometheus words them.
 * @module
 */
import type { Secret } from '../config/secret.ts';
import type { ScrapeConfig } from '../config/scrape.ts';
import { BUILD_INFO } from '../version.ts';

/** A scrape that failed; `message` is what the targets API shows as `lastError`. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

/** The body was at least `body_size_limit` bytes (after decompression). */
export const BODY_SIZE_LIMIT_ERROR = 'body size limit exceeded';

/** Reads a credentials file (`password_file`, `credentials_file`, …); injected by the host. */
export type ReadFile = (path: string) => Promise<string>;

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

const reveal = (s: Secret | undefined) => (s ? s.reveal() : '');

/** Builds the function that yields a job's auth and custom headers for each request. */
export function headerBuilder(
  cfg: Pick<
    ScrapeConfig,
    'basic_auth' | 'authorization' | 'bearer_token' | 'bearer_token_file' | 'http_headers'
  >,
  readFile?: ReadFile,
): () => Promise<Headers> {
  const read = async (path: string | undefined): Promise<string> => {
    if (!path) return '';
    if (!readFile) throw new ScrapeError(`cannot read ${path}: no file access on this host`);
    try {
      return (await readFile(path)).trim();
    } catch (e) {
      throw new ScrapeError(`unable to read file ${path}: ${(e as Error).message}`);
    }
  };
  return async () => {
    const h = new Headers();
    for (const [name, hv] of Object.entries(cfg.http_headers ?? {})) {
      for (const v of hv.values ?? []) h.append(name, v);
      for (const s of hv.secrets ?? []) h.append(name, s.reveal());
      for (const f of hv.files ?? []) h.append(name, await read(f));
    }
    const b = cfg.basic_auth;
    if (b) {
      const user = b.username_file ? await read(b.username_file) : b.username;
      const pass = b.password_file ? await read(b.password_file) : reveal(b.password);
      h.set('Authorization', 'Basic ' + base64(`${user}:${pass}`));
    }
    const a = cfg.authorization;
    if (a) {
      const cred = a.credentials_file ? await read(a.credentials_file) : reveal(a.credentials);
      h.set('Authorization', `${a.type} ${cred}`);
    } else if (cfg.bearer_token || cfg.bearer_token_file) {
      const tok = cfg.bearer_token_file
        ? await read(cfg.bearer_token_file)
        : reveal(cfg.bearer_token);
      h.set('Authorization', `Bearer ${tok}`);
    }
    return h;
  };
}

function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

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
    const headers = await req.headers();
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
