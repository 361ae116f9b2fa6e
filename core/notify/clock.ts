/**
 * Time as the notifier sees it: a wall clock and one-shot timers. Production uses the real
 * clock; tests drive a {@link ManualClock} with explicit ticks, so nothing in them waits.
 * @module
 */

/** A handle returned by {@link Clock.setTimer}. */
export type TimerHandle = { readonly id: number };

/** Wall-clock time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Resolves after `ms` milliseconds, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = (() => {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimer(fn, ms) {
      const id = next++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          fn();
        }, Math.max(0, ms)),
      );
      return { id };
    },
    clearTimer(h) {
      const t = timers.get(h.id);
      if (t !== undefined) clearTimeout(t);
      timers.delete(h.id);
    },
    sleep: (ms, signal) => sleepWith(systemClock, ms, signal),
  };
})();

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimer(h);
      reject(signal!.reason);
    };
    const h = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that moves only when told. {@link ManualClock.advance} fires due timers in time
 * order, letting the caller settle asynchronous work between timers.
 */
export class ManualClock implements Clock {
  #now: number;
  #next = 1;
  #timers: ManualTimer[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = start instanceof Date ? start.getTime() : start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const t = { id: this.#next++, at: this.#now + Math.max(0, ms), fn };
    this.#timers.push(t);
    return { id: t.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Number of armed timers. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing each due timer at its own time (earliest first, ties
   * in arming order). After each timer, `settle` (default: a few event-loop turns) lets the
   * work it started finish before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = turns): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const t of this.#timers) if (t.at <= target && (!due || t.at < due.at)) due = t;
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}

async function turns(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}
