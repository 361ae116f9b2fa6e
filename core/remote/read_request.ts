/**
 * Remote read messages to and from bytes (before snappy). Framing of streamed responses
 * (length and CRC-32C per frame) is left to the endpoint.
 * @module
 */
import { RemoteCodecError } from './errors.ts';
import {
  type ChunkedReadResponse,
  type ChunkMessage,
  type LabelMatcherMessage,
  MATCHER_TYPES,
  READ_RESPONSE_TYPES,
  type ReadHints,
  type ReadQuery,
  type ReadRequest,
  type ReadResponse,
} from './read_types.ts';
import { scanSeries } from './scan_write_request.ts';
import { TimeSeriesView } from './series_view.ts';
import type { Label, TimeSeries } from './types.ts';
import { decodeUtf8 } from './utf8.ts';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './wire_reader.ts';
import { WireWriter } from './wire_writer.ts';
import { decodeLabel, materialize, writeLabel, writeTimeSeries } from './write_request.ts';

/** Encodes a ReadRequest. */
export function encodeReadRequest(req: ReadRequest): Uint8Array<ArrayBuffer> {
  const w = new WireWriter();
  for (const q of req.queries) {
    const at = w.begin(1);
    int64(w, 1, q.startTimestampMs);
    int64(w, 2, q.endTimestampMs);
    for (const m of q.matchers) {
      const mm = w.begin(3);
      int64(w, 1, MATCHER_TYPES.indexOf(m.type));
      if (m.name !== '') w.string(2, m.name);
      if (m.value !== '') w.string(3, m.value);
      w.end(mm);
    }
    if (q.hints !== undefined) {
      const h = q.hints, hh = w.begin(4);
      int64(w, 1, h.stepMs);
      if (h.func !== '') w.string(2, h.func);
      int64(w, 3, h.startMs);
      int64(w, 4, h.endMs);
      for (const g of h.grouping) w.string(5, g);
      int64(w, 6, h.by ? 1 : 0);
      int64(w, 7, h.rangeMs);
      w.end(hh);
    }
    w.end(at);
  }
  if (req.acceptedResponseTypes.length > 0) {
    const at = w.begin(2);
    for (const t of req.acceptedResponseTypes) w.varint(READ_RESPONSE_TYPES.indexOf(t));
    w.end(at);
  }
  return w.result();
}

/**
 * Decodes a ReadRequest.
 * @throws {RemoteCodecError} malformed protobuf or an unknown matcher type.
 */
export function decodeReadRequest(bytes: Uint8Array): ReadRequest {
  const r = new WireReader(bytes);
  const out: ReadRequest = { queries: [], acceptedResponseTypes: [] };
  fields(r, r.end, (field, wt) => {
    if (field === 1) {
      r.expect(wt, WIRE_BYTES, 'ReadRequest.queries');
      out.queries.push(readQuery(r, r.delimited()));
    } else if (field === 2) {
      const push = (n: number) => {
        const t = READ_RESPONSE_TYPES[n];
        if (t === undefined) throw new RemoteCodecError(`unknown response type ${n}`);
        out.acceptedResponseTypes.push(t);
      };
      if (wt === WIRE_BYTES) {
        const e = r.delimited(), outer = r.end;
        r.end = e;
        while (r.pos < e) push(r.uint32());
        r.end = outer;
      } else {
        r.expect(wt, WIRE_VARINT, 'ReadRequest.accepted_response_types');
        push(r.uint32());
      }
    } else return false;
    return true;
  });
  return out;
}

function readQuery(r: WireReader, end: number): ReadQuery {
  const q: ReadQuery = { startTimestampMs: 0, endTimestampMs: 0, matchers: [] };
  fields(r, end, (field, wt) => {
    if (field === 1) q.startTimestampMs = varint(r, wt, 'Query.start_timestamp_ms');
    else if (field === 2) q.endTimestampMs = varint(r, wt, 'Query.end_timestamp_ms');
    else if (field === 3) {
      r.expect(wt, WIRE_BYTES, 'Query.matchers');
      q.matchers.push(readMatcher(r, r.delimited()));
    } else if (field === 4) {
      r.expect(wt, WIRE_BYTES, 'Query.hints');
      q.hints = readHints(r, r.delimited());
    } else return false;
    return true;
  });
  return q;
}

function readMatcher(r: WireReader, end: number): LabelMatcherMessage {
  const m: LabelMatcherMessage = { type: '=', name: '', value: '' };
  fields(r, end, (field, wt) => {
    if (field === 1) {
      const n = varint(r, wt, 'LabelMatcher.type');
      const t = MATCHER_TYPES[n];
      if (t === undefined) throw new RemoteCodecError(`unknown matcher type ${n}`);
      m.type = t;
    } else if (field === 2) m.name = str(r, wt, 'LabelMatcher.name');
    else if (field === 3) m.value = str(r, wt, 'LabelMatcher.value');
    else return false;
    return true;
  });
  return m;
}

function readHints(r: WireReader, end: number): ReadHints {
  const h: ReadHints = {
    stepMs: 0,
    func: '',
    startMs: 0,
    endMs: 0,
    grouping: [],
    by: false,
    rangeMs: 0,
  };
  fields(r, end, (field, wt) => {
    if (field === 1) h.stepMs = varint(r, wt, 'ReadHints.step_ms');
    else if (field === 2) h.func = str(r, wt, 'ReadHints.func');
    else if (field === 3) h.startMs = varint(r, wt, 'ReadHints.start_ms');
    else if (field === 4) h.endMs = varint(r, wt, 'ReadHints.end_ms');
    else if (field === 5) h.grouping.push(str(r, wt, 'ReadHints.grouping'));
    else if (field === 6) h.by = varint(r, wt, 'ReadHints.by') !== 0;
    else if (field === 7) h.rangeMs = varint(r, wt, 'ReadHints.range_ms');
    else return false;
    return true;
  });
  return h;
}

