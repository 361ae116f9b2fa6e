/**
 * One `remote_write` queue: reads committed samples from a source (the storage's log, or the
 * in-memory commit feed), applies external labels and `write_relabel_configs` once per
 * series, spreads samples over shards by series hash, acknowledges the source in read order
 * once every sample read before a point was delivered (or dropped for good), and rescales the
 * shard count from throughput as Prometheus does (samples in vs out, send latency, backlog).
 * @module
 */
import type { RelabelConfig } from '../../config/relabel.ts';
import type { Logger } from '../../log/logger.ts';
import type { Labels } from '../../model/mod.ts';
import { relabelLabels } from '../../scrape/relabel.ts';
import type { LogPosition, LogReader } from '../../storage/mod.ts';
import { WireWriter } from '../wire_writer.ts';
import type { SenderMetrics } from './metrics.ts';
import { type EncodedSeries, Shard } from './shard.ts';

/** A queue's settings, durations in milliseconds. */
export interface QueueOptions {
  /** `remote_name`: the config's `name`, or a hash of the entry. */
  name: string;
  url: string;
  capacity: number;
  minShards: number;
  maxShards: number;
  maxSamplesPerSend: number;
  batchSendDeadlineMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  externalLabels: Readonly<Record<string, string>>;
  relabel: readonly RelabelConfig[];
  /** Send remote write 2.0 (`io.prometheus.write.v2.Request`). */
  v2?: boolean;
  /** `sample_age_limit`: samples older than this when read are dropped; 0: no limit. */
  sampleAgeLimitMs?: number;
  /** How often the shard count is recomputed (Prometheus: 10 s). */
  shardUpdateMs?: number;
}

/** What a queue works with. */
export interface QueueDeps {
  source: LogReader;
  store: (body: Uint8Array<ArrayBuffer>, signal: AbortSignal) => Promise<void>;
  metrics: SenderMetrics;
  logger: Logger;
  /**
   * Newest timestamp appended to the storage (ms): the backlog is measured against it, not
   * against what this queue has read, so a queue blocked on full shards still sees its lag.
   */
  highestAppended?: () => number;
}

const EWMA_WEIGHT = 0.2;
const SHARD_TOLERANCE = 0.3;

/** An exponentially weighted rate, ticked once per interval. */
class Ewma {
  #acc = 0;
  #rate = 0;
  #init = false;
  readonly #seconds: number;
  constructor(intervalMs: number) {
    this.#seconds = intervalMs / 1000;
  }
  incr(n: number): void {
    this.#acc += n;
  }
  tick(): void {
    const instant = this.#acc / this.#seconds;
    this.#acc = 0;
    if (this.#init) this.#rate += EWMA_WEIGHT * (instant - this.#rate);
    else {
      this.#rate = instant;
      this.#init = true;
    }
  }
  get rate(): number {
    return this.#rate;
  }
}

interface ReadMark {
  seq: number;
  position: LogPosition;
  remaining: number;
  complete: boolean;
}

/** Sends what one source yields to one endpoint. */
export class QueueManager {
  readonly #o: QueueOptions;
  readonly #d: QueueDeps;
  readonly #labels: { remote_name: string; url: string };
  #shards: Shard[] = [];
  readonly #cache = new WeakMap<Labels, EncodedSeries | null>();
  readonly #marks: ReadMark[] = [];
  readonly #bySeq = new Map<number, ReadMark>();
  #seq = 0;
  #stopping = false;
  #pump: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #desired: number;
  #pending = 0;
  #highestRecv = 0;
  #highestSent = 0;
  #lastSendOk = 0;
  #failing = false;
  readonly #in: Ewma;
  readonly #out: Ewma;
  readonly #dropped: Ewma;
  readonly #outSeconds: Ewma;

  constructor(opts: QueueOptions, deps: QueueDeps) {
    this.#o = opts;
    this.#d = deps;
    this.#labels = { remote_name: opts.name, url: opts.url };
    this.#desired = opts.minShards;
    const every = opts.shardUpdateMs ?? 10_000;
    this.#in = new Ewma(every);
    this.#out = new Ewma(every);
    this.#dropped = new Ewma(every);
    this.#outSeconds = new Ewma(every);
    const m = deps.metrics, l = this.#labels;
    m.shardsMin.set(l, opts.minShards);
    m.shardsMax.set(l, opts.maxShards);
    m.shardsDesired.set(l, opts.minShards);
    m.maxSamplesPerSend.set(l, opts.maxSamplesPerSend);
    m.samplesPending.set(l, 0);
    for (
      const c of [
        m.samplesTotal,
        m.samplesFailed,
        m.samplesRetried,
        m.samplesDropped,
        m.enqueueRetries,
        m.bytesTotal,
        m.segmentsLost,
      ]
    ) c.inc(l, 0);
  }

