/**
 * The memory storage engine: the series catalog and a head of compressed chunks, with no
 * disk. For the edge, tests, and short-lived runs.
 * @module
 */
import type { Matcher } from '../../../core/model/mod.ts';
import type {
  Appender,
  CommittedSamples,
  Querier,
  Storage,
  StorageStats,
} from '../../../core/storage/mod.ts';
import { MemAppender } from './appender.ts';
import { Head, type HeadOptions } from './head.ts';
import { MemQuerier } from './querier.ts';

/** Options of {@link MemoryStorage}; durations in milliseconds. */
export type MemoryStorageOptions = Partial<HeadOptions>;

/**
 * An in-memory {@link Storage}.
 *
 * @example
 * ```ts
 * const storage = new MemoryStorage({ retentionMs: 3600_000 });
 * const app = storage.appender();
 * app.append(0, Labels.from({ __name__: 'up' }), Date.now(), 1);
 * await app.commit();
 * ```
 */
export class MemoryStorage implements Storage {
  readonly #head: Head;
  #closed = false;

  constructor(opts: MemoryStorageOptions = {}) {
    this.#head = new Head({
      retentionMs: opts.retentionMs ?? 0,
      outOfOrderWindowMs: opts.outOfOrderWindowMs ?? 0,
      maxSeries: opts.maxSeries,
      registry: opts.registry,
    });
  }

  appender(): Appender {
    this.#open();
    return new MemAppender(this.#head);
  }

  onCommit(listener: (samples: CommittedSamples) => void): () => void {
    this.#head.commitListeners.add(listener);
    return () => void this.#head.commitListeners.delete(listener);
  }

  querier(mint: number, maxt: number): Querier {
    this.#open();
    return new MemQuerier(this.#head, mint, maxt);
  }

  deleteSeries(matchers: readonly Matcher[], mint: number, maxt: number): Promise<void> {
    this.#open();
    const head = this.#head;
    for (const ref of head.catalog.postings(matchers)) {
      const s = head.series[ref];
      if (s === undefined || !s.overlaps(mint, maxt)) continue;
      if (mint <= s.minTime && maxt >= s.maxTime) {
        if (s.pendingOwner === 0) {
          head.remove(s);
          continue;
        }
      }
      const before = s.chunkCount;
      const cols = s.all();
      const after = s.rebuild(cols, (i) => cols.t[i] < mint || cols.t[i] > maxt);
      head.chunksChanged(after - before);
      if (s.sampleCount === 0 && s.pendingOwner === 0) head.remove(s);
    }
    return Promise.resolve();
  }

  stats(limit = 10): Promise<StorageStats> {
    const head = this.#head;
    let numSamples = 0, minTime = Infinity, maxTime = -Infinity;
    for (const s of head.series) {
      if (s === undefined) continue;
      const n = s.sampleCount;
      if (n === 0) continue;
      numSamples += n;
      minTime = Math.min(minTime, s.minTime);
      maxTime = Math.max(maxTime, s.maxTime);
    }
    const c = head.catalog.stats(limit);
    return Promise.resolve({
      ...c,
      numSamples,
      minTime: numSamples > 0 ? minTime : NaN,
      maxTime: numSamples > 0 ? maxTime : NaN,
      chunkCount: head.chunkCount,
    });
  }

  /** Runs time retention now; returns the number of chunks dropped. */
  applyRetention(): number {
    return this.#head.applyRetention();
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#head.metrics.unregister();
    }
    return Promise.resolve();
  }

  #open(): void {
    if (this.#closed) throw new Error('storage is closed');
  }
}
