/**
 * The storage seam: appenders write samples, queriers read them back by label matchers.
 * Modelled on Prometheus's `storage/interface.go`; reads are asynchronous so a disk or SQL
 * engine can sit behind the same interface as the in-memory head.
 * @module
 */
import type { Labels } from '../model/labels.ts';
import type { Matcher } from '../model/matcher.ts';

/** A series' identity inside one storage instance; 0 means "unknown, look it up by labels". */
export type SeriesRef = number;

/**
 * Writes samples. Not shared between concurrent writers; every appender ends with
 * {@link Appender.commit} or {@link Appender.rollback}. Timestamps are integer milliseconds.
 *
 * @example
 * ```ts
 * const app = storage.appender();
 * const ref = app.append(0, Labels.from({ __name__: 'up', job: 'a' }), Date.now(), 1);
 * app.append(ref, labels, Date.now() + 15_000, 1); // by ref: no label lookup
 * await app.commit();
 * ```
 */
export interface Appender {
  /**
   * Stages a float sample and returns the series' ref; pass that ref next time to skip the
   * label lookup (a stale or unknown ref falls back to `labels`).
   * @throws {OutOfOrderSampleError} older than the series' newest sample, outside the window.
   * @throws {TooOldSampleError} older than anything the storage still accepts.
   * @throws {DuplicateSampleError} same timestamp as the newest sample, different value.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /** Stages a stale marker (the NaN `0x7ff0000000000002`); same errors as `append`. */
  appendStale(ref: SeriesRef, labels: Labels, t: number): SeriesRef;
  /** Makes the staged samples visible (and durable, for engines with a log). */
  commit(): Promise<void>;
  /** Drops the staged samples. */
  rollback(): void;
}

/** Pushdown hints for `select`; an engine may ignore them all. */
export interface SelectHints {
  /** Start of the evaluation, ms (may be before the querier's mint for lookback). */
  start?: number;
  /** End of the evaluation, ms. */
  end?: number;
  /** Evaluation step, ms. */
  step?: number;
  /** The function around the selector (`rate`, …), or `series` when only labels are needed. */
  func?: string;
  /** The range of a range selector, ms. */
  range?: number;
}

/**
 * A series' samples in time order, as parallel columns. `t` holds integer milliseconds in a
 * Float64Array (exact up to 2^53). A stale marker has `v[i]` NaN and `stale[i] === 1`;
 * `stale` is absent when the series has no stale marker in range. Never one object per sample.
 */
export interface SampleColumns {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly stale?: Uint8Array;
}

/** One selected series. */
export interface Series {
  readonly labels: Labels;
  /** Decodes the samples inside the querier's [mint, maxt]; called at most once per use. */
  samples(): SampleColumns;
}

/** The result of `select`: series sorted by labels, plus warnings. */
export interface SeriesSet extends Iterable<Series> {
  readonly series: readonly Series[];
  readonly warnings: readonly string[];
}

/** Reads series whose samples fall in the inclusive range [mint, maxt] (ms). */
export interface Querier {
  readonly mint: number;
  readonly maxt: number;
  /** Series matching every matcher, with at least one sample in range, sorted by labels. */
  select(matchers: readonly Matcher[], hints?: SelectHints): Promise<SeriesSet>;
  /** Sorted label names of the series matching `matchers` (all series when none). */
  labelNames(matchers?: readonly Matcher[], limit?: number): Promise<string[]>;
  /** Sorted values of `name` among the series matching `matchers`. */
  labelValues(name: string, matchers?: readonly Matcher[], limit?: number): Promise<string[]>;
  close(): void;
}

/** One row of a top-N list in {@link StorageStats}. */
export interface StatEntry {
  name: string;
  value: number;
}

/** What `/api/v1/status/tsdb` reports (head statistics, top 10 lists). */
export interface StorageStats {
  numSeries: number;
  numSamples: number;
  /** Oldest and newest sample time, ms; `NaN` when empty. */
  minTime: number;
  maxTime: number;
  numLabelPairs: number;
  chunkCount: number;
  seriesCountByMetricName: StatEntry[];
  labelValueCountByLabelName: StatEntry[];
  /** Bytes of the values of each label name over all series (UTF-8 length × series). */
  memoryInBytesByLabelName: StatEntry[];
  seriesCountByLabelValuePair: StatEntry[];
}

/**
 * The samples of one commit, in commit order, as parallel columns: the series' labels, the
 * timestamp (ms) and the float64 bit words (`hi`, `lo`: high and low 32 bits), so a stale
 * marker keeps its exact NaN. Followers of the storage (the remote-write sender) read these.
 */
export interface CommittedSamples {
  readonly count: number;
  readonly labels: readonly Labels[];
  readonly t: ArrayLike<number>;
  readonly hi: ArrayLike<number>;
  readonly lo: ArrayLike<number>;
}

/** A place in a storage's log: a segment number and a byte offset inside it. */
export interface LogPosition {
  readonly segment: number;
  readonly offset: number;
}

/** What {@link LogReader.next} returns: committed samples up to `position`. */
export interface LogBatch extends CommittedSamples {
  /** The position after the last record of this batch; pass it to `ack` once delivered. */
  readonly position: LogPosition;
  /** Segments the reader found deleted before it could read them (their samples are lost). */
  readonly lostSegments: number;
}

/**
 * A durable follower of a storage's write-ahead log, like Prometheus's WAL watcher: reads
 * every commit after its persisted cursor, and keeps the log from being truncated past that
 * cursor (up to the engine's documented bound). One reader per remote-write queue.
 */
export interface LogReader {
  /**
   * The next committed samples after the last batch returned (at most about `maxSamples`);
   * waits up to `waitMs` for new commits and then resolves with an empty batch.
   */
  next(maxSamples: number, waitMs: number): Promise<LogBatch>;
  /** Everything up to `position` was delivered: the cursor is persisted (soon) and may advance. */
  ack(position: LogPosition): void;
  /** Stops reading; `forget` also removes the persisted cursor (the queue was removed). */
  close(forget?: boolean): Promise<void>;
}

/** A storage engine: the `storage` plugin kind's instance. */
export interface Storage {
  appender(): Appender;
  querier(mint: number, maxt: number): Querier;
  /** Removes samples in [mint, maxt] of the series matching `matchers`. */
  deleteSeries(matchers: readonly Matcher[], mint: number, maxt: number): Promise<void>;
  /** Head statistics with top-`limit` lists (default 10). */
  stats(limit?: number): Promise<StorageStats>;
  /**
   * Calls `listener` after every commit with the samples it made visible (engines without a
   * log; not durable). Returns a function that removes the listener.
   */
  onCommit?(listener: (samples: CommittedSamples) => void): () => void;
  /** A durable reader of the write-ahead log named `name` (engines with a log). */
  openLogReader?(name: string): LogReader;
  /** Writes a snapshot where the engine can; returns its name. */
  snapshot?(dir?: string): Promise<string>;
  close(): Promise<void>;
}
