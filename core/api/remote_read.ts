/**
 * `POST /api/v1/read`: the remote-read endpoint. The body is a snappy-compressed
 * `prometheus.ReadRequest`; the answer is either a snappy-compressed `ReadResponse` with raw
 * samples, or (when the client accepts it first) a stream of CRC-framed
 * `ChunkedReadResponse` messages holding XOR chunks.
 *
 * Behaviour, and where it follows or departs from Prometheus (`storage/remote/read_handler.go`):
 * - Response type: the first accepted type the server supports; none listed means samples;
 *   a list with none we support is a 400.
 * - External labels are added to every series that lacks them (a series' own label wins),
 *   and an `=` matcher asking for an external label's value is turned into `name=""`, since
 *   the label is not in local storage.
 * - Sampled answers: more than `maxSamples` samples in one query → 400
 *   `exceeded sample limit (N)`. Streamed answers have no sample limit, as in Prometheus.
 * - Stale markers keep their NaN bit pattern (`0x7ff0000000000002`) in both answer types.
 * - Not snappy, not the protobuf, a body over 32 MiB → 400. Errors are plain text, as
 *   Prometheus's `http.Error` writes them.
 * - A regex that does not compile is a 400 here (Prometheus answers 500).
 * - At most `maxConcurrent` requests run at once; the others wait their turn.
 * - Streamed answers are built query by query before the first byte is sent, so an error in
 *   any query still gets a proper status (Prometheus flushes frames as it goes).
 * - Streamed chunks hold only samples inside the query's range (Prometheus sends whole
 *   stored chunks and lets the client trim), cut where Prometheus's head cuts them
 *   (`chunkStarts`: 2h windows, about 120 samples).
 * @module
 */
import type { Hono } from 'hono';
import { type Labels, Matcher } from '../model/mod.ts';
import {
  type ChunkMessage,
  chunkStarts,
  decodeReadRequest,
  encodeChunkedReadResponse,
  encodeFrame,
  encodePrometheusXorChunk,
  type Label,
  type LabelMatcherMessage,
  type ReadHints,
  type ReadQuery,
  type ReadRequest,
  RemoteCodecError,
  snappyCompress,
  snappyDecompress,
  WriteRequestEncoder,
} from '../remote/mod.ts';
import type { SampleColumns, SelectHints, Storage } from '../storage/mod.ts';

import type { ApiExtension } from './app.ts';

/** Options of {@link remoteReadApi}. */
export interface RemoteReadApiOptions {
  storage: Storage;
  /** The current `global.external_labels` (read per request, so a reload applies). */
  externalLabels: () => Record<string, string>;
  /** Most samples one query of a sampled answer may return; 0 means no limit. Default 5e7. */
  maxSamples?: number;
  /** Requests served at once; more wait. 0 means no limit. Default 10. */
  maxConcurrent?: number;
  /** Bytes of chunk data after which a streamed frame is closed; default 1 MiB. */
  maxBytesInFrame?: number;
}

/** Content-Type of a streamed answer. */
export const STREAMED_CONTENT_TYPE =
  'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse';

// Prometheus refuses compressed bodies above this before decoding.
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The remote-read endpoint as an API extension, mounted under `/api/v1`.
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, [remoteReadApi({ storage, externalLabels: () => ({}) })]);
 * ```
 */
export function remoteReadApi(opts: RemoteReadApiOptions): ApiExtension {
  const gate = new Gate(opts.maxConcurrent ?? 10);
  return (api: Hono) => {
    api.post('/read', async (c) => {
      await gate.enter();
      try {
        return await serveRead(opts, c.req.raw);
      } finally {
        gate.leave();
      }
    });
  };
}

async function serveRead(opts: RemoteReadApiOptions, req: Request): Promise<Response> {
  const body = new Uint8Array(await req.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) {
    return plainError(400, `request body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  let request: ReadRequest;
  try {
    request = decodeReadRequest(snappyDecompress(body));
  } catch (err) {
    if (err instanceof RemoteCodecError) return plainError(400, err.message);
    throw err;
  }
  const streamed = negotiate(request.acceptedResponseTypes);
  if (streamed === undefined) {
    return plainError(
      400,
      `server does not support any of the requested response types: ${
        request.acceptedResponseTypes.join(', ')
      }; supported: samples, streamed_xor_chunks`,
    );
  }
  const ext = opts.externalLabels();
  const extSorted: [string, string][] = Object.entries(ext).sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
  );
  try {
    return streamed
      ? await streamedAnswer(opts, request.queries, ext, extSorted)
      : await sampledAnswer(opts, request.queries, ext, extSorted);
  } catch (err) {
    if (err instanceof ReadError) return plainError(err.status, err.message);
    throw err;
  }
}

// true: streamed chunks; false: samples; undefined: nothing acceptable.
function negotiate(accepted: readonly string[]): boolean | undefined {
  if (accepted.length === 0) return false;
  for (const t of accepted) {
    if (t === 'samples') return false;
    if (t === 'streamed_xor_chunks') return true;
  }
  return undefined;
}