  /** The queue's `remote_name`. */
  get name(): string {
    return this.#o.name;
  }

  /** Shards running now. */
  get shardCount(): number {
    return this.#shards.length;
  }

  /** Starts the shards, the reading loop and the shard-count updates. */
  start(): void {
    this.#startShards(this.#o.minShards);
    this.#pump = this.#loop().catch((e) => {
      this.#d.logger.error('remote-write queue stopped reading', { err: e as Error });
    });
    this.#timer = setInterval(() => this.#updateShards(), this.#o.shardUpdateMs ?? 10_000);
  }

  /**
   * Stops reading, sends what is queued (within `flushDeadlineMs`), then aborts the rest:
   * unsent samples stay unacknowledged, so a durable source resends them after a restart.
   * `forget` drops the source's cursor (the queue was removed from the config).
   */
  async stop(flushDeadlineMs = 60_000, forget = false): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    // An endpoint that is failing will not take the rest now; a durable source resends it.
    if (this.#failing) flushDeadlineMs = Math.min(flushDeadlineMs, 500);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flushed = Promise.all(this.#shards.map((s) => s.flush()));
    const timedOut = new Promise<boolean>((
      r,
    ) => (timer = setTimeout(() => r(true), flushDeadlineMs)));
    const late = await Promise.race([flushed.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.#d.logger.warn(
        'remote-write queue did not flush in time; unsent samples stay in the log',
        {
          pending: this.#pending,
        },
      );
    }
    await Promise.all(this.#shards.map((s) => s.abort()));
    await this.#pump;
    await this.#d.source.close(forget);
    if (forget) this.#d.metrics.remove(this.#labels);
  }

  #startShards(n: number): void {
    const timing = {
      maxSamplesPerSend: this.#o.maxSamplesPerSend,
      batchSendDeadlineMs: this.#o.batchSendDeadlineMs,
      minBackoffMs: this.#o.minBackoffMs,
      maxBackoffMs: this.#o.maxBackoffMs,
      v2: this.#o.v2,
    };
    const m = this.#d.metrics, l = this.#labels;
    const hooks = {
      store: this.#d.store,
      done: (seqs: Float64Array, k: number) => this.#delivered(seqs, k),
      attempt: (samples: number, bytes: number, seconds: number, highest: number, ok: boolean) => {
        m.samplesTotal.inc(l, samples);
        m.sentBatchDuration.observe(l, seconds);
        this.#outSeconds.incr(seconds);
        if (!ok) return;
        this.#failing = false;
        this.#out.incr(samples);
        this.#lastSendOk = Date.now();
        m.bytesTotal.inc(l, bytes);
        if (highest > this.#highestSent) {
          this.#highestSent = highest;
          m.highestSent.set(l, highest / 1000);
        }
      },
      retry: (samples: number, err: Error) => {
        this.#failing = true;
        m.samplesRetried.inc(l, samples);
        this.#d.logger.warn('Failed to send batch, retrying', { err: err.message });
      },
      failed: (samples: number, err: Error) => {
        m.samplesFailed.inc(l, samples);
        this.#out.incr(samples);
        this.#d.logger.error('non-recoverable error', { count: samples, err: err.message });
      },
    };
    this.#shards = Array.from({ length: n }, () => new Shard(this.#o.capacity, timing, hooks));
    m.shards.set(l, n);
  }

  /** Encodes `labels` after external labels and relabelling; null when dropped. */
  #series(labels: Labels): EncodedSeries | null {
    const hit = this.#cache.get(labels);
    if (hit !== undefined) return hit;
    let out: Labels | undefined = labels;
    const ext = Object.entries(this.#o.externalLabels);
    if (ext.length > 0) {
      const b = labels.builder();
      for (const [k, v] of ext) if (!labels.has(k)) b.set(k, v);
      out = b.labels();
    }
    out = relabelLabels(out, this.#o.relabel);
    let enc: EncodedSeries | null = null;
    if (out !== undefined && out.size > 0) {
      const w = new WireWriter(256);
      const flat = out.flat;
      for (let i = 0; i < flat.length; i += 2) {
        const at = w.begin(1);
        if (flat[i] !== '') w.string(1, flat[i]);
        if (flat[i + 1] !== '') w.string(2, flat[i + 1]);
        w.end(at);
      }
      enc = { bytes: w.result(), hash: out.hash(), labels: out };
    }
    this.#cache.set(labels, enc);
    return enc;
  }

  async #loop(): Promise<void> {
    const m = this.#d.metrics, l = this.#labels;
    const readMax = Math.max(this.#o.maxSamplesPerSend * 5, 10_000);
    while (!this.#stopping) {
      if (this.#desired !== this.#shards.length) await this.#reshard(this.#desired);
      // A short wait keeps `stop` prompt; the log reader wakes at once on a commit anyway.
      const batch = await this.#d.source.next(readMax, Math.min(this.#o.batchSendDeadlineMs, 250));
      if (batch.lostSegments > 0) m.segmentsLost.inc(l, batch.lostSegments);
      const mark: ReadMark = {
        seq: this.#seq++,
        position: batch.position,
        remaining: 0,
        complete: false,
      };
      this.#marks.push(mark);
      this.#bySeq.set(mark.seq, mark);
      let dropped = 0, queued = 0;
      const ageLimit = this.#o.sampleAgeLimitMs ?? 0;
      const oldest = ageLimit > 0 ? Date.now() - ageLimit : -Infinity;
      for (let i = 0; i < batch.count; i++) {
        const s = this.#series(batch.labels[i]);
        const t = batch.t[i];
        if (s === null || t < oldest) {
          dropped++;
          continue;
        }
        if (t > this.#highestRecv) this.#highestRecv = t;
        const shard = this.#shards[s.hash % this.#shards.length];
        while (!shard.push(s, t, batch.hi[i], batch.lo[i], mark.seq)) {
          if (this.#stopping) {
            // Stopping while full: this read stays unacknowledged, so it is read again later.
            mark.remaining += queued;
            this.#pending += queued;
            return;
          }
          m.enqueueRetries.inc(l);
          await shard.space();
        }
        queued++;
      }
      mark.remaining += queued;
      this.#pending += queued;
      m.samplesPending.set(l, this.#pending);
      this.#in.incr(queued);
      if (dropped > 0) {
        m.samplesDropped.inc(l, dropped);
        this.#dropped.incr(dropped);
      }
      mark.complete = true;
      this.#ack();
    }
  }

  #delivered(seqs: Float64Array, n: number): void {
    let i = 0;
    while (i < n) {
      const seq = seqs[i];
      let j = i + 1;
      while (j < n && seqs[j] === seq) j++;
      const mark = this.#bySeq.get(seq);
      if (mark) mark.remaining -= j - i;
      i = j;
    }
    this.#pending -= n;
    this.#d.metrics.samplesPending.set(this.#labels, this.#pending);
    this.#ack();
  }

  #ack(): void {
    let last: LogPosition | undefined;
    while (this.#marks.length > 0 && this.#marks[0].complete && this.#marks[0].remaining <= 0) {
      const mark = this.#marks.shift()!;
      this.#bySeq.delete(mark.seq);
      last = mark.position;
    }
    if (last) this.#d.source.ack(last);
  }

  async #reshard(n: number): Promise<void> {
    this.#d.logger.info('Remote storage resharding', { from: this.#shards.length, to: n });
    // The old shards drain first, so a series' samples never overtake each other.
    await Promise.all(this.#shards.map((s) => s.flush()));
    if (this.#stopping) return;
    this.#startShards(n);
  }

  #updateShards(): void {
    this.#in.tick();
    this.#out.tick();
    this.#dropped.tick();
    this.#outSeconds.tick();
    const want = this.#desiredShards();
    this.#d.metrics.shardsDesired.set(this.#labels, want);
    if (want === this.#shards.length) return;
    // No resharding while the endpoint is failing: more shards would not help.
    if (this.#lastSendOk < Date.now() - 2 * this.#o.batchSendDeadlineMs) return;
    this.#desired = want;
  }

  #desiredShards(): number {
    const current = this.#shards.length;
    const inRate = this.#in.rate, outRate = this.#out.rate;
    if (outRate <= 0) return current;
    const kept = outRate / (this.#dropped.rate + outRate);
    const recv = Math.max(this.#highestRecv, this.#d.highestAppended?.() ?? 0);
    const delay = Math.max(0, (recv - this.#highestSent) / 1000);
    const backlog = delay * inRate * kept;
    const timePerSample = this.#outSeconds.rate / outRate;
    let desired = timePerSample * (inRate * kept + 0.05 * backlog);
    const lower = current * (1 - SHARD_TOLERANCE), upper = current * (1 + SHARD_TOLERANCE);
    desired = Math.ceil(desired);
    if (lower <= desired && desired <= upper) return current;
    if (desired < current && delay > 10) return current;
    return Math.min(this.#o.maxShards, Math.max(this.#o.minShards, desired));
  }
}
