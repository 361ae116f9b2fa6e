/**
 * One remote-read endpoint on the wire: POSTs a snappy-compressed `ReadRequest` with remote
 * read's headers and decodes the answer, streamed XOR chunks (`ChunkedReadResponse` frames)
 * or sampled (`ReadResponse`), whichever the server chose.
 * @module
 */
import type { SampleColumns } from '../../storage/mod.ts';
import { BUILD_INFO } from '../../version.ts';
import { decodeFrames } from '../chunked_frames.ts';
import {
  decodeChunkedReadResponse,
  decodeReadResponse,
  encodeReadRequest,
} from '../read_request.ts';
import type { ReadQuery } from '../read_types.ts';
import { snappyCompress, snappyDecompress } from '../snappy.ts';
import type { Label } from '../types.ts';
import { type ColumnSink, decodePrometheusXorChunk } from './xor_chunk_decode.ts';

/** One series of an answer, samples in time order. */
export interface ReadSeries {
  labels: Label[];
  samples: SampleColumns;
}

const XOR = 1;

/** Settings of a {@link ReadClient}. */
export interface ReadClientOptions {
  url: string;
  /** `remote_timeout`, ms. */
  timeoutMs: number;
  /** The config's `headers`, added to every request. */
  headers?: Record<string, string>;
  /** The fetch to send with (the shared HTTP client's, which adds auth and TLS). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Offer streamed XOR chunks before samples (default true). */
  streamed?: boolean;
  /** Largest frame of a streamed answer, bytes (`chunked_read_limit`; default 50 MB). */
  maxFrameBytes?: number;
}

/** Asks one remote-read endpoint. */
export class ReadClient {
  readonly #o: ReadClientOptions;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;

  constructor(opts: ReadClientOptions) {
    this.#o = opts;
    this.#fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The endpoint. */
  get url(): string {
    return this.#o.url;
  }

  /**
   * The series of one query.
   * @throws {ReadError} no answer, a non-2xx status, or a body that does not decode.
   */
  async read(query: ReadQuery, signal?: AbortSignal): Promise<ReadSeries[]> {
    const body = snappyCompress(encodeReadRequest({
      queries: [query],
      acceptedResponseTypes: this.#o.streamed === false
        ? ['samples']
        : ['streamed_xor_chunks', 'samples'],
    }));
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#o.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const headers = new Headers(this.#o.headers ?? {});
      headers.set('Content-Encoding', 'snappy');
      headers.set('Accept-Encoding', 'snappy');
      headers.set('Content-Type', 'application/x-protobuf');
      headers.set('User-Agent', `Beacon/${BUILD_INFO.version}`);
      headers.set('X-Prometheus-Remote-Read-Version', '0.1.0');
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
        throw new ReadError(`error sending request: Post ${JSON.stringify(this.#o.url)}: ${why}`);
      }
      let raw: Uint8Array;
      try {
        raw = new Uint8Array(await resp.arrayBuffer());
      } catch (e) {
        throw new ReadError(`error reading response: ${describe(e)}`, resp.status);
      }
      if (resp.status < 200 || resp.status >= 300) {
        const text = new TextDecoder().decode(raw.subarray(0, 512)).split('\n')[0].trim();
        throw new ReadError(
          `remote server ${this.#o.url} returned HTTP status ${resp.status} ${resp.statusText}: ${text}`,
          resp.status,
        );
      }
      try {
        const type = resp.headers.get('content-type') ?? '';
        if (type.startsWith('application/x-streamed-protobuf')) {
          if (!type.includes('proto=prometheus.ChunkedReadResponse')) {
            throw new Error(`unsupported content type ${JSON.stringify(type)}`);
          }
          return fromFrames(raw, this.#o.maxFrameBytes ?? 50_000_000);
        }
        return fromSampled(raw);
      } catch (e) {
        throw new ReadError(`error reading response: ${describe(e)}`, resp.status);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function fromSampled(raw: Uint8Array): ReadSeries[] {
  const res = decodeReadResponse(snappyDecompress(raw));
  if (res.results.length !== 1) throw new Error(`responses: want 1, got ${res.results.length}`);
  return res.results[0].timeseries.map((ts) => {
    const samples = [...ts.samples].sort((a, b) => a.timestamp - b.timestamp);
    const n = samples.length;
    const t = new Float64Array(n), v = new Float64Array(n);
    let stale: Uint8Array | undefined;
    for (let i = 0; i < n; i++) {
      t[i] = samples[i].timestamp;
      v[i] = samples[i].stale ? NaN : samples[i].value;
      if (samples[i].stale) (stale ??= new Uint8Array(n))[i] = 1;
    }
    return { labels: ts.labels, samples: stale ? { t, v, stale } : { t, v } };
  });
}

// A series may continue in the next frame (the server cuts frames by size): consecutive
// entries with the same labels are one series.
function fromFrames(raw: Uint8Array, maxFrameBytes: number): ReadSeries[] {
  const out: ReadSeries[] = [];
  let key = '', labels: Label[] = [], sink: ColumnSink | undefined;
  const flush = () => {
    if (sink) out.push({ labels, samples: columns(sink) });
    sink = undefined;
  };
  for (const frame of decodeFrames(raw, maxFrameBytes)) {
    const msg = decodeChunkedReadResponse(frame);
    if (msg.queryIndex !== 0) throw new Error(`unexpected query index ${msg.queryIndex}`);
    for (const s of msg.chunkedSeries) {
      const k = s.labels.map((l) => `${l.name}\xff${l.value}`).join('\xfe');
      if (sink === undefined || k !== key) {
        flush();
        key = k;
        labels = s.labels;
        sink = { t: [], v: [], stale: [] };
      }
      for (const c of s.chunks) {
        if (c.type !== XOR) throw new Error(`unsupported chunk encoding ${c.type}`);
        decodePrometheusXorChunk(c.data, sink);
      }
    }
  }
  flush();
  return out;
}

function columns(sink: ColumnSink): SampleColumns {
  const t = Float64Array.from(sink.t), v = Float64Array.from(sink.v);
  if (sink.stale.length === 0) return { t, v };
  const stale = new Uint8Array(t.length);
  for (const i of sink.stale) stale[i] = 1;
  return { t, v, stale };
}

/** A failed remote read; `status` is the HTTP status code, 0 when none came back. */
export class ReadError extends Error {
  override name = 'ReadError';
  readonly status: number;

  constructor(message: string, status = 0) {
    super(message);
    this.status = status;
  }
}

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  return (err.cause?.message ?? err.message ?? String(e)).trim();
}