async function sampledAnswer(
  opts: RemoteReadApiOptions,
  queries: readonly ReadQuery[],
  ext: Record<string, string>,
  extSorted: readonly [string, string][],
): Promise<Response> {
  const limit = opts.maxSamples ?? 50_000_000;
  const enc = new WriteRequestEncoder();
  // A QueryResult has the timeseries in field 1, like a WriteRequest, so the encoder's
  // output is the QueryResult body; each is wrapped as field 1 of the ReadResponse.
  const parts: Uint8Array[] = [];
  for (const q of queries) {
    let n = 0;
    await eachSeries(opts.storage, q, ext, (labels, cols) => {
      n += cols.t.length;
      if (limit > 0 && n > limit) throw new ReadError(400, `exceeded sample limit (${limit})`);
      enc.addSeries(withExternal(labels, extSorted), cols.t, cols.v, cols.stale);
    });
    parts.push(delimited(1, enc.finish()));
  }
  return new Response(snappyCompress(concat(parts)), {
    status: 200,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
  });
}

async function streamedAnswer(
  opts: RemoteReadApiOptions,
  queries: readonly ReadQuery[],
  ext: Record<string, string>,
  extSorted: readonly [string, string][],
): Promise<Response> {
  const maxBytes = opts.maxBytesInFrame ?? 1024 * 1024;
  const frames: Uint8Array[] = [];
  for (let qi = 0; qi < queries.length; qi++) {
    await eachSeries(opts.storage, queries[qi], ext, (labels, cols) => {
      const merged = withExternal(labels, extSorted);
      const wire: Label[] = [];
      merged.forEach((name, value) => wire.push({ name, value }));
      let budget = maxBytes - labelBytes(wire);
      let chunks: ChunkMessage[] = [];
      const starts = chunkStarts(cols.t);
      for (let c = 0; c < starts.length; c++) {
        const from = starts[c];
        const to = c + 1 < starts.length ? starts[c + 1] : cols.t.length;
        const chunk = encodePrometheusXorChunk(cols, from, to);
        chunks.push(chunk);
        budget -= chunk.data.length;
        // As Prometheus: a frame holds one series' chunks until it reaches the size budget.
        if (to < cols.t.length && budget > 0) continue;
        frames.push(frame(wire, chunks, qi));
        chunks = [];
        budget = maxBytes - labelBytes(wire);
      }
    });
  }
  return new Response(concat(frames), {
    status: 200,
    headers: { 'content-type': STREAMED_CONTENT_TYPE },
  });
}

function frame(labels: Label[], chunks: ChunkMessage[], queryIndex: number): Uint8Array {
  return encodeFrame(
    encodeChunkedReadResponse({ chunkedSeries: [{ labels, chunks }], queryIndex }),
  );
}

function labelBytes(labels: readonly Label[]): number {
  let n = 0;
  for (const l of labels) n += l.name.length + l.value.length + 4;
  return n;
}

// Runs one query: its matchers (external-label equality rewritten) against a querier over
// the query's range, handing each series with samples to `visit`.
async function eachSeries(
  storage: Storage,
  q: ReadQuery,
  ext: Record<string, string>,
  visit: (labels: Labels, cols: SampleColumns) => void,
): Promise<void> {
  const matchers = q.matchers.map((m) => toMatcher(m, ext));
  const querier = storage.querier(q.startTimestampMs, q.endTimestampMs);
  try {
    const set = await querier.select(matchers, selectHints(q.hints));
    for (const s of set) {
      const cols = s.samples();
      if (cols.t.length > 0) visit(s.labels, cols);
    }
  } finally {
    querier.close();
  }
}

function toMatcher(m: LabelMatcherMessage, ext: Record<string, string>): Matcher {
  // External labels are not stored, so asking for one's value means asking for its absence.
  const value = m.type === '=' && (ext[m.name] ?? '') === m.value ? '' : m.value;
  try {
    return Matcher.create(m.type, m.name, value);
  } catch (err) {
    throw new ReadError(400, `invalid matcher ${m.name}${m.type}"${m.value}": ${String(err)}`);
  }
}

function selectHints(h: ReadHints | undefined): SelectHints | undefined {
  if (h === undefined) return undefined;
  return { start: h.startMs, end: h.endMs, step: h.stepMs, func: h.func, range: h.rangeMs };
}

function withExternal(labels: Labels, extSorted: readonly [string, string][]): Labels {
  if (extSorted.length === 0) return labels;
  let b: ReturnType<Labels['builder']> | undefined;
  for (const [name, value] of extSorted) {
    if (value === '' || labels.has(name)) continue;
    (b ??= labels.builder()).set(name, value);
  }
  return b === undefined ? labels : b.labels();
}

function delimited(field: number, body: Uint8Array): Uint8Array {
  const head: number[] = [(field << 3) | 2];
  let n = body.length;
  while (n >= 0x80) {
    head.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  head.push(n);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

function plainError(status: number, message: string): Response {
  return new Response(message + '\n', {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

// An error that answers with `status` and its message as plain text.
class ReadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

// Counting semaphore: `enter` resolves when fewer than `max` holders are inside.
class Gate {
  #inside = 0;
  readonly #waiting: (() => void)[] = [];
  constructor(readonly max: number) {}

  enter(): Promise<void> {
    if (this.max <= 0 || this.#inside < this.max) {
      this.#inside++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  leave(): void {
    if (this.max <= 0) return;
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#inside--;
  }
}
