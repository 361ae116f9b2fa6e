/**
 * The write-ahead log: numbered segment files of framed records, each frame
 * `[u32 payload length][u32 CRC-32 of payload][payload]` (big-endian). One commit is one
 * frame, so a commit is either wholly in the log or not at all. Replay reads the newest
 * checkpoint, then every later segment; the first torn or corrupt frame ends the log: the
 * segment is truncated there and later segments are removed, with a warning.
 *
 * Uses `node:fs` directly: this engine is server-only (`@duckdb/node-api` already needs a
 * Node-API runtime: Node.js, Deno or Bun).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../core/log/logger.ts';
import { crc32 } from './crc32.ts';

/** How commits reach the disk; see the config's `wal_fsync`. */
export type FsyncMode = 'commit' | 'batch' | 'none';

const HEADER = 8;
/** A frame larger than this is taken for garbage rather than allocated. */
const MAX_FRAME = 1 << 30;
const SEGMENT_RE = /^(\d{8})$/;
const CHECKPOINT_RE = /^checkpoint\.(\d{8})$/;

/** Options of {@link Wal}. */
export interface WalOptions {
  dir: string;
  fsync: FsyncMode;
  /** A new segment starts once the current one reaches this size. */
  segmentBytes?: number;
  logger?: Logger;
  /** Called with the duration of each fsync, seconds. */
  onFsync?: (seconds: number) => void;
}

const pad = (n: number) => String(n).padStart(8, '0');

/** Segment numbers present in `dir`, ascending, and the newest checkpoint's number. */
export function listWal(dir: string): { segments: number[]; checkpoint: number | undefined } {
  const segments: number[] = [];
  let checkpoint: number | undefined;
  for (const name of fs.readdirSync(dir)) {
    const s = SEGMENT_RE.exec(name);
    if (s) segments.push(Number(s[1]));
    const c = CHECKPOINT_RE.exec(name);
    if (c && (checkpoint === undefined || Number(c[1]) > checkpoint)) checkpoint = Number(c[1]);
  }
  segments.sort((a, b) => a - b);
  return { segments, checkpoint };
}

/**
 * Calls `onRecord` for every intact frame of `bytes`; returns the offset after the last
 * intact frame (`bytes.length` when the whole buffer is intact).
 */
export function scanFrames(bytes: Uint8Array, onRecord: (payload: Uint8Array) => void): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + HEADER <= bytes.length) {
    const len = view.getUint32(pos);
    const sum = view.getUint32(pos + 4);
    if (len === 0 || len > MAX_FRAME || pos + HEADER + len > bytes.length) return pos;
    const payload = bytes.subarray(pos + HEADER, pos + HEADER + len);
    if (crc32(payload) !== sum) return pos;
    try {
      onRecord(payload);
    } catch {
      // A frame whose checksum holds but whose payload does not decode: treat as corrupt.
      return pos;
    }
    pos += HEADER + len;
  }
  return pos;
}

/** Frames `payload`: header then payload, in one buffer. */
export function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  view.setUint32(4, crc32(payload));
  out.set(payload, HEADER);
  return out;
}

function fsyncDir(dir: string): void {
  // Directory fsync makes renames and new files durable; not every platform allows it.
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch { /* best effort */ }
}

/** The log of one data directory: replay on open, append frames, checkpoint and truncate. */
export class Wal {
  readonly dir: string;
  readonly #opts: WalOptions;
  #fd = -1;
  #segment = 0;
  #segmentSize = 0;
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #syncScheduled = false;
  #syncing = false;
  /** Bumped whenever the segment file is synced and closed (rotation, close). */
  #generation = 0;
  #closed = false;

