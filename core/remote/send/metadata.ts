/**
 * `metadata_config`: every `send_interval`, the HELP/TYPE/UNIT metadata of the scraped
 * targets (from the scrape caches) goes to the endpoint in metadata-only write requests of at
 * most `max_samples_per_send` entries, as Prometheus's metadata watcher does. Recoverable
 * failures are retried with backoff until the next round; metadata is not durable.
 * @module
 */
import type { Logger } from '../../log/logger.ts';
import { snappyCompress } from '../snappy.ts';
import type { MetricMetadata } from '../types.ts';
import { WriteRequestEncoder } from '../write_request.ts';
import { RecoverableError } from './client.ts';
import type { SenderMetrics } from './metrics.ts';

/** Settings of a {@link MetadataSender}, milliseconds. */
export interface MetadataOptions {
  intervalMs: number;
  maxPerSend: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  labels: { remote_name: string; url: string };
}

/** Sends the scrape metadata periodically. */
export class MetadataSender {
  readonly #o: MetadataOptions;
  readonly #source: () => MetricMetadata[];
  readonly #store: (body: Uint8Array<ArrayBuffer>, signal: AbortSignal) => Promise<void>;
  readonly #metrics: SenderMetrics;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(
    opts: MetadataOptions,
    source: () => MetricMetadata[],
    store: (body: Uint8Array<ArrayBuffer>, signal: AbortSignal) => Promise<void>,
    metrics: SenderMetrics,
    logger: Logger,
  ) {
    this.#o = opts;
    this.#source = source;
    this.#store = store;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** Starts the periodic sends. */
  start(): void {
    this.#timer = setInterval(() => void this.sendOnce(), this.#o.intervalMs);
  }

  /** Sends the current metadata now (one round); resolves when done or given up. */
  async sendOnce(): Promise<void> {
    if (this.#busy || this.#abort.signal.aborted) return;
    this.#busy = true;
    try {
      const all = this.#source();
      for (let i = 0; i < all.length; i += this.#o.maxPerSend) {
        await this.#send(all.slice(i, i + this.#o.maxPerSend));
      }
    } finally {
      this.#busy = false;
    }
  }

  async #send(list: MetricMetadata[]): Promise<void> {
    const enc = new WriteRequestEncoder(4096);
    for (const m of list) enc.addMetadata(m);
    const body = snappyCompress(enc.finish());
    const m = this.#metrics, l = this.#o.labels, signal = this.#abort.signal;
    const giveUp = Date.now() + this.#o.intervalMs;
    let backoff = this.#o.minBackoffMs;
    while (!signal.aborted) {
      m.metadataTotal.inc(l, list.length);
      try {
        await this.#store(body, signal);
        m.metadataBytes.inc(l, body.length);
        return;
      } catch (e) {
        if (e instanceof RecoverableError && Date.now() + backoff < giveUp && !signal.aborted) {
          m.metadataRetried.inc(l, list.length);
          await new Promise((r) => setTimeout(r, e.retryAfterMs ?? backoff));
          backoff = Math.min(2 * backoff, this.#o.maxBackoffMs);
          continue;
        }
        m.metadataFailed.inc(l, list.length);
        this.#logger.error('non-recoverable error while sending metadata', {
          count: list.length,
          err: (e as Error).message,
        });
        return;
      }
    }
  }

  /** Stops sending. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#abort.abort();
  }
}
