/**
 * `prometheus.WriteRequest` (remote write 1.0) to and from plain objects, and a streaming
 * encoder for senders that hold samples in columns.
 * @module
 */
import type { Labels } from '../model/mod.ts';
import { RemoteCodecError } from './errors.ts';
import { scanWriteRequest } from './scan_write_request.ts';
import type { TimeSeriesView } from './series_view.ts';
import type { Exemplar, Label, MetricMetadata, Sample, TimeSeries, WriteRequest } from './types.ts';
import { METRIC_TYPES } from './types.ts';
import { decodeUtf8 } from './utf8.ts';
import {
  isStaleMarkerLE,
  WIRE_BYTES,
  WIRE_FIXED64,
  WIRE_VARINT,
  WireReader,
} from './wire_reader.ts';
import { WireWriter } from './wire_writer.ts';

/**
 * Decodes an uncompressed WriteRequest into plain objects. Labels stay as sent (unsorted or
 * duplicated labels are the receiver's to judge).
 * @throws {RemoteCodecError} malformed protobuf, or a string that is not valid UTF-8.
 */
export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  const out: WriteRequest = { timeseries: [], metadata: [] };
  scanWriteRequest(bytes, {
    series: (v) => out.timeseries.push(materialize(v, out.timeseries.length)),
    metadata: (m) => out.metadata.push(m),
  });
  return out;
}

/** The plain-object form of the series in `v`. */
export function materialize(v: TimeSeriesView, index: number): TimeSeries {
  if (v.unsafeTimestamps > 0) {
    throw new RemoteCodecError(`series ${index}: timestamp beyond ±2^53 ms`);
  }
  const labels: Label[] = [];
  for (let i = 0; i < v.labelCount; i++) {
    const name = v.labelName(i), value = v.labelValue(i);
    if (name === null || value === null) {
      throw new RemoteCodecError(`series ${index}: label ${i} is not valid UTF-8`);
    }
    labels.push({ name, value });
  }
  const samples: Sample[] = [];
  for (let i = 0; i < v.sampleCount; i++) {
    const s: Sample = { value: v.values[i], timestamp: v.timestamps[i] };
    if (v.stale[i] === 1) s.stale = true;
    samples.push(s);
  }
  const exemplars: Exemplar[] = [];
  for (let i = 0; i < v.exemplarCount; i++) {
    exemplars.push(decodeExemplar(v.buf, v.exemplarBounds[2 * i], v.exemplarBounds[2 * i + 1]));
  }
  const histograms: Uint8Array[] = [];
  for (let i = 0; i < v.histogramCount; i++) {
    histograms.push(v.buf.slice(v.histogramBounds[2 * i], v.histogramBounds[2 * i + 1]));
  }
  return { labels, samples, exemplars, histograms };
}

function decodeExemplar(buf: Uint8Array, start: number, end: number): Exemplar {
  const r = new WireReader(buf);
  r.pos = start;
  r.end = end;
  const e: Exemplar = { labels: [], value: 0, timestamp: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1) {
      r.expect(wt, WIRE_BYTES, 'Exemplar.labels');
      const le = r.delimited();
      e.labels.push(decodeLabel(r, le));
    } else if (field === 2) {
      r.expect(wt, WIRE_FIXED64, 'Exemplar.value');
      const p = r.pos;
      e.value = r.double();
      if (e.value !== e.value && isStaleMarkerLE(r.view, p)) e.value = NaN;
    } else if (field === 3) {
      r.expect(wt, WIRE_VARINT, 'Exemplar.timestamp');
      e.timestamp = r.int64();
      if (r.unsafe) throw new RemoteCodecError('exemplar timestamp beyond ±2^53 ms');
    } else r.skip(wt, field);
  }
  return e;
}

/** Reads one `prometheus.Label` message ending at `end`. */
export function decodeLabel(r: WireReader, end: number): Label {
  const outer = r.end;
  r.end = end;
  let name = '', value = '';
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 || field === 2) {
      r.expect(wt, WIRE_BYTES, field === 1 ? 'Label.name' : 'Label.value');
      const e = r.delimited();
      const s = decodeUtf8(r.buf, r.pos, e);
      if (s === null) throw new RemoteCodecError(`label at offset ${r.pos} is not valid UTF-8`);
      if (field === 1) name = s;
      else value = s;
      r.pos = e;
    } else r.skip(wt, field);
  }
  r.end = outer;
  return { name, value };
}

