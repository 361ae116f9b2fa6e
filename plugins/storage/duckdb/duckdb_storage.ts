/**
 * The DuckDB storage engine: an in-memory head made durable by a write-ahead log, compacted
 * window by window into DuckDB blocks, with time and size retention over whole blocks.
 *
 * Durability contract: with `wal_fsync` `commit` or `batch`, a `commit()` that resolved is in
 * a fsynced WAL frame (or a fsynced checkpoint, or a committed DuckDB transaction), so it
 * survives kill -9 and power loss; a commit that had not resolved may or may not survive,
 * but never in part (one commit, one checksummed frame).
 *
 * Uses `node:fs`/`node:path` directly: this engine is server-only (`@duckdb/node-api` needs a
 * Node-API runtime: Node.js, Deno or Bun).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../core/log/logger.ts';
import type { Registry } from '../../../core/metrics/mod.ts';
import { type Matcher, STALE_NAN_HI, STALE_NAN_LO } from '../../../core/model/mod.ts';
import {
  type Appender,
  type CommittedSamples,
  floatBits,
  HeadSeriesLimit,
  type LogReader,
  type Querier,
  type Storage,
  type StorageStats,
} from '../../../core/storage/mod.ts';
import { HeadAppender } from './appender.ts';
import { type BlockMeta, type BlockSeriesData, BlockStore } from './blocks.ts';
import { Head } from './head.ts';
import type { HeadSeries } from './head_series.ts';
import { type DirLock, lockDirectory } from './lock.ts';
import { openBlockStore } from './quarantine.ts';
import { DuckdbSqlRunner, type SqlSnapshot } from './sql_runner.ts';
import type { DuckdbStateStore } from './state_store.ts';
import { TsdbQuerier } from './querier.ts';
import { TsdbMetrics } from './self_metrics.ts';
import { type FsyncMode, listWal, Wal } from './wal.ts';
import { readCursor, WalTail } from './wal_tail.ts';
import {
  ByteWriter,
  decodeRecords,
  encodeDelete,
  encodeSamples,
  encodeSeries,
  REC_SAMPLES,
} from './wal_record.ts';

/** Options of {@link DuckdbStorage.open}; durations in milliseconds. */
export interface DuckdbStorageOptions {
  /** Data directory; created when absent. */
  path: string;
  retentionMs?: number;
  /** Bytes of blocks and WAL together; 0: no limit. */
  retentionBytes?: number;
  blockRangeMs?: number;
  outOfOrderWindowMs?: number;
  fsync?: FsyncMode;
  /** DuckDB's `memory_limit` (default `512MB`). */
  memoryLimit?: string;
  /** WAL segment size (default 64 MiB). */
  segmentBytes?: number;
  /**
   * How far log readers (remote-write queues) may lag: segments they still need are kept at
   * truncation while younger than this (default 6 h) …
   */
  logReaderMaxLagMs?: number;
  /** … and while they total at most this many bytes (default 2 GiB). */
  logReaderMaxLagBytes?: number;
  /** Most head series; new series beyond it are refused. 0 or absent: no limit. */
  maxSeries?: number;
  registry?: Registry;
  logger?: Logger;
}

/** A {@link Storage} on a data directory: head + WAL + DuckDB blocks. */
export class DuckdbStorage implements Storage {
  readonly dir: string;
  readonly #opts: DuckdbStorageOptions;
  readonly #head: Head;
  readonly #wal: Wal;
  readonly #blocks: BlockStore;
  readonly #lock: DirLock;
  readonly #metrics: TsdbMetrics;
  #metas: BlockMeta[] = [];
  #persisted = new Set<number>();
  #nextBlock = 1;
  #headMinT = Infinity;
  #compaction: Promise<void> = Promise.resolve();
  #compacting = false;
  #blockBytes = 0;
  #closed = false;
  #enc = new ByteWriter(1 << 16);
  readonly #tails = new Set<WalTail>();
  readonly #commitListeners = new Set<(samples: CommittedSamples) => void>();

  private constructor(
    opts: DuckdbStorageOptions,
    lock: DirLock,
    wal: Wal,
    blocks: BlockStore,
    head: Head,
    metrics: TsdbMetrics,
  ) {
    this.dir = opts.path;
    this.#opts = opts;
    this.#lock = lock;
    this.#wal = wal;
    this.#blocks = blocks;
    this.#head = head;
    this.#metrics = metrics;
  }

