/**
 * A wait that ends early when woken: how a log reader sleeps until the next commit (or its
 * batch deadline), shared by the in-memory commit feed and the WAL tail.
 * @module
 */

/** One waiter at a time; `wake()` without a waiter does nothing. */
export class Wakeup {
  #wake: (() => void) | undefined;

  /** Resolves after `ms`, or as soon as {@link wake} is called. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ends the pending wait, if any. */
  wake(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }
}