/** Encodes a WriteRequest (uncompressed), in the field order Prometheus writes. */
export function encodeWriteRequest(req: WriteRequest): Uint8Array<ArrayBuffer> {
  const enc = new WriteRequestEncoder();
  for (const ts of req.timeseries) enc.addTimeSeries(ts);
  for (const m of req.metadata) enc.addMetadata(m);
  return enc.finish();
}

/**
 * Builds a WriteRequest series by series, straight from columns; for senders.
 *
 * @example
 * ```ts
 * const enc = new WriteRequestEncoder();
 * enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [1000, 2000], [1, 1]);
 * const body = snappyCompress(enc.finish());
 * ```
 */
export class WriteRequestEncoder {
  readonly #w: WireWriter;

  constructor(initialBytes = 64 * 1024) {
    this.#w = new WireWriter(initialBytes);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#w.pos;
  }

  /**
   * Adds a series from a sorted label set and sample columns; `stale[i] === 1` writes the
   * stale marker for sample `i` (its value is ignored).
   */
  addSeries(
    labels: Labels,
    t: ArrayLike<number>,
    v: ArrayLike<number>,
    stale?: ArrayLike<number>,
  ): void {
    const w = this.#w;
    const ts = w.begin(1);
    const flat = labels.flat;
    for (let i = 0; i < flat.length; i += 2) {
      const l = w.begin(1);
      w.string(1, flat[i]);
      w.string(2, flat[i + 1]);
      w.end(l);
    }
    for (let i = 0; i < t.length; i++) {
      writeSample(w, t[i], v[i], stale !== undefined && stale[i] === 1);
    }
    w.end(ts);
  }

  /** Adds a series in object form (labels written as given). */
  addTimeSeries(series: TimeSeries): void {
    writeTimeSeries(this.#w, 1, series);
  }

  /** Adds one metadata entry. */
  addMetadata(m: MetricMetadata): void {
    const w = this.#w;
    const at = w.begin(3);
    const type = METRIC_TYPES.indexOf(m.type);
    if (type > 0) w.tag(1, 0), w.varint(type);
    if (m.metricFamilyName !== '') w.string(2, m.metricFamilyName);
    if (m.help !== '') w.string(4, m.help);
    if (m.unit !== '') w.string(5, m.unit);
    w.end(at);
  }

  /** Returns the encoded request and starts a new one. */
  finish(): Uint8Array<ArrayBuffer> {
    const out = this.#w.result();
    this.#w.pos = 0;
    return out;
  }
}

/** Writes `series` as a `prometheus.TimeSeries` in `field` (also used by remote read). */
export function writeTimeSeries(w: WireWriter, field: number, series: TimeSeries): void {
  const ts = w.begin(field);
  for (const l of series.labels) writeLabel(w, 1, l);
  for (const s of series.samples) writeSample(w, s.timestamp, s.value, s.stale === true);
  for (const e of series.exemplars) {
    const at = w.begin(3);
    for (const l of e.labels) writeLabel(w, 1, l);
    if (e.value !== 0) w.double(2, e.value);
    if (e.timestamp !== 0) w.tag(3, 0), w.varint(e.timestamp);
    w.end(at);
  }
  for (const h of series.histograms) w.bytes(4, h);
  w.end(ts);
}

/** Writes a `prometheus.Label` in `field`; empty strings are omitted, as Go's encoder does. */
export function writeLabel(w: WireWriter, field: number, l: Label): void {
  const at = w.begin(field);
  if (l.name !== '') w.string(1, l.name);
  if (l.value !== '') w.string(2, l.value);
  w.end(at);
}

// Zero values are omitted, as proto3 encoders do (so golden bytes match Go's output).
function writeSample(w: WireWriter, t: number, v: number, stale: boolean): void {
  const at = w.begin(2);
  if (stale) w.staleMarker(1);
  else if (v !== 0) w.double(1, v);
  if (t !== 0) {
    w.tag(2, 0);
    w.varint(t);
  }
  w.end(at);
}
