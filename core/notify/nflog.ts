/**
 * The notification log: per group, receiver and integration, which alerts were last notified
 * as firing and as resolved, and when. It deduplicates flushes (nothing new, nothing sent) and
 * enforces `repeat_interval`; persisted, it keeps a restart from notifying again.
 * @module
 */
import { type Clock, systemClock } from './clock.ts';

/** Where a notification went: the group, the receiver, the integration (`webhook[0]`). */
export interface NflogKey {
  groupKey: string;
  receiver: string;
  integration: string;
}

/** One log entry. */
export interface NflogEntry extends NflogKey {
  firing: string[];
  resolved: string[];
  /** When the notification was sent (ms). */
  timestamp: number;
  /** When the entry may be forgotten (ms). */
  expiresAt: number;
}

const keyOf = (k: NflogKey) => `${k.groupKey}\u0000${k.receiver}\u0000${k.integration}`;

/** Options of {@link NotificationLog}. */
export interface NotificationLogOptions {
  clock?: Clock;
  /** How long entries are kept; Alertmanager's `--data.retention`, 120h. */
  retentionMs?: number;
  /** Where every entry is written through (the state store); see {@link NotificationLog.settled}. */
  store?: NflogStore;
  /** Told about a failed write to the store. */
  onStoreError?: (err: unknown) => void;
}

/** The part of the state store the log is persisted to. */
export interface NflogStore {
  putNflog(e: NflogEntry): Promise<void>;
  deleteExpiredNflog(now: number): Promise<number>;
}

/** The log. */
export class NotificationLog {
  readonly #clock: Clock;
  readonly #retention: number;
  readonly #entries = new Map<string, NflogEntry>();
  readonly #store?: NflogStore;
  readonly #onStoreError: (err: unknown) => void;
  #pending: Promise<void> = Promise.resolve();

  constructor(opts: NotificationLogOptions = {}) {
    this.#clock = opts.clock ?? systemClock;
    this.#retention = opts.retentionMs ?? 120 * 3_600_000;
    this.#store = opts.store;
    this.#onStoreError = opts.onStoreError ?? (() => {});
  }

  /** Resolves when every entry logged so far is in the store. */
  settled(): Promise<void> {
    return this.#pending;
  }

  #write(fn: (store: NflogStore) => Promise<unknown>): void {
    const store = this.#store;
    if (!store) return;
    this.#pending = this.#pending.then(() => fn(store)).then(() => {}, this.#onStoreError);
  }

  /** The last entry for `key`. */
  get(key: NflogKey): NflogEntry | undefined {
    return this.#entries.get(keyOf(key));
  }

  /** Records a sent notification. */
  log(key: NflogKey, firing: readonly string[], resolved: readonly string[]): void {
    const now = this.#clock.now();
    const e: NflogEntry = {
      groupKey: key.groupKey,
      receiver: key.receiver,
      integration: key.integration,
      firing: [...firing],
      resolved: [...resolved],
      timestamp: now,
      expiresAt: now + this.#retention,
    };
    this.#entries.set(keyOf(key), e);
    this.#write((store) => store.putNflog(e));
  }

  /** Drops expired entries; returns how many. */
  gc(): number {
    const now = this.#clock.now();
    let n = 0;
    for (const [k, e] of this.#entries) {
      if (e.expiresAt < now) {
        this.#entries.delete(k);
        n++;
      }
    }
    if (n > 0) this.#write((store) => store.deleteExpiredNflog(now));
    return n;
  }

  /** Every entry, for persisting. */
  snapshot(): NflogEntry[] {
    return [...this.#entries.values()];
  }

  /** Replaces the content with a snapshot (nothing is written to the store). */
  restore(entries: readonly NflogEntry[]): void {
    this.#entries.clear();
    for (const e of entries) this.#entries.set(keyOf(e), { ...e });
  }
}

/**
 * Alertmanager's dedup decision: notify when there was no notification yet and something
 * fires, when a firing alert is new, when everything resolved after something fired, when
 * `sendResolved` and an alert newly resolved, or when the last notification is older than
 * the repeat interval.
 */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  if (!entry) return firing.size > 0;
  const logged = new Set(entry.firing);
  for (const fp of firing) if (!logged.has(fp)) return true;
  if (firing.size === 0) return entry.firing.length > 0;
  if (sendResolved) {
    const was = new Set(entry.resolved);
    for (const fp of resolved) if (!was.has(fp)) return true;
  }
  return entry.timestamp < now - repeatIntervalMs;
}
