/**
 * The pull interface shared by the exposition parsers.
 * @module
 */
import type { Labels } from '../model/labels.ts';

/** What `next()` found: a sample, a metadata line, a comment, or the end of input. */
export type EntryKind = 'series' | 'help' | 'type' | 'unit' | 'comment' | 'eof';

/** Metric family types; the text format's `untyped` is reported as `unknown`. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** The exposition formats Beacon parses. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** An OpenMetrics exemplar, built only when asked for. */
export interface Exemplar {
  /** The exemplar's labels (no metric name). */
  labels: Labels;
  /** The exemplar's value. */
  value: number;
  /** Timestamp in milliseconds, when the exemplar has one. */
  timestamp?: number;
}

/** Options for {@link createParser}. */
export interface ParseOptions {
  /**
   * Strict mode rejects everything the format's specification forbids (family grouping,
   * counter and histogram rules, exemplar limits, …). The default, lenient mode accepts what
   * Prometheus's scraper accepts.
   */
  strict?: boolean;
}

/**
 * A pull parser over one exposition body. Call `next()` until it returns `'eof'`; after a
 * `'series'` entry the accessors describe the current sample. Nothing is allocated per sample
 * unless an accessor that returns an object or string is called. Every error is a
 * `ParseError` naming the line.
 */
export interface ExpositionParser {
  /** Which format this parser reads. */
  readonly format: ExpositionFormat;
  /** Advances to the next entry. Throws `ParseError` on malformed input. */
  next(): EntryKind;
  /** 1-based line number of the current entry. */
  readonly line: number;
  /** Value of the current sample. */
  readonly value: number;
  /** Timestamp of the current sample in milliseconds, or `undefined` when absent. */
  readonly timestamp: number | undefined;
  /**
   * The current sample's `name{labels}` exactly as exposed: a cache key, so that a steady
   * target costs one map lookup per sample.
   */
  seriesText(): string;
  /**
   * Same text as `seriesText()`, but as a fresh copy: a slice of the body keeps the whole
   * body alive in JS engines, so store this one as a long-lived cache key (on a miss).
   */
  seriesKey(): string;
  /** The current sample's metric name, unquoted and unescaped. */
  metricName(): string;
  /** The current sample's labels including `__name__`. Throws on duplicate label names. */
  labels(): Labels;
  /** The current sample's exemplar, if any (OpenMetrics only). */
  exemplar(): Exemplar | undefined;
  /** The metric name of the current HELP, TYPE or UNIT entry. */
  metaName(): string;
  /** The unescaped text of the current HELP entry. */
  helpText(): string;
  /** The type of the current TYPE entry. */
  metricType(): MetricType;
  /** The unit of the current UNIT entry. */
  unitText(): string;
  /** The text of the current comment entry (after `#`). */
  commentText(): string;
}
