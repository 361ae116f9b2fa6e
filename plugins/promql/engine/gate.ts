/**
 * The query concurrency gate (`--query.max-concurrency`): at most `limit` queries evaluate at
 * once; the rest wait in arrival order. A query that waits past its deadline fails with
 * Prometheus's "query timed out in query queue", and one whose caller goes away while waiting
 * with "query was canceled in query queue", so a burst of slow queries turns into clean
 * timeouts rather than an ever-growing backlog.
 * @module
 */
import { QueryError } from './errors.ts';

/** Prometheus's error for a query that never left the queue before its timeout. */
export function queueTimeout(): QueryError {
  return new QueryError('timeout', 'query timed out in query queue');
}

/** Prometheus's error for a query cancelled while waiting in the queue. */
export function queueCanceled(): QueryError {
  return new QueryError('canceled', 'query was canceled in query queue');
}

/** A counting semaphore with deadlines; FIFO among waiters. */
export class ConcurrencyGate {
  readonly limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /** `limit` < 1 means no limit. */
  constructor(limit: number) {
    this.limit = limit >= 1 ? limit : Infinity;
  }

  /** Queries evaluating now. */
  get running(): number {
    return this.#running;
  }

  /** Queries waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Takes a slot, waiting while none is free until `deadline` (epoch ms) or `signal` aborts.
   * Every resolved call must be paired with one {@link release}.
   * @throws {QueryError} `timeout` past the deadline, `canceled` on abort.
   */
  async acquire(deadline: number, signal?: AbortSignal): Promise<void> {
    // A free slot admits at once: deadline and abort are then the evaluator's to check.
    if (this.#running < this.limit && this.#waiting.length === 0) {
      this.#running++;
      return;
    }
    if (signal?.aborted) throw queueCanceled();
    const wait = deadline - Date.now();
    if (!(wait > 0)) throw queueTimeout();
    await new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        const i = this.#waiting.indexOf(go);
        if (i >= 0) this.#waiting.splice(i, 1);
      };
      const go = () => {
        leave();
        // The slot passes straight from the releaser to this waiter.
        this.#running++;
        resolve();
      };
      const abort = () => {
        leave();
        reject(queueCanceled());
      };
      const timer = setTimeout(() => {
        leave();
        reject(queueTimeout());
      }, Math.min(wait, 2 ** 31 - 1));
      signal?.addEventListener('abort', abort, { once: true });
      this.#waiting.push(go);
    });
  }

  /** Frees a slot taken by {@link acquire}; the longest waiter gets it. */
  release(): void {
    this.#running--;
    if (this.#running < this.limit) this.#waiting[0]?.();
  }
}