/** Encodes a ReadResponse (sampled answer). */
export function encodeReadResponse(res: ReadResponse): Uint8Array<ArrayBuffer> {
  const w = new WireWriter();
  for (const result of res.results) {
    const at = w.begin(1);
    for (const ts of result.timeseries) writeTimeSeries(w, 1, ts);
    w.end(at);
  }
  return w.result();
}

/**
 * Decodes a ReadResponse.
 * @throws {RemoteCodecError} malformed protobuf.
 */
export function decodeReadResponse(bytes: Uint8Array): ReadResponse {
  const r = new WireReader(bytes);
  const view = new TimeSeriesView();
  const out: ReadResponse = { results: [] };
  fields(r, r.end, (field, wt) => {
    if (field !== 1) return false;
    r.expect(wt, WIRE_BYTES, 'ReadResponse.results');
    const timeseries: TimeSeries[] = [];
    fields(r, r.delimited(), (f, w2) => {
      if (f !== 1) return false;
      r.expect(w2, WIRE_BYTES, 'QueryResult.timeseries');
      const e = r.delimited();
      view.reset(bytes);
      scanSeries(r, e, view, timeseries.length);
      timeseries.push(materialize(view, timeseries.length));
      return true;
    });
    out.results.push({ timeseries });
    return true;
  });
  return out;
}

/** Encodes one frame's message of a streamed (chunked) answer. */
export function encodeChunkedReadResponse(res: ChunkedReadResponse): Uint8Array<ArrayBuffer> {
  const w = new WireWriter();
  for (const s of res.chunkedSeries) {
    const at = w.begin(1);
    for (const l of s.labels) writeLabel(w, 1, l);
    for (const c of s.chunks) {
      const cc = w.begin(2);
      int64(w, 1, c.minTimeMs);
      int64(w, 2, c.maxTimeMs);
      int64(w, 3, c.type);
      if (c.data.length > 0) w.bytes(4, c.data);
      w.end(cc);
    }
    w.end(at);
  }
  int64(w, 2, res.queryIndex);
  return w.result();
}

/**
 * Decodes one frame's message of a streamed answer.
 * @throws {RemoteCodecError} malformed protobuf.
 */
export function decodeChunkedReadResponse(bytes: Uint8Array): ChunkedReadResponse {
  const r = new WireReader(bytes);
  const out: ChunkedReadResponse = { chunkedSeries: [], queryIndex: 0 };
  fields(r, r.end, (field, wt) => {
    if (field === 1) {
      r.expect(wt, WIRE_BYTES, 'ChunkedReadResponse.chunked_series');
      const labels: Label[] = [], chunks: ChunkMessage[] = [];
      fields(r, r.delimited(), (f, w2) => {
        if (f === 1) {
          r.expect(w2, WIRE_BYTES, 'ChunkedSeries.labels');
          labels.push(decodeLabel(r, r.delimited()));
        } else if (f === 2) {
          r.expect(w2, WIRE_BYTES, 'ChunkedSeries.chunks');
          chunks.push(readChunk(r, r.delimited()));
        } else return false;
        return true;
      });
      out.chunkedSeries.push({ labels, chunks });
    } else if (field === 2) out.queryIndex = varint(r, wt, 'ChunkedReadResponse.query_index');
    else return false;
    return true;
  });
  return out;
}

function readChunk(r: WireReader, end: number): ChunkMessage {
  const c: ChunkMessage = { minTimeMs: 0, maxTimeMs: 0, type: 0, data: new Uint8Array(0) };
  fields(r, end, (field, wt) => {
    if (field === 1) c.minTimeMs = varint(r, wt, 'Chunk.min_time_ms');
    else if (field === 2) c.maxTimeMs = varint(r, wt, 'Chunk.max_time_ms');
    else if (field === 3) c.type = varint(r, wt, 'Chunk.type');
    else if (field === 4) {
      r.expect(wt, WIRE_BYTES, 'Chunk.data');
      const e = r.delimited();
      c.data = r.buf.slice(r.pos, e);
      r.pos = e;
    } else return false;
    return true;
  });
  return c;
}

// Walks the fields of the message ending at `end`; `visit` returns false for fields it
// does not know, which are then skipped.
function fields(r: WireReader, end: number, visit: (field: number, wt: number) => boolean): void {
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 0) throw new RemoteCodecError(`invalid field number 0 at offset ${r.pos}`);
    if (!visit(field, wt)) r.skip(wt, field);
  }
  r.pos = end;
  r.end = outer;
}

function varint(r: WireReader, wt: number, name: string): number {
  r.expect(wt, WIRE_VARINT, name);
  const v = r.int64();
  if (r.unsafe) throw new RemoteCodecError(`${name} beyond ±2^53`);
  return v;
}

function str(r: WireReader, wt: number, name: string): string {
  r.expect(wt, WIRE_BYTES, name);
  const e = r.delimited();
  const s = decodeUtf8(r.buf, r.pos, e);
  if (s === null) throw new RemoteCodecError(`${name} is not valid UTF-8`);
  r.pos = e;
  return s;
}

function int64(w: WireWriter, field: number, v: number): void {
  if (v === 0) return;
  w.tag(field, 0);
  w.varint(v);
}
