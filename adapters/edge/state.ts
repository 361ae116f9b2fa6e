/**
 * What outlives one edge invocation: the alerts of every alerting rule (with `activeAt`, so
 * `for:` keeps counting across isolates), when each target and rule group last ran, the
 * remote-write cursor per endpoint, and the built-in routing's silences and notification log.
 * A small JSON document, kept by a {@link StateStore} (Durable Object storage, Workers KV,
 * Deno KV, or memory).
 * @module
 */
import { Labels } from '../../core/model/mod.ts';
import type { AlertState, RuleAlert } from '../../core/rules/mod.ts';
import type { StoredNflogEntry, StoredSilence } from '../../core/state/mod.ts';

/** One alert in storable form: label sets as flat `[name, value, …]` arrays. */
export interface StoredAlert {
  /** The rule's key for the alert (its label set's). */
  key: string;
  state: AlertState;
  labels: string[];
  annotations: string[];
  value: number;
  activeAt: number;
  firedAt: number;
  resolvedAt: number;
  lastSentAt: number;
  validUntil: number;
  keepFiringSince: number;
}

/** The document a {@link StateStore} keeps. Times are ms since the epoch. */
export interface EdgeState {
  version: 1;
  /** Rule group key → rule identity (name and labels) → its alerts. */
  alerts: Record<string, Record<string, StoredAlert[]>>;
  /** Rule group key → time of its last evaluation. */
  groups: Record<string, number>;
  /** `job|url|hash` → time of the target's last scrape. */
  targets: Record<string, number>;
  /** Remote-write endpoint (name or URL) → newest sample time already pushed. */
  remoteWrite: Record<string, number>;
  /** The built-in routing's silences. */
  silences?: StoredSilence[];
  /** The built-in routing's notification log (what was sent to whom, for `repeat_interval`). */
  nflog?: StoredNflogEntry[];
  /** When the state was saved: an isolate that did not save it restores the alerts from it. */
  savedAt?: number;
}

/** Where the state lives between invocations. */
export interface StateStore {
  /** The stored state, or `undefined` before the first tick. */
  load(): Promise<EdgeState | undefined>;
  save(state: EdgeState): Promise<void>;
}

/** An empty state. */
export function emptyState(): EdgeState {
  return {
    version: 1,
    alerts: {},
    groups: {},
    targets: {},
    remoteWrite: {},
    silences: [],
    nflog: [],
  };
}

/** Accepts what a store returned: a valid document, or an empty state for anything else. */
export function parseState(x: unknown): EdgeState {
  if (typeof x === 'string') {
    try {
      x = JSON.parse(x);
    } catch {
      return emptyState();
    }
  }
  const s = x as Partial<EdgeState> | null;
  if (!s || typeof s !== 'object' || s.version !== 1) return emptyState();
  return {
    version: 1,
    alerts: s.alerts ?? {},
    groups: s.groups ?? {},
    targets: s.targets ?? {},
    remoteWrite: s.remoteWrite ?? {},
    silences: s.silences ?? [],
    nflog: s.nflog ?? [],
    ...(typeof s.savedAt === 'number' ? { savedAt: s.savedAt } : {}),
  };
}

/** The storable form of a rule's alert. */
export function storeAlert(key: string, a: RuleAlert): StoredAlert {
  return {
    key,
    state: a.state,
    labels: [...a.labels.flat],
    annotations: [...a.annotations.flat],
    value: a.value,
    activeAt: a.activeAt,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    lastSentAt: a.lastSentAt,
    validUntil: a.validUntil,
    keepFiringSince: a.keepFiringSince,
  };
}

/** A rule's alert back from its storable form. */
export function restoreAlert(s: StoredAlert): RuleAlert {
  return {
    state: s.state,
    labels: Labels.fromSortedFlat(s.labels),
    annotations: Labels.fromSortedFlat(s.annotations),
    value: s.value,
    activeAt: s.activeAt,
    firedAt: s.firedAt,
    resolvedAt: s.resolvedAt,
    lastSentAt: s.lastSentAt,
    validUntil: s.validUntil,
    keepFiringSince: s.keepFiringSince,
  };
}

/**
 * Splits a serialised state into parts of at most `maxChars` characters, for stores whose
 * values are small (Deno KV: 64 KiB; a Durable Object's key-value storage: 128 KiB). Joining
 * the parts in order gives the text back.
 */
export function splitText(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += maxChars) parts.push(text.slice(i, i + maxChars));
  return parts.length > 0 ? parts : [''];
}

/** Keeps the state in this isolate only (tests, or when nothing else is bound). */
export class MemoryStateStore implements StateStore {
  #state: string | undefined;

  load(): Promise<EdgeState | undefined> {
    return Promise.resolve(this.#state === undefined ? undefined : parseState(this.#state));
  }

  save(state: EdgeState): Promise<void> {
    this.#state = JSON.stringify(state);
    return Promise.resolve();
  }
}
