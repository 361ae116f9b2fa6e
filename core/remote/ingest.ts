/**
 * Stages the samples of an encoded WriteRequest on an appender, validating as it goes. The
 * caller commits when this returns and rolls back when it throws, so a request is applied
 * whole or not at all.
 * @module
 */
import { isLegacyLabelName, isLegacyMetricName, Labels, METRIC_NAME } from '../model/mod.ts';
import {
  type Appender,
  DuplicateSampleError,
  OutOfOrderSampleError,
  StorageError,
  TooOldSampleError,
} from '../storage/mod.ts';
import { scanWriteRequest } from './scan_write_request.ts';
import { scanWriteRequestV2 } from './scan_write_request_v2.ts';
import { type CachedSeries, hashBytes, labelRangesKey, SeriesCache } from './series_cache.ts';
import type { TimeSeriesView } from './series_view.ts';

/** Why a request was refused; each is a 400 for the sender (retrying cannot help). */
export type RejectReason =
  | 'invalid_labels'
  | 'invalid_timestamp'
  | 'out_of_bounds'
  | 'out_of_order'
  | 'duplicate'
  | 'too_old'
  | 'invalid_sample';

/** A request the receiver refuses; nothing of it may be committed. */
export class WriteRejectedError extends Error {
  override name = 'WriteRejectedError';
  readonly reason: RejectReason;
  constructor(reason: RejectReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Options of {@link ingestWriteRequest}. */
export interface IngestOptions {
  /** Label-bytes → labels/ref cache shared across requests; one per receiver. */
  cache?: SeriesCache;
  /** Require legacy metric and label names (Prometheus 2); default: any valid UTF-8. */
  legacyNames?: boolean;
  /** Samples newer than this (ms) are out of bounds, as Prometheus refuses > now + 10 min. */
  maxTime?: number;
}

/** What a request held. */
export interface IngestResult {
  series: number;
  samples: number;
  /** Exemplars and native histograms are decoded but not stored: Beacon keeps floats only. */
  exemplarsIgnored: number;
  histogramsIgnored: number;
}

/**
 * Validates `bytes` (an uncompressed WriteRequest) and stages every sample on `app`; stale
 * markers go through `appendStale`.
 * @throws {RemoteCodecError} malformed protobuf.
 * @throws {WriteRejectedError} invalid labels or timestamps, or a sample the storage refuses.
 */
export function ingestWriteRequest(
  bytes: Uint8Array,
  app: Appender,
  opts: IngestOptions = {},
): IngestResult {
  const result = emptyResult();
  scanWriteRequest(bytes, { series: seriesIngester(app, opts, result) });
  return result;
}

/**
 * {@link ingestWriteRequest} for a remote-write 2.0 `io.prometheus.write.v2.Request`.
 * @throws {RemoteCodecError} malformed protobuf or a bad symbol reference.
 * @throws {WriteRejectedError} as {@link ingestWriteRequest}.
 */
export function ingestWriteRequestV2(
  bytes: Uint8Array,
  app: Appender,
  opts: IngestOptions = {},
): IngestResult {
  const result = emptyResult();
  scanWriteRequestV2(bytes, { series: seriesIngester(app, opts, result) });
  return result;
}

function emptyResult(): IngestResult {
  return { series: 0, samples: 0, exemplarsIgnored: 0, histogramsIgnored: 0 };
}

/** Validates and stages one series at a time; shared by both protocol versions. */
function seriesIngester(
  app: Appender,
  opts: IngestOptions,
  result: IngestResult,
): (v: TimeSeriesView) => void {
  const cache = opts.cache ?? new SeriesCache(8192);
  const legacy = opts.legacyNames === true;
  const maxTime = opts.maxTime ?? Infinity;
  return (v) => {
    const index = result.series++;
    let entry: CachedSeries | undefined;
    if (v.labelsContiguous && v.labelsStart >= 0) {
      const h = hashBytes(v.buf, v.labelsStart, v.labelsEnd);
      entry = cache.get(v.buf, v.labelsStart, v.labelsEnd, h) ??
        cache.add(v.buf, v.labelsStart, v.labelsEnd, h, buildLabels(v, index, legacy));
    } else {
      const key = labelRangesKey(v);
      const h = hashBytes(key, 0, key.length);
      entry = cache.get(key, 0, key.length, h) ??
        cache.add(key, 0, key.length, h, buildLabels(v, index, legacy));
    }
    const labels = entry.labels;
    if (v.unsafeTimestamps > 0) {
      throw new WriteRejectedError(
        'invalid_timestamp',
        `series ${labels}: timestamp outside ±2^53 ms`,
      );
    }
    let ref = entry.ref;
    const ts = v.timestamps, vs = v.values, stale = v.stale;
    for (let i = 0; i < v.sampleCount; i++) {
      const t = ts[i];
      if (t > maxTime) {
        throw new WriteRejectedError(
          'out_of_bounds',
          `out of bounds: timestamp is too far in the future for series ${labels} at ${t}`,
        );
      }
      try {
        ref = stale[i] === 1 ? app.appendStale(ref, labels, t) : app.append(ref, labels, t, vs[i]);
      } catch (err) {
        throw rejected(err, labels, t);
      }
    }
    entry.ref = ref;
    result.samples += v.sampleCount;
    result.exemplarsIgnored += v.exemplarCount;
    result.histogramsIgnored += v.histogramCount;
  };
}

function rejected(err: unknown, labels: Labels, t: number): unknown {
  if (!(err instanceof StorageError)) return err;
  const reason: RejectReason = err instanceof OutOfOrderSampleError
    ? 'out_of_order'
    : err instanceof DuplicateSampleError
    ? 'duplicate'
    : err instanceof TooOldSampleError
    ? 'too_old'
    : 'invalid_sample';
  return new WriteRejectedError(reason, `${err.message} for series ${labels} at ${t}`);
}

/** Validates the labels of `v` and builds the label set (empty values dropped). */
function buildLabels(v: TimeSeriesView, index: number, legacy: boolean): Labels {
  const n = v.labelCount;
  const flat: string[] = [];
  let hasName = false, resort = false;
  for (let i = 0; i < n; i++) {
    const name = v.labelName(i), value = v.labelValue(i);
    if (name === null || value === null) {
      throw invalid(index, `label ${i} is not valid UTF-8`);
    }
    if (i > 0) {
      const c = v.compareLabelNames(i - 1, i);
      if (c === 0) throw invalid(index, `duplicate label name ${JSON.stringify(name)}`);
      if (c > 0) {
        throw invalid(
          index,
          `labels are not sorted by name: ${JSON.stringify(name)} after ${
            JSON.stringify(v.labelName(i - 1))
          }`,
        );
      }
    }
    if (name === '') throw invalid(index, 'empty label name');
    if (legacy && !isLegacyLabelName(name)) {
      throw invalid(index, `invalid label name ${JSON.stringify(name)}`);
    }
    if (name === METRIC_NAME) {
      if (value === '') throw invalid(index, 'empty metric name');
      if (legacy && !isLegacyMetricName(value)) {
        throw invalid(index, `invalid metric name ${JSON.stringify(value)}`);
      }
      hasName = true;
    }
    if (value === '') continue;
    // Beacon sorts by UTF-16 code unit, the wire by UTF-8 byte: they differ only from U+D800.
    if (!resort) {
      for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) >= 0xd800) resort = true;
    }
    flat.push(name, value);
  }
  if (!hasName) throw invalid(index, 'missing metric name (__name__)');
  if (!resort) return Labels.fromSortedFlat(flat);
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return Labels.fromPairs(pairs);
}

function invalid(index: number, what: string): WriteRejectedError {
  return new WriteRejectedError('invalid_labels', `invalid labels in series ${index}: ${what}`);
}
