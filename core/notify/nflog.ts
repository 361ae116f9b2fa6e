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
}

/** The log. */
export class NotificationLog {
  readonly #clock: Clock;
  readonly #retention: number;
  readonly #entries = new Map<string, NflogEntry>();

  constructor(opts: NotificationLogOptions = {}) {
    this.#clock = opts.clock ?? systemClock;
    this.#retention = opts.retentionMs ?? 120 * 3_600_000;
  }

  /** The last entry for `key`. */
  get(key: NflogKey): NflogEntry | undefined {
    return this.#entries.get(keyOf(key));
  }

  /** Records a sent notification. */
  log(key: NflogKey, firing: readonly string[], resolved: readonly string[]): void {
    const now = this.#clock.now();
    this.#entries.set(keyOf(key), {
      groupKey: key.groupKey,
      receiver: key.receiver,
      integration: key.integration,
      firing: [...firing],
      resolved: [...resolved],
      timestamp: now,
      expiresAt: now + this.#retention,
    });
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
    return n;
  }

  /** Every entry, for persisting. */
  snapshot(): NflogEntry[] {
    return [...this.#entries.values()];
  }

  /** Replaces the content with a snapshot. */
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
