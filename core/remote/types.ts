/**
 * Plain-object forms of the remote-write 1.0 messages (`prometheus.WriteRequest` and its
 * parts). The receiver's hot path does not build these; tests, tools and the sender do.
 * @module
 */

/** One label pair, in wire order (a request may carry them unsorted or duplicated). */
export interface Label {
  name: string;
  value: string;
}

/**
 * One float sample. `stale` marks the stale-marker NaN (`0x7ff0000000000002`), which a JS
 * number cannot carry; when it is set, `value` is NaN.
 */
export interface Sample {
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  stale?: boolean;
}

/** An exemplar attached to a series. */
export interface Exemplar {
  labels: Label[];
  value: number;
  timestamp: number;
}

/** One series with its samples. */
export interface TimeSeries {
  labels: Label[];
  samples: Sample[];
  exemplars: Exemplar[];
  /**
   * Native histogram samples as their encoded `prometheus.Histogram` messages: kept opaque
   * because Beacon's storage holds floats only; a round trip preserves them byte for byte.
   */
  histograms: Uint8Array[];
}

/** Metric types of `MetricMetadata`, by their protobuf enum numbers. */
export const METRIC_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
] as const;

/** A metric type name as `MetricMetadata.type` carries it. */
export type MetricType = (typeof METRIC_TYPES)[number];

/** Metadata of one metric family. */
export interface MetricMetadata {
  type: MetricType;
  metricFamilyName: string;
  help: string;
  unit: string;
}

/** `prometheus.WriteRequest`: remote write 1.0's body before snappy. */
export interface WriteRequest {
  timeseries: TimeSeries[];
  metadata: MetricMetadata[];
}
