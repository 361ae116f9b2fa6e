/**
 * One pass over an encoded `prometheus.WriteRequest`, handing each series to a visitor as a
 * reused {@link TimeSeriesView}: no object per sample, no string per label unless the
 * visitor asks for one. The receiver's hot path.
 * @module
 */
import { RemoteCodecError } from './errors.ts';
import { TimeSeriesView } from './series_view.ts';
import { METRIC_TYPES, type MetricMetadata } from './types.ts';
import { decodeUtf8 } from './utf8.ts';
import {
  isStaleMarkerLE,
  WIRE_BYTES,
  WIRE_FIXED64,
  WIRE_VARINT,
  WireReader,
} from './wire_reader.ts';

/** Receives the parts of a request in wire order. */
export interface WriteRequestVisitor {
  /** One series; `view` is overwritten after the call returns. */
  series(view: TimeSeriesView): void;
  /** One metadata entry; when absent, metadata is checked for well-formedness and dropped. */
  metadata?(m: MetricMetadata): void;
}

/**
 * Scans `bytes` (an uncompressed WriteRequest) and calls `visitor` for every series and
 * metadata entry. Unknown fields are skipped, as protobuf requires.
 * @throws {RemoteCodecError} the bytes are not a well-formed WriteRequest.
 */
export function scanWriteRequest(
  bytes: Uint8Array,
  visitor: WriteRequestVisitor,
  view: TimeSeriesView = new TimeSeriesView(),
): void {
  const r = new WireReader(bytes);
  let index = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1) {
      r.expect(wt, WIRE_BYTES, 'WriteRequest.timeseries');
      const end = r.delimited();
      view.reset(bytes);
      scanSeries(r, end, view, index++);
      visitor.series(view);
    } else if (field === 3) {
      r.expect(wt, WIRE_BYTES, 'WriteRequest.metadata');
      const end = r.delimited();
      const m = scanMetadata(r, end);
      if (visitor.metadata) visitor.metadata(m);
    } else {
      checkField(field, r);
      r.skip(wt, field);
    }
  }
}

function checkField(field: number, r: WireReader): void {
  if (field === 0) throw new RemoteCodecError(`invalid field number 0 at offset ${r.pos}`);
}

/**
 * Appends the `prometheus.Sample` message at `r.pos` (ending at `end`) to `v`; `outerEnd` is
 * restored as the reader's limit. Shared by 1.0 and 2.0, whose Sample messages agree.
 */
export function scanSample(r: WireReader, end: number, outerEnd: number, v: TimeSeriesView): void {
  const buf = r.buf;
  r.end = end;
  let value = 0, t = 0, stale = 0;
  while (r.pos < end) {
    const st = buf[r.pos] < 0x80 ? buf[r.pos++] : r.uint32();
    if (st === 0x09) { // value, fixed64
      const p = r.pos;
      value = r.double();
      stale = value !== value && isStaleMarkerLE(r.view, p) ? 1 : 0;
    } else if (st === 0x10) { // timestamp, varint
      t = r.int64();
      if (r.unsafe) v.unsafeTimestamps++;
    } else {
      const f = st >>> 3;
      if (f === 1) r.expect(st & 7, WIRE_FIXED64, 'Sample.value');
      if (f === 2) r.expect(st & 7, WIRE_VARINT, 'Sample.timestamp');
      checkField(f, r);
      r.skip(st & 7, f);
    }
  }
  r.end = outerEnd;
  const i = v.sampleCount++;
  if (i >= v.timestamps.length) v.growSamples();
  v.timestamps[i] = t;
  v.values[i] = value;
  v.stale[i] = stale;
}

/** Fills `v` from the `prometheus.TimeSeries` message at `r.pos` ending at `end`. */
export function scanSeries(
  r: WireReader,
  end: number,
  v: TimeSeriesView,
  index: number,
): void {
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tagPos = r.pos;
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    switch (field) {
      case 1: { // labels
        r.expect(wt, WIRE_BYTES, 'TimeSeries.labels');
        const e = r.delimited();
        if (v.labelsStart < 0) v.labelsStart = tagPos;
        else if (v.labelsEnd !== tagPos) v.labelsContiguous = false;
        scanLabel(r, e, v);
        v.labelsEnd = e;
        break;
      }
      case 2: // samples
        r.expect(wt, WIRE_BYTES, 'TimeSeries.samples');
        scanSample(r, r.delimited(), end, v);
        break;
      case 3: // exemplars
      case 4: { // histograms
        r.expect(wt, WIRE_BYTES, field === 3 ? 'TimeSeries.exemplars' : 'TimeSeries.histograms');
        const e = r.delimited();
        v.pushRange(field === 3 ? 0 : 1, r.pos, e);
        walkMessage(r, e);
        break;
      }
      default:
        checkField(field, r);
        r.skip(wt, field);
    }
  }
  if (r.pos !== end) throw new RemoteCodecError(`series ${index} overruns its length`);
  r.end = outer;
}

function scanLabel(r: WireReader, end: number, v: TimeSeriesView): void {
  const outer = r.end;
  r.end = end;
  let ns = end, ne = end, vs = end, ve = end;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1) {
      r.expect(wt, WIRE_BYTES, 'Label.name');
      const e = r.delimited();
      ns = r.pos;
      ne = e;
      r.pos = e;
    } else if (field === 2) {
      r.expect(wt, WIRE_BYTES, 'Label.value');
      const e = r.delimited();
      vs = r.pos;
      ve = e;
      r.pos = e;
    } else {
      checkField(field, r);
      r.skip(wt, field);
    }
  }
  r.end = outer;
  v.pushLabel(ns, ne, vs, ve);
}

/** Checks that `[pos, end)` is a well-formed sequence of fields, without interpreting them. */
export function walkMessage(r: WireReader, end: number): void {
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.uint32();
    checkField(tag >>> 3, r);
    r.skip(tag & 7, tag >>> 3);
  }
  r.end = outer;
}

function scanMetadata(r: WireReader, end: number): MetricMetadata {
  const outer = r.end;
  r.end = end;
  const m: MetricMetadata = { type: 'unknown', metricFamilyName: '', help: '', unit: '' };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1) {
      r.expect(wt, WIRE_VARINT, 'MetricMetadata.type');
      const t = r.int64();
      m.type = METRIC_TYPES[t] ?? 'unknown';
    } else if (field === 2 || field === 4 || field === 5) {
      const name = field === 2 ? 'metric_family_name' : field === 4 ? 'help' : 'unit';
      r.expect(wt, WIRE_BYTES, `MetricMetadata.${name}`);
      const e = r.delimited();
      const s = decodeUtf8(r.buf, r.pos, e);
      if (s === null) {
        throw new RemoteCodecError(`MetricMetadata.${name} at offset ${r.pos} is not valid UTF-8`);
      }
      if (field === 2) m.metricFamilyName = s;
      else if (field === 4) m.help = s;
      else m.unit = s;
      r.pos = e;
    } else {
      checkField(field, r);
      r.skip(wt, field);
    }
  }
  r.end = outer;
  return m;
}
