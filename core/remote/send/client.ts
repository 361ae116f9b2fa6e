/**
 * One remote-write endpoint: POSTs a snappy-compressed `WriteRequest` with remote write 1.0's
 * headers and the configured auth, and sorts failures into recoverable (network, 5xx, and 429
 * when `retry_on_http_429` is set; with the `Retry-After` the server asked for) and not.
 * @module
 */
import { BUILD_INFO } from '../../version.ts';

/** A failure worth retrying; `retryAfterMs` is the server's `Retry-After`, when it sent one. */
export class RecoverableError extends Error {
  override name = 'RecoverableError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Settings of a {@link WriteClient}. */
export interface WriteClientOptions {
  url: string;
  timeoutMs: number;
  /** Extra headers per request (the config's `headers`). */
  headers: () => Promise<Headers>;
  retryOnHttp429: boolean;
  /** Remote write 2.0: its content type and version header (default 1.0). */
  v2?: boolean;
  /** The fetch to send with (the shared HTTP client's, which adds auth and TLS). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Sends write requests to one URL. */
export class WriteClient {
  readonly #o: WriteClientOptions;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;

  constructor(opts: WriteClientOptions) {
    this.#o = opts;
    this.#fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The endpoint. */
  get url(): string {
    return this.#o.url;
  }

  /**
   * Stores one compressed request.
   * @throws {RecoverableError} the send may succeed later.
   * @throws {Error} the receiver refused the data for good (other 4xx).
   */
  async store(body: Uint8Array<ArrayBuffer>, signal?: AbortSignal): Promise<void> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#o.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const headers = await this.#o.headers();
      headers.set('Content-Encoding', 'snappy');
      headers.set(
        'Content-Type',
        this.#o.v2
          ? 'application/x-protobuf;proto=io.prometheus.write.v2.Request'
          : 'application/x-protobuf',
      );
      headers.set('User-Agent', `Beacon/${BUILD_INFO.version}`);
      headers.set('X-Prometheus-Remote-Write-Version', this.#o.v2 ? '2.0.0' : '0.1.0');
      let resp: Response;
      try {
        resp = await this.#fetch(this.#o.url, {
          method: 'POST',
          headers,
          body,
          signal: timeout.signal,
        });
      } catch (e) {
        const why = timeout.signal.aborted ? 'context deadline exceeded' : describe(e);
        throw new RecoverableError(`Post ${JSON.stringify(this.#o.url)}: ${why}`);
      }
      if (resp.status >= 200 && resp.status < 300) {
        await resp.body?.cancel().catch(() => {});
        return;
      }
      let text = '';
      try {
        text = (await resp.text()).split('\n')[0].slice(0, 512);
      } catch { /* the reason is optional */ }
      const msg = `server returned HTTP status ${resp.status} ${resp.statusText}: ${text}`;
      if (resp.status >= 500 || (resp.status === 429 && this.#o.retryOnHttp429)) {
        throw new RecoverableError(msg, parseRetryAfter(resp.headers.get('retry-after')));
      }
      throw new Error(msg);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  return (err.cause?.message ?? err.message ?? String(e)).trim();
}