  constructor(opts: WalOptions) {
    this.dir = opts.dir;
    this.#opts = opts;
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Replays the checkpoint and the segments after it into `onRecord`, truncating a torn or
   * corrupt tail (with a warning), then opens a fresh segment for writing.
   */
  replay(onRecord: (payload: Uint8Array) => void): { records: number; truncated: boolean } {
    const { segments, checkpoint } = listWal(this.dir);
    let records = 0, truncated = false;
    const count = (p: Uint8Array) => {
      records++;
      onRecord(p);
    };
    if (checkpoint !== undefined) {
      const file = path.join(this.dir, `checkpoint.${pad(checkpoint)}`);
      const bytes = fs.readFileSync(file);
      const end = scanFrames(bytes, count);
      // A checkpoint is renamed into place only once complete, so damage here is real damage.
      if (end !== bytes.length) {
        this.#opts.logger?.warn('WAL checkpoint is corrupt; data in it may be lost', {
          file,
          valid_bytes: end,
          size: bytes.length,
        });
      }
    }
    const live = segments.filter((s) => checkpoint === undefined || s > checkpoint);
    for (let i = 0; i < live.length; i++) {
      const file = path.join(this.dir, pad(live[i]));
      const bytes = fs.readFileSync(file);
      const end = scanFrames(bytes, count);
      if (end === bytes.length) continue;
      truncated = true;
      this.#opts.logger?.warn('WAL has a torn or corrupt tail; truncating it', {
        segment: file,
        offset: end,
        dropped_bytes: bytes.length - end,
        dropped_segments: live.length - i - 1,
      });
      // What replay cannot use (the damaged tail, later segments) is kept aside for salvage.
      const aside = `${this.dir}.corrupt-${Date.now()}`;
      fs.mkdirSync(aside, { recursive: true });
      fs.writeFileSync(path.join(aside, `${pad(live[i])}.tail-at-${end}`), bytes.subarray(end));
      for (const later of live.slice(i + 1)) {
        fs.renameSync(path.join(this.dir, pad(later)), path.join(aside, pad(later)));
      }
      this.#opts.logger?.warn('Damaged WAL segments set aside', { dir: aside });
      fs.truncateSync(file, end);
      break;
    }
    const after = listWal(this.dir);
    this.#openSegment(Math.max(after.segments.at(-1) ?? 0, checkpoint ?? 0) + 1);
    return { records, truncated };
  }

  #openSegment(n: number): void {
    if (this.#fd >= 0) {
      fs.fsyncSync(this.#fd);
      fs.closeSync(this.#fd);
      this.#generation++;
    }
    this.#segment = n;
    this.#fd = fs.openSync(path.join(this.dir, pad(n)), 'a');
    this.#segmentSize = fs.fstatSync(this.#fd).size;
    fsyncDir(this.dir);
  }

  /** Number of the segment being written. */
  get segment(): number {
    return this.#segment;
  }

  /** Appends one record and resolves once it is as durable as the fsync mode promises. */
  append(payload: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('WAL is closed'));
    const max = this.#opts.segmentBytes ?? 64 << 20;
    if (this.#segmentSize > 0 && this.#segmentSize + HEADER + payload.length > max) {
      this.#openSegment(this.#segment + 1);
    }
    const f = frame(payload);
    let off = 0;
    try {
      while (off < f.length) off += fs.writeSync(this.#fd, f, off, f.length - off);
    } catch (e) {
      // A full disk may leave part of the frame behind (even when the runtime reports no bytes
      // written); replay stops at a torn frame, so every frame written after it (acknowledged
      // commits) would be lost. Cut it off.
      try {
        fs.ftruncateSync(this.#fd, this.#segmentSize);
      } catch { /* the next replay truncates the torn tail instead */ }
      throw e;
    }
    this.#segmentSize += f.length;
    const mode = this.#opts.fsync;
    if (mode === 'none') return Promise.resolve();
    if (mode === 'commit') {
      this.#syncNow();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#scheduleSync();
    });
  }

  // Group commit: every frame written before the fsync starts shares it. The fsync runs off the
  // event loop (libuv's pool), so scrapes, queries and senders go on while the disk works; frames
  // written meanwhile wait for the next one.
  #scheduleSync(): void {
    if (this.#syncScheduled || this.#syncing) return;
    this.#syncScheduled = true;
    setTimeout(() => {
      this.#syncScheduled = false;
      const waiters = this.#waiters;
      this.#waiters = [];
      if (waiters.length === 0 || this.#fd < 0) {
        for (const w of waiters) w.reject(new Error('WAL is closed'));
        return;
      }
      this.#syncing = true;
      const generation = this.#generation;
      const t0 = performance.now();
      fs.fsync(this.#fd, (err) => {
        this.#syncing = false;
        // A rotation or close synced the segment (then closed it) while this fsync was queued.
        if (err && generation === this.#generation) { for (const w of waiters) w.reject(err); }
        else {
          this.#opts.onFsync?.((performance.now() - t0) / 1000);
          for (const w of waiters) w.resolve();
        }
        if (this.#waiters.length > 0) this.#scheduleSync();
      });
    }, 0);
  }

  #syncNow(): void {
    const t0 = performance.now();
    fs.fsyncSync(this.#fd);
    this.#opts.onFsync?.((performance.now() - t0) / 1000);
  }

  /** Starts a new segment; returns the number of the last one closed. */
  cut(): number {
    const last = this.#segment;
    this.#openSegment(last + 1);
    return last;
  }

  /**
   * Replaces segments up to `upTo` (inclusive) and older checkpoints with a checkpoint
   * holding `records` (already encoded payloads): written to a temporary file, fsynced,
   * renamed, and only then are the old files removed (except segments from `keepFrom` on).
   */
  checkpoint(upTo: number, records: Iterable<Uint8Array>, keepFrom = Infinity): void {
    const name = `checkpoint.${pad(upTo)}`;
    const tmp = path.join(this.dir, `${name}.tmp`);
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const p of records) {
        const f = frame(p);
        let off = 0;
        while (off < f.length) off += fs.writeSync(fd, f, off, f.length - off);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(this.dir, name));
    fsyncDir(this.dir);
    const { segments } = listWal(this.dir);
    // Segments from `keepFrom` on stay for log readers (remote write) that still need them.
    for (const s of segments) if (s <= upTo && s < keepFrom) fs.rmSync(path.join(this.dir, pad(s)));
    for (const f of fs.readdirSync(this.dir)) {
      const c = CHECKPOINT_RE.exec(f);
      if ((c && Number(c[1]) < upTo) || (f.endsWith('.tmp') && f !== `${name}.tmp`)) {
        fs.rmSync(path.join(this.dir, f), { force: true });
      }
    }
  }

  /** Bytes of every file of the log. */
  size(): number {
    let n = 0;
    for (const f of fs.readdirSync(this.dir)) {
      try {
        n += fs.statSync(path.join(this.dir, f)).size;
      } catch { /* removed meanwhile */ }
    }
    return n;
  }

  /** Flushes and closes the current segment. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd >= 0) {
      try {
        fs.fsyncSync(this.#fd);
        // Frames waiting for a group fsync are on disk now.
        for (const w of this.#waiters.splice(0)) w.resolve();
      } catch (e) {
        for (const w of this.#waiters.splice(0)) w.reject(e);
        throw e;
      } finally {
        fs.closeSync(this.#fd);
        this.#fd = -1;
        this.#generation++;
      }
    }
  }
}
