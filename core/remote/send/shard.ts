/**
 * One shard of a remote-write queue: a bounded FIFO of samples (a ring of columns) and the
 * loop that cuts it into batches of at most `max_samples_per_send`, sends a batch when it is
 * full or `batch_send_deadline` passed, and retries recoverable failures with exponential
 * backoff (or the receiver's `Retry-After`) until it succeeds, the error is permanent, or
 * the queue is torn down.
 * @module
 */
import { type Labels, STALE_NAN_HI, STALE_NAN_LO } from '../../model/mod.ts';
import { snappyCompress } from '../snappy.ts';
import { WireWriter } from '../wire_writer.ts';
import { WriteRequestV2Encoder } from '../write_request_v2.ts';
import { RecoverableError } from './client.ts';

/** A series after external labels and `write_relabel_configs`, encoded once. */
export interface EncodedSeries {
  /** The `Label` fields of a `TimeSeries`, ready to copy into a request. */
  readonly bytes: Uint8Array;
  /** Picks the shard: a series always goes to the same shard, so its samples stay in order. */
  readonly hash: number;
  /** The labels themselves (remote write 2.0 interns their strings per request). */
  readonly labels: Labels;
}

/** What a shard reports back to its queue. */
export interface ShardHooks {
  /** Sends a compressed request; throws like `WriteClient.store`. */
  store(body: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<void>;
  /** A batch was handed over (or failed for good): `seqs` is each sample's read sequence. */
  done(seqs: Float64Array, n: number): void;
  /** A send attempt finished: samples, bytes, seconds, highest timestamp (ms), success. */
  attempt(samples: number, bytes: number, seconds: number, highest: number, ok: boolean): void;
  /** A recoverable failure; the batch is retried after a pause. */
  retry(samples: number, err: Error): void;
  /** A permanent failure; the batch is dropped. */
  failed(samples: number, err: Error): void;
}

/** Timing of a shard, in milliseconds. */
export interface ShardTiming {
  maxSamplesPerSend: number;
  batchSendDeadlineMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Send `io.prometheus.write.v2.Request` (remote write 2.0) instead of 1.0. */
  v2?: boolean;
}

/** A bounded sample FIFO with its sending loop. */
export class Shard {
  readonly #cap: number;
  readonly #series: (EncodedSeries | undefined)[];
  readonly #t: Float64Array;
  readonly #hi: Uint32Array;
  readonly #lo: Uint32Array;
  readonly #seq: Float64Array;
  #head = 0;
  #len = 0;
  readonly #timing: ShardTiming;
  readonly #hooks: ShardHooks;
  readonly #w = new WireWriter(1 << 16);
  #wake: (() => void) | undefined;
  #spaceWaiters: (() => void)[] = [];
  #flushing = false;
  readonly #abort = new AbortController();
  /** Resolves when the loop has ended. */
  readonly finished: Promise<void>;

  constructor(capacity: number, timing: ShardTiming, hooks: ShardHooks) {
    this.#cap = Math.max(capacity, timing.maxSamplesPerSend);
    this.#series = new Array(this.#cap);
    this.#t = new Float64Array(this.#cap);
    this.#hi = new Uint32Array(this.#cap);
    this.#lo = new Uint32Array(this.#cap);
    this.#seq = new Float64Array(this.#cap);
    this.#timing = timing;
    this.#hooks = hooks;
    this.finished = this.#run();
  }

  /** Samples waiting in this shard. */
  get pending(): number {
    return this.#len;
  }

