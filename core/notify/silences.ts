/**
 * Silences: matchers plus a time window that mute matching alerts. States, update rules and
 * expiry follow Alertmanager's silence store: an active silence may only move its end (not
 * into the past), a pending one may move both ends, an expired one never changes; a change
 * that is not allowed in place expires the old silence and creates a new one.
 * @module
 */
import type { Labels, Matcher } from '../model/mod.ts';
import { type Clock, systemClock } from './clock.ts';
import { type ApiMatcher, fromApiMatcher } from './matchers.ts';

/** A silence's state at an instant. */
export type SilenceState = 'pending' | 'active' | 'expired';

/** A stored silence. Times are milliseconds since the epoch. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly ApiMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** What a caller gives to create (no id) or update (with id) a silence. */
export interface SilenceInput {
  id?: string;
  matchers: readonly ApiMatcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

/** A silence that cannot be stored, or an unknown id. `status` is the HTTP status to answer. */
export class SilenceError extends Error {
  override name = 'SilenceError';
  constructor(message: string, readonly status: 400 | 404 = 400) {
    super(message);
  }
}

/** Options of {@link Silences}. */
export interface SilencesOptions {
  clock?: Clock;
  /** How long expired silences are kept; Alertmanager's `--data.retention`, 120h. */
  retentionMs?: number;
  /** Makes new silence ids (default: random UUIDs). */
  newId?: () => string;
  /** Where every change is written through (the state store); see {@link Silences.settled}. */
  store?: SilenceStore;
  /** Told about a failed write to the store. */
  onStoreError?: (err: unknown) => void;
}

/** The part of the state store silences are persisted to. */
export interface SilenceStore {
  putSilence(s: Silence): Promise<void>;
  deleteSilences(ids: readonly string[]): Promise<void>;
}

/** The state of `s` at `now`. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  // An end equal to now counts as over, so that expiring takes effect at once.
  if (now >= s.endsAt) return 'expired';
  if (now < s.startsAt) return 'pending';
  return 'active';
}

const sameMatchers = (a: readonly ApiMatcher[], b: readonly ApiMatcher[]) =>
  a.length === b.length &&
  a.every((m, i) =>
    m.name === b[i].name && m.value === b[i].value && m.isRegex === b[i].isRegex &&
    (m.isEqual ?? true) === (b[i].isEqual ?? true)
  );

/** The silence store. */
export class Silences {
  readonly #clock: Clock;
  readonly #retention: number;
  readonly #newId: () => string;
  readonly #byId = new Map<string, { s: Silence; matchers: Matcher[] }>();
  readonly #store?: SilenceStore;
  readonly #onStoreError: (err: unknown) => void;
  #pending: Promise<void> = Promise.resolve();

  constructor(opts: SilencesOptions = {}) {
    this.#clock = opts.clock ?? systemClock;
    this.#retention = opts.retentionMs ?? 120 * 3_600_000;
    this.#newId = opts.newId ?? (() => crypto.randomUUID());
    this.#store = opts.store;
    this.#onStoreError = opts.onStoreError ?? (() => {});
  }

  /** Resolves when every change made so far is in the store (errors go to `onStoreError`). */
  settled(): Promise<void> {
    return this.#pending;
  }

  // Writes go out in the order of the changes, one at a time.
  #write(fn: (store: SilenceStore) => Promise<void>): void {
    const store = this.#store;
    if (!store) return;
    this.#pending = this.#pending.then(() => fn(store)).catch(this.#onStoreError);
  }

