/**
 * Plain-object forms of the remote-read messages (`prometheus.ReadRequest`, `ReadResponse`,
 * `ChunkedReadResponse`), for the `/api/v1/read` endpoint and the `remote_read` client.
 * @module
 */
import type { Label, TimeSeries } from './types.ts';

/** Matcher types by their protobuf enum numbers (EQ, NEQ, RE, NRE). */
export const MATCHER_TYPES = ['=', '!=', '=~', '!~'] as const;

/** A label matcher as remote read sends it. */
export interface LabelMatcherMessage {
  type: (typeof MATCHER_TYPES)[number];
  name: string;
  value: string;
}

/** Query hints; all optional on the wire (zero values). */
export interface ReadHints {
  stepMs: number;
  func: string;
  startMs: number;
  endMs: number;
  grouping: string[];
  by: boolean;
  rangeMs: number;
}

/** One query of a read request. */
export interface ReadQuery {
  startTimestampMs: number;
  endTimestampMs: number;
  matchers: LabelMatcherMessage[];
  hints?: ReadHints;
}

/** Response types by their protobuf enum numbers. */
export const READ_RESPONSE_TYPES = ['samples', 'streamed_xor_chunks'] as const;

/** How the client accepts answers. */
export type ReadResponseType = (typeof READ_RESPONSE_TYPES)[number];

/** `prometheus.ReadRequest`. */
export interface ReadRequest {
  queries: ReadQuery[];
  acceptedResponseTypes: ReadResponseType[];
}

/** `prometheus.ReadResponse`: one result per query, with raw samples. */
export interface ReadResponse {
  results: { timeseries: TimeSeries[] }[];
}

/** An encoded chunk (`type` 1 is XOR). */
export interface ChunkMessage {
  minTimeMs: number;
  maxTimeMs: number;
  type: number;
  data: Uint8Array;
}

/** `prometheus.ChunkedReadResponse`: one frame of a streamed answer. */
export interface ChunkedReadResponse {
  chunkedSeries: { labels: Label[]; chunks: ChunkMessage[] }[];
  queryIndex: number;
}
