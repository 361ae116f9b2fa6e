/**
 * Remote storage protocols: remote write 1.0 (`prometheus.WriteRequest`) and 2.0
 * (`io.prometheus.write.v2.Request`), remote read messages and their streamed frames, snappy
 * block compression, and the validating ingest the receiver (`/api/v1/write`) runs. The
 * protobuf wire codec is hand-written: the receiver decodes straight into typed arrays.
 *
 * @example Decoding a request body
 * ```ts
 * const req = decodeWriteRequest(snappyDecompress(body));
 * for (const ts of req.timeseries) console.log(ts.labels, ts.samples.length);
 * ```
 * @example The allocation-light path the receiver uses
 * ```ts
 * scanWriteRequest(snappyDecompress(body), {
 *   series(view) {
 *     for (let i = 0; i < view.sampleCount; i++) use(view.timestamps[i], view.values[i]);
 *   },
 * });
 * ```
 * @module
 */
export { RemoteCodecError } from './errors.ts';
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  snappyCompress,
  snappyDecompress,
  uncompressedLength,
} from './snappy.ts';
export { scanWriteRequest, type WriteRequestVisitor } from './scan_write_request.ts';
export { TimeSeriesView } from './series_view.ts';
export { decodeWriteRequest, encodeWriteRequest, WriteRequestEncoder } from './write_request.ts';
export * from './types.ts';
export {
  type IngestOptions,
  type IngestResult,
  ingestWriteRequest,
  ingestWriteRequestV2,
  type RejectReason,
  WriteRejectedError,
} from './ingest.ts';
export { type CachedSeries, hashBytes, labelRangesKey, SeriesCache } from './series_cache.ts';
export { scanWriteRequestV2, type WriteRequestV2Visitor } from './scan_write_request_v2.ts';
export { WriteRequestV2Encoder } from './write_request_v2.ts';
export {
  decodeChunkedReadResponse,
  decodeReadRequest,
  decodeReadResponse,
  encodeChunkedReadResponse,
  encodeReadRequest,
  encodeReadResponse,
} from './read_request.ts';
export * from './read_types.ts';
export { crc32c, decodeFrames, encodeFrame } from './chunked_frames.ts';
export { encodePrometheusXorChunk } from './xor_wire.ts';
export { CHUNK_RANGE_MS, chunkStarts } from './chunk_cuts.ts';