  #put(s: Silence, matchers: Matcher[]): void {
    this.#byId.set(s.id, { s, matchers });
    this.#write((store) => store.putSilence(s));
  }

  /** Checks a silence as Alertmanager does before storing it; returns compiled matchers. */
  static validate(s: SilenceInput): Matcher[] {
    if (s.matchers.length === 0) throw new SilenceError('at least one matcher required');
    let matchers: Matcher[];
    try {
      matchers = s.matchers.map(fromApiMatcher);
    } catch (e) {
      throw new SilenceError(`invalid label matcher: ${(e as Error).message}`);
    }
    for (const m of matchers) {
      if (m.name === '') throw new SilenceError('invalid label matcher: empty label name');
    }
    if (matchers.every((m) => m.matches(''))) {
      throw new SilenceError('at least one matcher must not match the empty string');
    }
    if (!Number.isFinite(s.startsAt) || s.startsAt === 0) {
      throw new SilenceError('invalid zero start timestamp');
    }
    if (!Number.isFinite(s.endsAt) || s.endsAt === 0) {
      throw new SilenceError('invalid zero end timestamp');
    }
    if (s.endsAt < s.startsAt) throw new SilenceError('end time must not be before start time');
    return matchers;
  }

  /**
   * Creates or updates a silence and returns its id (a new id when the change could not be
   * made in place). A new silence may not end in the past; a start in the past becomes now.
   * @throws {SilenceError}
   */
  set(input: SilenceInput): string {
    const now = this.#clock.now();
    const matchers = Silences.validate(input);
    const prev = input.id !== undefined ? this.#byId.get(input.id) : undefined;
    if (input.id !== undefined && !prev) {
      throw new SilenceError(`silence ${input.id} not found`, 404);
    }
    if (prev && this.#canUpdate(prev.s, input, now)) {
      const s: Silence = { ...prev.s, ...fields(input), id: prev.s.id, updatedAt: now };
      this.#put(s, matchers);
      return s.id;
    }
    if (input.endsAt < now) throw new SilenceError("end time can't be in the past");
    if (prev && silenceState(prev.s, now) !== 'expired') this.expire(prev.s.id);
    const s: Silence = {
      ...fields(input),
      id: this.#newId(),
      startsAt: Math.max(input.startsAt, now),
      updatedAt: now,
    };
    this.#put(s, matchers);
    return s.id;
  }

  #canUpdate(a: Silence, b: SilenceInput, now: number): boolean {
    if (!sameMatchers(a.matchers, b.matchers)) return false;
    switch (silenceState(a, now)) {
      case 'active':
        return b.startsAt === a.startsAt && b.endsAt > now;
      case 'pending':
        return b.startsAt >= now;
      case 'expired':
        return false;
    }
  }

  /**
   * Ends a silence now (a pending one also starts now).
   * @throws {SilenceError} 404 for an unknown id, 400 when already expired.
   */
  expire(id: string): void {
    const now = this.#clock.now();
    const e = this.#byId.get(id);
    if (!e) throw new SilenceError(`silence ${id} not found`, 404);
    const st = silenceState(e.s, now);
    if (st === 'expired') throw new SilenceError(`silence ${id} already expired`);
    const s = {
      ...e.s,
      startsAt: st === 'pending' ? now : e.s.startsAt,
      endsAt: now,
      updatedAt: now,
    };
    this.#put(s, e.matchers);
  }

  /** The silence with `id`. */
  get(id: string): Silence | undefined {
    return this.#byId.get(id)?.s;
  }

  /** All silences with their state now. */
  list(): (Silence & { state: SilenceState })[] {
    const now = this.#clock.now();
    return [...this.#byId.values()].map(({ s }) => ({ ...s, state: silenceState(s, now) }));
  }

  /** Ids of the active silences that mute an alert with `labels`. */
  mutes(labels: Labels): string[] {
    const now = this.#clock.now();
    const ids: string[] = [];
    for (const { s, matchers } of this.#byId.values()) {
      if (silenceState(s, now) !== 'active') continue;
      if (matchers.every((m) => m.matches(labels.get(m.name)))) ids.push(s.id);
    }
    return ids;
  }

  /** Drops silences that expired more than the retention ago; returns how many. */
  gc(): number {
    const cutoff = this.#clock.now() - this.#retention;
    const gone: string[] = [];
    for (const [id, { s }] of this.#byId) {
      if (s.endsAt < cutoff) {
        this.#byId.delete(id);
        gone.push(id);
      }
    }
    if (gone.length > 0) this.#write((store) => store.deleteSilences(gone));
    return gone.length;
  }

  /** Every stored silence, for persisting. */
  snapshot(): Silence[] {
    return [...this.#byId.values()].map((e) => e.s);
  }

  /**
   * Replaces the content with a snapshot (invalid entries are skipped); nothing is written
   * to the store, the snapshot usually comes from it.
   */
  restore(list: readonly Silence[]): void {
    this.#byId.clear();
    for (const s of list) {
      try {
        this.#byId.set(s.id, { s, matchers: Silences.validate(s) });
      } catch {
        // A silence that no longer validates (say, a regex rejected now) cannot mute anything.
      }
    }
  }
}

function fields(i: SilenceInput) {
  return {
    matchers: i.matchers.map((m) => ({ ...m, isEqual: m.isEqual ?? true })),
    startsAt: i.startsAt,
    endsAt: i.endsAt,
    createdBy: i.createdBy,
    comment: i.comment,
  };
}
