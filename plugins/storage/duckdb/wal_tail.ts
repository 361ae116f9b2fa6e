/**
 * A durable follower of the write-ahead log (Prometheus's WAL watcher, with a persisted
 * cursor): reads the frames committed after its cursor, segment by segment, resolves series
 * ids to labels (series records it passes, else the storage's catalog), and persists the
 * cursor the remote-write sender acknowledges, so a restart resumes where delivery stopped.
 *
 * Uses `node:fs` directly, like the log itself (server-only engine).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../core/log/logger.ts';
import type { Labels } from '../../../core/model/mod.ts';
import {
  type LogBatch,
  type LogPosition,
  type LogReader,
  Wakeup,
} from '../../../core/storage/mod.ts';
import { crc32 } from './crc32.ts';
import { listWal } from './wal.ts';
import { decodeRecords } from './wal_record.ts';

const HEADER = 8;
const READ_CHUNK = 1 << 20;
/** Acknowledged cursors reach the disk at most this often (and on close). */
const PERSIST_EVERY_MS = 1000;

const pad = (n: number) => String(n).padStart(8, '0');

/** Options of {@link WalTail}. */
export interface WalTailOptions {
  /** The log's directory. */
  walDir: string;
  /** Where the cursor is persisted (JSON `{segment, offset}`). */
  cursorFile: string;
  /** Where to start when no cursor was persisted: the log's end, as Prometheus does. */
  start: LogPosition;
  /** Labels of a series id the reader has not seen a series record for. */
  lookup: (id: number) => Labels | undefined;
  logger?: Logger;
  /** Called when the reader closes (the storage forgets it). */
  onClose?: (tail: WalTail) => void;
}

/** Reads the persisted cursor in `file`, or `undefined` when absent or unreadable. */
export function readCursor(file: string): LogPosition | undefined {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(c.segment) && Number.isInteger(c.offset)) {
      return { segment: c.segment, offset: c.offset };
    }
  } catch { /* absent or torn: start afresh */ }
  return undefined;
}

/** A {@link LogReader} over the segment files of one log. */
export class WalTail implements LogReader {
  readonly #o: WalTailOptions;
  #segment: number;
  #offset: number;
  #acked: LogPosition;
  #persisted: LogPosition;
  #persistTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #labels = new Map<number, Labels>();
  readonly #wakeup = new Wakeup();
  #closed = false;
  #buf = new Uint8Array(READ_CHUNK);

  constructor(opts: WalTailOptions) {
    this.#o = opts;
    const saved = readCursor(opts.cursorFile);
    const from = saved ?? opts.start;
    this.#segment = from.segment;
    this.#offset = from.offset;
    this.#acked = from;
    this.#persisted = from;
    if (!saved) this.#persist();
  }

  /** The acknowledged position: the log must keep segments from here on. */
  get acked(): LogPosition {
    return this.#acked;
  }

  /** Wakes a `next` waiting for commits. */
  wake(): void {
    this.#wakeup.wake();
  }

