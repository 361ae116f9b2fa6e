/**
 * One pass over an encoded remote-write 2.0 `io.prometheus.write.v2.Request`: the symbol table
 * first, then each series handed to the visitor as a {@link TimeSeriesView} whose label
 * ranges point at the symbols' bytes, so the 1.0 validation and ingest code serves both.
 * @module
 */
import { RemoteCodecError } from './errors.ts';
import { TimeSeriesView } from './series_view.ts';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './wire_reader.ts';
import { scanSample, walkMessage } from './scan_write_request.ts';

/** Receives the series of a 2.0 request in wire order. */
export interface WriteRequestV2Visitor {
  /** One series; `view` is overwritten after the call returns. Its labels are never contiguous. */
  series(view: TimeSeriesView): void;
}

/**
 * Scans `bytes` (an uncompressed 2.0 Request) and calls `visitor` for every series.
 * @throws {RemoteCodecError} malformed protobuf, a first symbol that is not empty, or a
 *   reference outside the symbol table.
 */
export function scanWriteRequestV2(
  bytes: Uint8Array,
  visitor: WriteRequestV2Visitor,
  view: TimeSeriesView = new TimeSeriesView(),
): void {
  const symbols = readSymbols(bytes);
  const r = new WireReader(bytes);
  let index = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 0) throw new RemoteCodecError(`invalid field number 0 at offset ${r.pos}`);
    if (field === 5) {
      r.expect(wt, WIRE_BYTES, 'Request.timeseries');
      const end = r.delimited();
      view.reset(bytes);
      view.labelsContiguous = false;
      scanSeries(r, end, view, symbols, index++);
      visitor.series(view);
    } else r.skip(wt, field);
  }
}

/** Symbol table as [start, end) byte ranges, checked: the first symbol must be empty. */
function readSymbols(bytes: Uint8Array): Int32Array {
  const r = new WireReader(bytes);
  let ranges = new Int32Array(256);
  let n = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 4) {
      r.expect(wt, WIRE_BYTES, 'Request.symbols');
      const e = r.delimited();
      if (2 * n + 2 > ranges.length) {
        const next = new Int32Array(ranges.length * 2);
        next.set(ranges);
        ranges = next;
      }
      ranges[2 * n] = r.pos;
      ranges[2 * n + 1] = e;
      n++;
      r.pos = e;
    } else {
      if (field === 0) throw new RemoteCodecError(`invalid field number 0 at offset ${r.pos}`);
      r.skip(wt, field);
    }
  }
  if (n > 0 && ranges[1] !== ranges[0]) {
    throw new RemoteCodecError('Request.symbols[0] must be the empty string');
  }
  return ranges.subarray(0, 2 * n);
}

// Reused across series: the label references of the series being scanned.
const scratchRefs: number[] = [];

function scanSeries(
  r: WireReader,
  end: number,
  v: TimeSeriesView,
  symbols: Int32Array,
  index: number,
): void {
  const outer = r.end;
  r.end = end;
  const refs = scratchRefs;
  refs.length = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    switch (field) {
      case 1: // labels_refs, packed or not
        if (wt === WIRE_BYTES) {
          const e = r.delimited();
          r.end = e;
          while (r.pos < e) refs.push(r.uint32());
          r.end = end;
        } else {
          r.expect(wt, WIRE_VARINT, 'TimeSeries.labels_refs');
          refs.push(r.uint32());
        }
        break;
      case 2: // samples
        r.expect(wt, WIRE_BYTES, 'TimeSeries.samples');
        scanSample(r, r.delimited(), end, v);
        break;
      case 3: // histograms
      case 4: { // exemplars
        r.expect(wt, WIRE_BYTES, field === 3 ? 'TimeSeries.histograms' : 'TimeSeries.exemplars');
        const e = r.delimited();
        v.pushRange(field === 4 ? 0 : 1, r.pos, e);
        walkMessage(r, e);
        break;
      }
      default:
        if (field === 0) throw new RemoteCodecError(`invalid field number 0 at offset ${r.pos}`);
        r.skip(wt, field);
    }
  }
  r.end = outer;
  if (refs.length % 2 !== 0) {
    throw new RemoteCodecError(`series ${index}: labels_refs has an odd length ${refs.length}`);
  }
  const nsym = symbols.length >> 1;
  for (let i = 0; i < refs.length; i += 2) {
    const a = refs[i], b = refs[i + 1];
    if (a >= nsym || b >= nsym) {
      throw new RemoteCodecError(
        `series ${index}: symbol reference ${a >= nsym ? a : b} outside the table of ${nsym}`,
      );
    }
    v.pushLabel(symbols[2 * a], symbols[2 * a + 1], symbols[2 * b], symbols[2 * b + 1]);
  }
}
