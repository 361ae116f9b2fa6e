/**
 * A reusable window onto one `TimeSeries` inside an encoded WriteRequest: label byte ranges,
 * and samples in typed arrays. The scanner refills it for every series, so a request of any
 * size costs a handful of allocations.
 * @module
 */
import { decodeUtf8 } from './utf8.ts';

/** One series of a request being scanned; valid only during the visitor call. */
export class TimeSeriesView {
  /** The whole request. */
  buf: Uint8Array = new Uint8Array(0);
  labelCount = 0;
  /** Per label: name start, name end, value start, value end (offsets into `buf`). */
  labelBounds: Int32Array = new Int32Array(64);
  /**
   * The byte range of the label fields when they are contiguous (as every known sender writes
   * them); equal label sets then have equal bytes here, which makes a cheap cache key.
   */
  labelsStart = -1;
  labelsEnd = -1;
  labelsContiguous = true;
  sampleCount = 0;
  timestamps: Float64Array = new Float64Array(64);
  values: Float64Array = new Float64Array(64);
  /** 1 where the sample is the stale marker. */
  stale: Uint8Array = new Uint8Array(64);
  /** Samples whose timestamp does not fit a safe JS integer (beyond ±2^53 − 1 ms). */
  unsafeTimestamps = 0;
  exemplarCount = 0;
  /** Per exemplar: start and end of its encoded message. */
  exemplarBounds: Int32Array = new Int32Array(8);
  histogramCount = 0;
  /** Per histogram: start and end of its encoded message. */
  histogramBounds: Int32Array = new Int32Array(8);

  /** Clears the view for the next series of `buf`. */
  reset(buf: Uint8Array): void {
    this.buf = buf;
    this.labelCount = 0;
    this.labelsStart = -1;
    this.labelsEnd = -1;
    this.labelsContiguous = true;
    this.sampleCount = 0;
    this.unsafeTimestamps = 0;
    this.exemplarCount = 0;
    this.histogramCount = 0;
  }

  /** The name of label `i`, or `null` if it is not valid UTF-8. */
  labelName(i: number): string | null {
    const b = this.labelBounds;
    return decodeUtf8(this.buf, b[4 * i], b[4 * i + 1]);
  }

  /** The value of label `i`, or `null` if it is not valid UTF-8. */
  labelValue(i: number): string | null {
    const b = this.labelBounds;
    return decodeUtf8(this.buf, b[4 * i + 2], b[4 * i + 3]);
  }

  /** Byte length of label `i`'s name. */
  labelNameLength(i: number): number {
    return this.labelBounds[4 * i + 1] - this.labelBounds[4 * i];
  }

  /** Byte length of label `i`'s value. */
  labelValueLength(i: number): number {
    return this.labelBounds[4 * i + 3] - this.labelBounds[4 * i + 2];
  }

  /** Compares the names of labels `i` and `j` bytewise (UTF-8 order, as Go sorts). */
  compareLabelNames(i: number, j: number): number {
    const b = this.labelBounds, buf = this.buf;
    let p = b[4 * i], q = b[4 * j];
    const pe = b[4 * i + 1], qe = b[4 * j + 1];
    while (p < pe && q < qe) {
      const d = buf[p++] - buf[q++];
      if (d !== 0) return d;
    }
    return (pe - p) - (qe - q);
  }

  /** Whether label `i`'s name equals the ASCII string `s`. */
  labelNameIs(i: number, s: string): boolean {
    const b = this.labelBounds, buf = this.buf;
    const start = b[4 * i], end = b[4 * i + 1];
    if (end - start !== s.length) return false;
    for (let k = 0; k < s.length; k++) if (buf[start + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  /** @internal Records a label's byte ranges. */
  pushLabel(ns: number, ne: number, vs: number, ve: number): void {
    const i = this.labelCount++;
    if (4 * i + 4 > this.labelBounds.length) this.labelBounds = grow32(this.labelBounds);
    const b = this.labelBounds;
    b[4 * i] = ns;
    b[4 * i + 1] = ne;
    b[4 * i + 2] = vs;
    b[4 * i + 3] = ve;
  }

  /** @internal Makes room for one more sample. */
  growSamples(): void {
    const n = this.timestamps.length * 2;
    const t = new Float64Array(n), v = new Float64Array(n), s = new Uint8Array(n);
    t.set(this.timestamps);
    v.set(this.values);
    s.set(this.stale);
    this.timestamps = t;
    this.values = v;
    this.stale = s;
  }

  /** @internal Records an exemplar (`kind` 0) or histogram (`kind` 1) message range. */
  pushRange(kind: 0 | 1, start: number, end: number): void {
    if (kind === 0) {
      const i = this.exemplarCount++;
      if (2 * i + 2 > this.exemplarBounds.length) {
        this.exemplarBounds = grow32(this.exemplarBounds);
      }
      this.exemplarBounds[2 * i] = start;
      this.exemplarBounds[2 * i + 1] = end;
    } else {
      const i = this.histogramCount++;
      if (2 * i + 2 > this.histogramBounds.length) {
        this.histogramBounds = grow32(this.histogramBounds);
      }
      this.histogramBounds[2 * i] = start;
      this.histogramBounds[2 * i + 1] = end;
    }
  }
}

function grow32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