  async next(maxSamples: number, waitMs: number): Promise<LogBatch> {
    let batch = this.#read(maxSamples);
    if (batch.count > 0 || batch.lostSegments > 0 || waitMs <= 0 || this.#closed) return batch;
    await this.#wakeup.wait(waitMs);
    batch = this.#read(maxSamples);
    return batch;
  }

  #read(maxSamples: number): LogBatch {
    const labels: Labels[] = [], t: number[] = [], hi: number[] = [], lo: number[] = [];
    let lost = 0;
    const known = this.#labels;
    const visitor = {
      series: (id: number, l: Labels) => void known.set(id, l),
      sample: (id: number, ts: number, h: number, l: number) => {
        let lb = known.get(id);
        if (lb === undefined) {
          lb = this.#o.lookup(id);
          if (lb === undefined) return;
          known.set(id, lb);
        }
        labels.push(lb);
        t.push(ts);
        hi.push(h);
        lo.push(l);
      },
      deletion: () => {},
    };
    while (!this.#closed && labels.length < maxSamples) {
      const file = path.join(this.#o.walDir, pad(this.#segment));
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        // The segment is gone (truncated past the bound, or never written): skip ahead.
        const later = listWal(this.#o.walDir).segments.find((s) => s > this.#segment);
        if (later === undefined) break;
        lost += later - this.#segment;
        this.#o.logger?.warn('WAL segments a remote-write queue needed are gone; skipping', {
          from: this.#segment,
          to: later,
        });
        this.#segment = later;
        this.#offset = 0;
        continue;
      }
      let progressed = false;
      try {
        const size = fs.fstatSync(fd).size;
        if (this.#offset > size) this.#offset = size; // truncated torn tail
        while (this.#offset < size && labels.length < maxSamples) {
          const want = Math.min(size - this.#offset, Math.max(READ_CHUNK, this.#buf.length));
          if (this.#buf.length < want) this.#buf = new Uint8Array(want);
          const n = fs.readSync(fd, this.#buf, 0, want, this.#offset);
          const used = this.#frames(this.#buf.subarray(0, n), visitor, maxSamples, labels);
          if (used === 0) {
            // A frame larger than the buffer, or a frame still being written.
            const len = n >= HEADER ? new DataView(this.#buf.buffer).getUint32(0) : 0;
            if (len + HEADER > this.#buf.length && len + HEADER <= size - this.#offset) {
              this.#buf = new Uint8Array(len + HEADER);
              continue;
            }
            break;
          }
          this.#offset += used;
          progressed = true;
        }
        if (labels.length >= maxSamples) break;
        // At the end of this segment: move on only once a later one exists (it is then closed).
        const later = listWal(this.#o.walDir).segments.find((s) => s > this.#segment);
        if (later === undefined) {
          if (!progressed) break;
          continue;
        }
        if (this.#offset < fs.fstatSync(fd).size) {
          if (progressed) continue;
          // A closed segment with an undecodable tail: what follows it is unreadable.
          lost++;
          this.#o.logger?.warn('WAL segment has a corrupt tail; a remote-write queue skips it', {
            segment: this.#segment,
            offset: this.#offset,
          });
        }
        this.#segment = later;
        this.#offset = 0;
      } finally {
        fs.closeSync(fd);
      }
    }
    return {
      count: labels.length,
      labels,
      t,
      hi,
      lo,
      position: { segment: this.#segment, offset: this.#offset },
      lostSegments: lost,
    };
  }

  /** Decodes whole intact frames of `bytes`; returns the bytes consumed. */
  #frames(
    bytes: Uint8Array,
    visitor: Parameters<typeof decodeRecords>[1],
    maxSamples: number,
    out: unknown[],
  ): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    while (pos + HEADER <= bytes.length && out.length < maxSamples) {
      const len = view.getUint32(pos);
      const sum = view.getUint32(pos + 4);
      if (len === 0 || pos + HEADER + len > bytes.length) break;
      const payload = bytes.subarray(pos + HEADER, pos + HEADER + len);
      if (crc32(payload) !== sum) break;
      try {
        decodeRecords(payload, visitor);
      } catch { /* the writer's replay treats this frame as the end; so do we */ }
      pos += HEADER + len;
    }
    return pos;
  }

  ack(position: LogPosition): void {
    const a = this.#acked;
    if (
      position.segment < a.segment ||
      (position.segment === a.segment && position.offset <= a.offset)
    ) {
      return;
    }
    this.#acked = position;
    if (this.#persistTimer === undefined && !this.#closed) {
      this.#persistTimer = setTimeout(() => {
        this.#persistTimer = undefined;
        this.#persist();
      }, PERSIST_EVERY_MS);
    }
  }

  #persist(): void {
    const a = this.#acked;
    if (a === this.#persisted && fs.existsSync(this.#o.cursorFile)) return;
    try {
      fs.mkdirSync(path.dirname(this.#o.cursorFile), { recursive: true });
      const tmp = `${this.#o.cursorFile}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ segment: a.segment, offset: a.offset }));
      fs.renameSync(tmp, this.#o.cursorFile);
      this.#persisted = a;
    } catch (e) {
      this.#o.logger?.warn('could not persist the remote-write cursor', {
        file: this.#o.cursorFile,
        err: String((e as Error)?.message ?? e),
      });
    }
  }

  close(forget = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#persistTimer !== undefined) clearTimeout(this.#persistTimer);
    this.#persistTimer = undefined;
    if (forget) fs.rmSync(this.#o.cursorFile, { force: true });
    else this.#persist();
    this.wake();
    this.#o.onClose?.(this);
    return Promise.resolve();
  }
}