  /** Queues one sample; false when the shard is full (wait with {@link space}). */
  push(s: EncodedSeries, t: number, hi: number, lo: number, seq: number): boolean {
    if (this.#len >= this.#cap || this.#flushing) return false;
    const i = (this.#head + this.#len) % this.#cap;
    this.#series[i] = s;
    this.#t[i] = t;
    this.#hi[i] = hi;
    this.#lo[i] = lo;
    this.#seq[i] = seq;
    this.#len++;
    if (this.#len === 1 || this.#len === this.#timing.maxSamplesPerSend) this.#signal();
    return true;
  }

  /** Resolves once there is room again (or the shard is stopping). */
  space(): Promise<void> {
    if (this.#len < this.#cap || this.#abort.signal.aborted) return Promise.resolve();
    return new Promise((r) => this.#spaceWaiters.push(r));
  }

  /** Sends everything queued, then ends the loop; `finished` resolves after. */
  flush(): Promise<void> {
    this.#flushing = true;
    this.#signal();
    return this.finished;
  }

  /** Aborts sends in flight and ends the loop; unsent samples stay unacknowledged. */
  abort(): Promise<void> {
    this.#flushing = true;
    this.#abort.abort();
    this.#signal();
    for (const w of this.#spaceWaiters.splice(0)) w();
    return this.finished;
  }

  #signal(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  async #run(): Promise<void> {
    const { maxSamplesPerSend: max, batchSendDeadlineMs: deadline } = this.#timing;
    let lastSend = performance.now();
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const waited = performance.now() - lastSend;
      if (this.#len >= max || (this.#len > 0 && (this.#flushing || waited >= deadline))) {
        await this.#send(Math.min(this.#len, max));
        lastSend = performance.now();
        continue;
      }
      if (this.#flushing && this.#len === 0) return;
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        this.#wake = () => {
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
        if (this.#len > 0) {
          timer = setTimeout(() => {
            this.#wake = undefined;
            resolve();
          }, Math.max(0, deadline - waited));
        }
      });
    }
  }

  #encode(n: number): { body: Uint8Array<ArrayBuffer>; highest: number } {
    if (this.#timing.v2) return this.#encodeV2(n);
    const w = this.#w;
    w.pos = 0;
    let highest = -Infinity;
    for (let k = 0; k < n; k++) {
      const i = (this.#head + k) % this.#cap;
      const s = this.#series[i]!;
      const t = this.#t[i], hi = this.#hi[i], lo = this.#lo[i];
      if (t > highest) highest = t;
      const ts = w.begin(1);
      w.ensure(s.bytes.length);
      w.buf.set(s.bytes, w.pos);
      w.pos += s.bytes.length;
      const sm = w.begin(2);
      if (hi === STALE_NAN_HI && lo === STALE_NAN_LO) w.staleMarker(1);
      else if (hi !== 0 || lo !== 0) {
        // The value's bits as stored, so every NaN payload survives.
        w.tag(1, 1);
        w.ensure(8);
        w.view.setUint32(w.pos, lo, true);
        w.view.setUint32(w.pos + 4, hi, true);
        w.pos += 8;
      }
      if (t !== 0) {
        w.tag(2, 0);
        w.varint(t);
      }
      w.end(sm);
      w.end(ts);
    }
    return { body: snappyCompress(w.buf.subarray(0, w.pos)), highest };
  }

  #encodeV2(n: number): { body: Uint8Array<ArrayBuffer>; highest: number } {
    const enc = new WriteRequestV2Encoder();
    const view = new DataView(new ArrayBuffer(8));
    const t = [0], v = [0], stale = [0];
    let highest = -Infinity;
    for (let k = 0; k < n; k++) {
      const i = (this.#head + k) % this.#cap;
      const hi = this.#hi[i], lo = this.#lo[i];
      t[0] = this.#t[i];
      if (t[0] > highest) highest = t[0];
      stale[0] = hi === STALE_NAN_HI && lo === STALE_NAN_LO ? 1 : 0;
      view.setUint32(0, hi);
      view.setUint32(4, lo);
      v[0] = view.getFloat64(0);
      enc.addSeries(this.#series[i]!.labels, t, v, stale);
    }
    return { body: snappyCompress(enc.finish()), highest };
  }

  async #send(n: number): Promise<void> {
    const { body, highest } = this.#encode(n);
    const signal = this.#abort.signal;
    let backoff = this.#timing.minBackoffMs;
    for (;;) {
      if (signal.aborted) return;
      const t0 = performance.now();
      try {
        await this.#hooks.store(body, signal);
        this.#hooks.attempt(n, body.length, (performance.now() - t0) / 1000, highest, true);
        break;
      } catch (e) {
        this.#hooks.attempt(n, body.length, (performance.now() - t0) / 1000, highest, false);
        if (signal.aborted) return;
        if (!(e instanceof RecoverableError)) {
          this.#hooks.failed(n, e as Error);
          break;
        }
        this.#hooks.retry(n, e);
        await sleep(e.retryAfterMs ?? backoff, signal);
        backoff = Math.min(backoff * 2, this.#timing.maxBackoffMs);
      }
    }
    const seqs = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = (this.#head + k) % this.#cap;
      seqs[k] = this.#seq[i];
      this.#series[i] = undefined;
    }
    this.#head = (this.#head + n) % this.#cap;
    this.#len -= n;
    this.#hooks.done(seqs, n);
    for (const w of this.#spaceWaiters.splice(0)) w();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
