/**
 * The in-memory source for engines without a write-ahead log (the memory engine, the edge):
 * the storage's commit listener fills a bounded buffer that the queue drains. Not durable:
 * what is buffered is lost on restart, and a full buffer drops new samples (counted).
 * @module
 */
import type { Labels } from '../../model/mod.ts';
import {
  type CommittedSamples,
  type LogBatch,
  type LogPosition,
  type LogReader,
  type Storage,
  Wakeup,
} from '../../storage/mod.ts';

/** A {@link LogReader} over a storage's commit notifications. */
export class CommitFeed implements LogReader {
  readonly #limit: number;
  readonly #onDrop: (n: number) => void;
  readonly #off: () => void;
  #chunks: CommittedSamples[] = [];
  #first = 0; // samples of #chunks[0] already taken
  #buffered = 0;
  #seq = 0;
  readonly #wakeup = new Wakeup();
  #closed = false;

  /** Subscribes to `storage`'s commits; at most `limit` samples wait, the rest are dropped. */
  constructor(storage: Storage, limit: number, onDrop: (n: number) => void) {
    this.#limit = limit;
    this.#onDrop = onDrop;
    this.#off = storage.onCommit!((c) => this.#push(c));
  }

  #push(c: CommittedSamples): void {
    if (this.#closed || c.count === 0) return;
    if (this.#buffered + c.count > this.#limit) {
      this.#onDrop(c.count);
      return;
    }
    this.#chunks.push(c);
    this.#buffered += c.count;
    this.#wakeup.wake();
  }

  async next(maxSamples: number, waitMs: number): Promise<LogBatch> {
    if (this.#buffered === 0 && waitMs > 0 && !this.#closed) {
      await this.#wakeup.wait(waitMs);
    }
    const labels: Labels[] = [], t: number[] = [], hi: number[] = [], lo: number[] = [];
    while (this.#chunks.length > 0 && labels.length < maxSamples) {
      const c = this.#chunks[0];
      const end = Math.min(c.count, this.#first + maxSamples - labels.length);
      for (let i = this.#first; i < end; i++) {
        labels.push(c.labels[i]);
        t.push(c.t[i]);
        hi.push(c.hi[i]);
        lo.push(c.lo[i]);
      }
      this.#buffered -= end - this.#first;
      if (end === c.count) {
        this.#chunks.shift();
        this.#first = 0;
      } else this.#first = end;
    }
    const position: LogPosition = { segment: 0, offset: ++this.#seq };
    return { count: labels.length, labels, t, hi, lo, position, lostSegments: 0 };
  }

  ack(_position: LogPosition): void {}

  close(): Promise<void> {
    this.#closed = true;
    this.#off();
    this.#chunks = [];
    this.#buffered = 0;
    this.#wakeup.wake();
    return Promise.resolve();
  }
}