  /** Locks the directory, opens DuckDB, replays the WAL and compacts what is due. */
  static async open(opts: DuckdbStorageOptions): Promise<DuckdbStorage> {
    const dir = path.resolve(opts.path);
    fs.mkdirSync(dir, { recursive: true });
    const lock = lockDirectory(dir, opts.logger);
    let blocks: BlockStore | undefined;
    let wal: Wal | undefined;
    let metrics: TsdbMetrics | undefined;
    try {
      ({ blocks } = await openBlockStore(path.join(dir, 'beacon.duckdb'), opts));
      // The gauges read the storage through this late-bound reference.
      const box: { s?: DuckdbStorage } = {};
      metrics = new TsdbMetrics(opts.registry, {
        headSeries: () => (box.s ? box.s.#head.headSeriesCount : 0),
        headChunks: () => (box.s ? box.s.#headChunks() : 0),
        walBytes: () => (box.s && !box.s.#closed ? box.s.#wal.size() : 0),
        blocks: () => (box.s ? box.s.#metas.length : 0),
        blockBytes: () => (box.s ? box.s.#blockBytes : 0),
      });
      const head = new Head(
        opts.blockRangeMs ?? 2 * 3600_000,
        opts.outOfOrderWindowMs ?? 0,
        opts.retentionMs ?? 0,
        metrics,
      );
      if (opts.maxSeries) head.seriesLimit = new HeadSeriesLimit(opts.maxSeries, opts.registry);
      wal = new Wal({
        dir: path.join(dir, 'wal'),
        fsync: opts.fsync ?? 'batch',
        segmentBytes: opts.segmentBytes,
        logger: opts.logger,
        onFsync: (s) => metrics!.fsyncDuration.observe(s),
      });
      const self = new DuckdbStorage({ ...opts, path: dir }, lock, wal, blocks, head, metrics);
      box.s = self;
      await self.#load();
      return self;
    } catch (e) {
      metrics?.unregister();
      wal?.close();
      blocks?.close();
      lock.release();
      throw e;
    }
  }

  async #load(): Promise<void> {
    const head = this.#head;
    for (const { id, labels } of await this.#blocks.loadSeries()) {
      head.known(id, labels);
      this.#persisted.add(id);
    }
    this.#metas = await this.#blocks.loadBlocks();
    for (const b of this.#metas) {
      if (b.id >= this.#nextBlock) this.#nextBlock = b.id + 1;
      if (b.maxt + 1 > head.compactedUpTo) head.compactedUpTo = b.maxt + 1;
    }
    const t0 = performance.now();
    const { records, truncated } = this.#wal.replay((payload) =>
      decodeRecords(payload, {
        series: (id, labels) => void head.known(id, labels),
        sample: (id, t, hi, lo) => head.replaySample(id, t, hi, lo),
        deletion: (id, mint, maxt) => {
          const ref = head.refOf.get(id);
          const s = ref === undefined ? undefined : head.series[ref];
          if (s !== undefined) this.#deleteFromHead(s, mint, maxt);
        },
      })
    );
    if (truncated) this.#metrics.walCorruptions.inc();
    // Series known from the log but without samples anywhere (all deleted or rolled back).
    for (const ref of [...head.catalog.allRefs]) {
      const s = head.series[ref];
      if (s !== undefined && s.sampleCount === 0) head.dropHeadSeries(s);
      if (head.series[ref] === undefined && !this.#persisted.has(head.idOf[ref])) head.forget(ref);
    }
    this.#headMinT = head.minTime();
    this.#opts.logger?.info('WAL replayed', {
      records,
      series: head.catalog.size,
      head_series: head.headSeriesCount,
      blocks: this.#metas.length,
      duration_ms: Math.round(performance.now() - t0),
    });
    this.#blockBytes = await this.#blocks.usedBytes();
    this.#scheduleCompaction();
    await this.#compaction;
  }

  #headChunks(): number {
    let n = 0;
    for (const s of this.#head.series) if (s !== undefined) n += s.chunks.length;
    return n;
  }

  appender(): Appender {
    this.#open();
    return new HeadAppender(this.#head, {
      commit: (created, series, t, hi, lo) => this.#commit(created, series, t, hi, lo),
      discard: (created) => this.#discard(created),
    });
  }

  #commit(
    created: readonly HeadSeries[],
    series: readonly HeadSeries[],
    t: readonly number[],
    hi: readonly number[],
    lo: readonly number[],
  ): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('storage is closed'));
    const head = this.#head;
    // A series dropped meanwhile (compaction, deletion) is re-resolved by labels.
    const fresh = new Set<HeadSeries>();
    for (const s of created) if (!s.removed) fresh.add(s);
    const live = new Array<HeadSeries>(series.length);
    for (let i = 0; i < series.length; i++) {
      let s = series[i];
      if (s.removed) {
        const r = head.resolve(0, s.labels);
        s = r.s;
        if (r.created) fresh.add(s);
      }
      live[i] = s;
    }
    const w = this.#enc;
    w.reset();
    if (fresh.size > 0) {
      const list = [...fresh];
      encodeSeries(w, list.map((s) => s.id), list.map((s) => s.labels));
    }
    encodeSamples(w, live.length, live.map((s) => s.id), t, hi, lo);
    let durable: Promise<void>;
    try {
      durable = this.#wal.append(w.bytes());
    } catch (e) {
      this.#discard(created);
      return Promise.reject(e);
    }
    // Applied right after the write, so the head sees commits in log order.
    let appended = 0;
    for (let i = 0; i < live.length; i++) {
      if (head.commitSample(live[i], t[i], hi[i], lo[i])) {
        appended++;
        if (t[i] < this.#headMinT) this.#headMinT = t[i];
      }
    }
    if (appended > 0) this.#metrics.samplesAppended.inc(appended);
    if (this.#commitListeners.size > 0 && live.length > 0) {
      const batch = { count: live.length, labels: live.map((s) => s.labels), t, hi, lo };
      for (const l of this.#commitListeners) l(batch);
    }
    for (const tail of this.#tails) tail.wake();
    this.#discard(created);
    this.#scheduleCompaction();
    return durable;
  }

  #discard(created: readonly HeadSeries[]): void {
    const head = this.#head;
    for (const s of created) {
      if (s.removed || s.sampleCount > 0 || s.pendingOwner !== 0) continue;
      head.dropHeadSeries(s);
      if (!this.#persisted.has(s.id)) head.forget(s.ref);
    }
  }

  onCommit(listener: (samples: CommittedSamples) => void): () => void {
    this.#commitListeners.add(listener);
    return () => void this.#commitListeners.delete(listener);
  }

  /**
   * A durable reader of the write-ahead log for the remote-write queue `name`: its cursor is
   * kept in `<data>/remote_write/<name>.json`; a new reader starts at the log's end.
   */
  openLogReader(name: string): LogReader {
    this.#open();
    const head = this.#head;
    const current = path.join(this.#wal.dir, String(this.#wal.segment).padStart(8, '0'));
    let size = 0;
    try {
      size = fs.statSync(current).size;
    } catch { /* not written yet */ }
    const tail = new WalTail({
      walDir: this.#wal.dir,
      cursorFile: path.join(this.#cursorDir(), `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`),
      start: { segment: this.#wal.segment, offset: size },
      lookup: (id) => {
        const ref = head.refOf.get(id);
        return ref === undefined ? undefined : head.catalog.labels(ref);
      },
      logger: this.#opts.logger,
      onClose: (t) => void this.#tails.delete(t),
    });
    this.#tails.add(tail);
    return tail;
  }

  #cursorDir(): string {
    return path.join(this.dir, 'remote_write');
  }

  /**
   * The first segment truncation must keep for log readers (open ones and persisted cursors
   * of queues not running now), bounded by the max lag settings; past the bound the oldest
   * segments go anyway, with a warning (the readers count them as lost).
   */
  #keepFrom(upTo: number): number {
    let keep = Infinity;
    for (const t of this.#tails) keep = Math.min(keep, t.acked.segment);
    try {
      for (const f of fs.readdirSync(this.#cursorDir())) {
        if (!f.endsWith('.json')) continue;
        const c = readCursor(path.join(this.#cursorDir(), f));
        if (c) keep = Math.min(keep, c.segment);
      }
    } catch { /* no cursors */ }
    if (keep > upTo) return keep;
    const maxAge = this.#opts.logReaderMaxLagMs ?? 6 * 3600_000;
    const maxBytes = this.#opts.logReaderMaxLagBytes ?? 2 * 1024 ** 3;
    const segs = listWal(this.#wal.dir).segments.filter((s) => s >= keep && s <= upTo);
    const stat = (s: number) => {
      try {
        return fs.statSync(path.join(this.#wal.dir, String(s).padStart(8, '0')));
      } catch {
        return undefined;
      }
    };
    let bytes = 0;
    for (const s of segs) bytes += stat(s)?.size ?? 0;
    let dropped = 0;
    const now = Date.now();
    while (segs.length > 0) {
      const st = stat(segs[0]);
      if (st && bytes <= maxBytes && st.mtimeMs >= now - maxAge) break;
      bytes -= st?.size ?? 0;
      segs.shift();
      dropped++;
    }
    if (dropped > 0) {
      this.#opts.logger?.warn(
        'remote-write queues lag beyond the WAL keep bound; dropping the oldest segments',
        { segments: dropped, max_lag_ms: maxAge, max_lag_bytes: maxBytes },
      );
    }
    return segs[0] ?? upTo + 1;
  }

  querier(mint: number, maxt: number): Querier {
    this.#open();
    return new TsdbQuerier(this.#head, this.#blocks, () => this.#metas, mint, maxt);
  }

  async deleteSeries(matchers: readonly Matcher[], mint: number, maxt: number): Promise<void> {
    this.#open();
    await this.#compaction;
    const head = this.#head;
    const refs = head.catalog.postings(matchers);
    if (refs.length === 0) return;
    const ids = refs.map((r) => head.idOf[r]);
    const w = this.#enc;
    w.reset();
    encodeDelete(w, ids, ids.map(() => mint), ids.map(() => maxt));
    await this.#wal.append(w.bytes());
    for (const ref of refs) {
      const s = head.series[ref];
      if (s !== undefined) this.#deleteFromHead(s, mint, maxt);
    }
    const blockIds = this.#metas.filter((b) => b.maxt >= mint && b.mint <= maxt).map((b) => b.id);
    const persisted = ids.filter((id) => this.#persisted.has(id));
    await this.#blocks.deleteRange(blockIds, persisted, mint, maxt);
    const still = await this.#blocks.seriesWithData(persisted);
    const gone: number[] = [];
    for (const ref of refs) {
      const s = head.series[ref];
      const id = head.idOf[ref];
      if (s !== undefined && (s.sampleCount > 0 || s.pendingOwner !== 0)) continue;
      if (still.has(id)) continue;
      if (this.#persisted.delete(id)) gone.push(id);
      head.forget(ref);
    }
    await this.#blocks.deleteSeriesRows(gone);
    this.#metas = await this.#blocks.loadBlocks();
  }

  #deleteFromHead(s: HeadSeries, mint: number, maxt: number): void {
    if (s.sampleCount === 0 || s.maxTime < mint || s.minTime > maxt) return;
    const cols = s.decode(-Infinity, Infinity);
    const { maxT, lastHi, lastLo } = s;
    s.chunks = [];
    s.windows = [];
    s.ooo = { t: [], hi: [], lo: [] };
    s.maxT = -Infinity;
    for (let i = 0; i < cols.t.length; i++) {
      const t = cols.t[i];
      if (t >= mint && t <= maxt) continue;
      if (cols.stale?.[i]) s.appendInOrder(t, STALE_NAN_HI, STALE_NAN_LO, this.#head.windowOf(t));
      else {
        floatBits(cols.v[i]);
        s.appendInOrder(t, floatBits.hi, floatBits.lo, this.#head.windowOf(t));
      }
    }
    // The append state stays, so a deleted range is not reopened to older samples.
    s.maxT = maxT;
    s.lastHi = lastHi;
    s.lastLo = lastLo;
    if (s.sampleCount === 0 && s.pendingOwner === 0) this.#head.dropHeadSeries(s);
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
    for (const b of this.#metas) {
      numSamples += b.samples;
      if (b.samples > 0) {
        minTime = Math.min(minTime, b.mint);
        maxTime = Math.max(maxTime, b.maxt);
      }
    }
    return Promise.resolve({
      ...head.catalog.stats(limit),
      numSamples,
      minTime: numSamples > 0 ? minTime : NaN,
      maxTime: numSamples > 0 ? maxTime : NaN,
      chunkCount: this.#headChunks(),
    });
  }

  /** The block index (a copy), oldest first. */
  blocks(): BlockMeta[] {
    return this.#metas.map((b) => ({ ...b }));
  }

  /** The DuckDB store, for SQL views and exports. */
  get blockStore(): BlockStore {
    return this.#blocks;
  }

  /** The relational state kept in this data directory's database. */
  stateStore(): DuckdbStateStore {
    return this.#blocks.state;
  }

  /**
   * SQL over head and blocks (docs/sql.md). `disableExternalAccess` turns DuckDB's
   * `enable_external_access` off for the whole database, for good: no query (and no other
   * code in this process) reads or writes files outside the database any more.
   */
  async sqlRunner(opts: { disableExternalAccess?: boolean } = {}): Promise<DuckdbSqlRunner> {
    this.#open();
    if (opts.disableExternalAccess) {
      const c = await this.#blocks.connect();
      try {
        await c.run('SET enable_external_access = false');
      } finally {
        this.#blocks.disconnect(c);
      }
    }
    return new DuckdbSqlRunner(
      this.#blocks,
      (withSamples, mint, maxt) => this.#sqlSnapshot(withSamples, mint, maxt),
    );
  }

  // Synchronous, so that head and block list agree (see sql_views.ts).
  #sqlSnapshot(withSamples: boolean, mint: number, maxt: number): SqlSnapshot {
    this.#open();
    const series = [];
    for (const s of this.#head.series) {
      if (s === undefined || s.sampleCount === 0) continue;
      series.push({
        id: s.id,
        labels: s.labels,
        cols: withSamples ? s.decode(mint, maxt) : undefined,
      });
    }
    const blocks = this.#metas.filter((b) => b.maxt >= mint && b.mint <= maxt).map((b) => b.id);
    return { blocks, series };
  }

  /** Compacts every due window and applies retention; resolves when done. */
  compact(): Promise<void> {
    this.#scheduleCompaction(true);
    return this.#compaction;
  }

  #scheduleCompaction(force = false): void {
    const head = this.#head;
    const R = head.blockRange;
    const due = Number.isFinite(this.#headMinT) &&
      head.windowOf(this.#headMinT) + 2 * R <= head.maxT;
    if (this.#compacting || (!due && !force)) return;
    this.#compacting = true;
    this.#compaction = this.#compaction.then(async () => {
      try {
        await this.#compactDue();
        await this.#applyRetention();
      } catch (e) {
        this.#metrics.compactionsFailed.inc();
        this.#opts.logger?.error('compaction failed', { err: String((e as Error)?.message ?? e) });
      } finally {
        this.#compacting = false;
      }
    });
  }

  async #compactDue(): Promise<void> {
    const head = this.#head;
    const R = head.blockRange;
    for (;;) {
      if (this.#closed) return;
      this.#headMinT = head.minTime();
      if (!Number.isFinite(this.#headMinT)) return;
      const a = head.windowOf(this.#headMinT);
      if (a + 2 * R > head.maxT) return;
      await this.#compactWindow(a, a + R);
    }
  }

  async #compactWindow(a: number, end: number): Promise<void> {
    const t0 = performance.now();
    const head = this.#head;
    const cutSegment = this.#wal.cut();
    const data: BlockSeriesData[] = [];
    const taken: { s: HeadSeries; chunks: Set<unknown>; ooo: Set<number> }[] = [];
    const newSeries: { id: number; labels: HeadSeries['labels'] }[] = [];
    for (const s of head.series) {
      if (s === undefined || s.sampleCount === 0 || s.minTime >= end) continue;
      const chunks = s.chunks.filter((_, i) => s.windows[i] < end);
      for (const c of chunks) c.close();
      const ooo = new Set(s.ooo.t.filter((t) => t < end));
      const cols = s.decode(-Infinity, end - 1, chunks);
      if (cols.t.length === 0) continue;
      data.push({ id: s.id, cols });
      taken.push({ s, chunks: new Set(chunks), ooo });
      if (!this.#persisted.has(s.id)) newSeries.push({ id: s.id, labels: s.labels });
    }
    data.sort((x, y) => x.id - y.id);
    if (data.length > 0) {
      const meta = await this.#blocks.writeBlock(this.#nextBlock++, data, newSeries);
      this.#metas = [...this.#metas, meta].sort((x, y) => x.mint - y.mint || x.id - y.id);
      for (const s of newSeries) this.#persisted.add(s.id);
    }
    for (const { s, chunks, ooo } of taken) {
      const keep = s.chunks.map((c) => !chunks.has(c));
      s.chunks = s.chunks.filter((_, i) => keep[i]);
      s.windows = s.windows.filter((_, i) => keep[i]);
      if (ooo.size > 0) {
        const o = s.ooo, n = { t: [] as number[], hi: [] as number[], lo: [] as number[] };
        for (let i = 0; i < o.t.length; i++) {
          if (ooo.has(o.t[i])) continue;
          n.t.push(o.t[i]);
          n.hi.push(o.hi[i]);
          n.lo.push(o.lo[i]);
        }
        s.ooo = n;
      }
      if (s.sampleCount === 0 && s.pendingOwner === 0) head.dropHeadSeries(s);
    }
    if (end > head.compactedUpTo) head.compactedUpTo = end;
    this.#wal.checkpoint(cutSegment, this.#headRecords(), this.#keepFrom(cutSegment));
    this.#metrics.walTruncations.inc();
    // Moves the block from DuckDB's own log into the file, where its size can be measured.
    await this.#blocks.checkpoint();
    this.#blockBytes = await this.#blocks.usedBytes();
    const seconds = (performance.now() - t0) / 1000;
    this.#metrics.compactions.inc();
    this.#metrics.compactionDuration.observe(seconds);
    this.#opts.logger?.info('compacted head window into a block', {
      mint: a,
      maxt: end - 1,
      series: data.length,
      duration_ms: Math.round(seconds * 1000),
    });
  }

  /** The head as WAL records: every head series, then its samples. */
  *#headRecords(): Generator<Uint8Array> {
    const head = this.#head;
    const live = head.series.filter((s): s is HeadSeries => s !== undefined);
    for (let i = 0; i < live.length; i += 1000) {
      const w = new ByteWriter();
      const part = live.slice(i, i + 1000);
      encodeSeries(w, part.map((s) => s.id), part.map((s) => s.labels));
      yield w.bytes();
    }
    // One samples record per series, several records per frame (about 1 MiB each).
    let w = new ByteWriter(1 << 20);
    for (const s of live) {
      const n = s.sampleCount;
      if (n === 0) continue;
      const base = s.minTime;
      w.byte(REC_SAMPLES);
      w.uvarint(n);
      w.f64(base);
      for (const c of s.chunks) {
        const it = c.iterator();
        while (it.next()) {
          w.uvarint(s.id);
          w.varint(it.t - base);
          w.u32(it.hi);
          w.u32(it.lo);
        }
      }
      for (let i = 0; i < s.ooo.t.length; i++) {
        w.uvarint(s.id);
        w.varint(s.ooo.t[i] - base);
        w.u32(s.ooo.hi[i]);
        w.u32(s.ooo.lo[i]);
      }
      if (w.pos >= 1 << 20) {
        yield w.bytes();
        w = new ByteWriter(1 << 20);
      }
    }
    if (w.pos > 0) yield w.bytes();
  }

  async #applyRetention(): Promise<void> {
    const { retentionMs = 0, retentionBytes = 0 } = this.#opts;
    if (this.#metas.length === 0) return;
    let newest = this.#head.maxT;
    for (const b of this.#metas) newest = Math.max(newest, b.maxt);
    const drop = new Set<number>();
    if (retentionMs > 0) {
      for (const b of this.#metas) if (b.maxt < newest - retentionMs) drop.add(b.id);
    }
    if (retentionBytes > 0) {
      // DuckDB does not report bytes per block: share the file by samples.
      const total = this.#metas.reduce((n, b) => n + b.samples, 0);
      const perSample = total > 0 ? this.#blockBytes / total : 0;
      let bytes = this.#blockBytes + this.#wal.size();
      for (const b of this.#metas) {
        if (bytes <= retentionBytes) break;
        if (!drop.has(b.id)) drop.add(b.id);
        bytes -= b.samples * perSample;
      }
    }
    if (drop.size === 0) return;
    const gone = await this.#blocks.dropBlocks([...drop]);
    this.#metas = this.#metas.filter((b) => !drop.has(b.id));
    this.#metrics.retentionBlocks.inc(drop.size);
    const head = this.#head;
    for (const id of gone) {
      this.#persisted.delete(id);
      const ref = head.refOf.get(id);
      if (ref !== undefined && head.series[ref] === undefined) head.forget(ref);
    }
    this.#blockBytes = await this.#blocks.usedBytes();
    this.#opts.logger?.info('retention removed blocks', { blocks: drop.size, series: gone.length });
  }

  /** Runs retention now (after any compaction in flight). */
  async applyRetention(): Promise<void> {
    await this.#compaction;
    await this.#applyRetention();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#compaction;
    this.#closed = true;
    for (const t of [...this.#tails]) await t.close();
    try {
      this.#wal.close();
      await this.#blocks.checkpoint();
      this.#blocks.close();
    } finally {
      this.#metrics.unregister();
      this.#lock.release();
    }
  }

  #open(): void {
    if (this.#closed) throw new Error('storage is closed');
  }
}
