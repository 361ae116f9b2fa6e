/**
 * A {@link StateStore} in memory: for the memory engine, the edge and tests. State lives as
 * long as the store object.
 * @module
 */
import type { Registration, StateStore, StoredNflogEntry, StoredSilence } from './state_store.ts';

const nflogKey = (e: StoredNflogEntry) => `${e.groupKey}\u0000${e.receiver}\u0000${e.integration}`;

/** Keeps copies, so a caller mutating its objects never changes what is stored. */
export class MemoryStateStore implements StateStore {
  readonly #silences = new Map<string, StoredSilence>();
  readonly #nflog = new Map<string, StoredNflogEntry>();
  readonly #registrations = new Map<string, Registration>();

  /** Every stored silence. */
  listSilences(): Promise<StoredSilence[]> {
    return Promise.resolve([...this.#silences.values()].map(copySilence));
  }

  /** Inserts or replaces a silence. */
  putSilence(s: StoredSilence): Promise<void> {
    this.#silences.set(s.id, copySilence(s));
    return Promise.resolve();
  }

  /** Removes silences by id. */
  deleteSilences(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#silences.delete(id);
    return Promise.resolve();
  }

  /** Every notification log entry. */
  listNflog(): Promise<StoredNflogEntry[]> {
    return Promise.resolve([...this.#nflog.values()].map(copyNflog));
  }

  /** Inserts or replaces an entry. */
  putNflog(e: StoredNflogEntry): Promise<void> {
    this.#nflog.set(nflogKey(e), copyNflog(e));
    return Promise.resolve();
  }

  /** Removes expired entries. */
  deleteExpiredNflog(now: number): Promise<number> {
    let n = 0;
    for (const [k, e] of this.#nflog) {
      if (e.expiresAt < now) {
        this.#nflog.delete(k);
        n++;
      }
    }
    return Promise.resolve(n);
  }

  /** Every registration. */
  listRegistrations(): Promise<Registration[]> {
    return Promise.resolve([...this.#registrations.values()].map(copyRegistration));
  }

  /** Inserts or replaces a registration. */
  putRegistration(r: Registration): Promise<void> {
    this.#registrations.set(r.id, copyRegistration(r));
    return Promise.resolve();
  }

  /** Removes a registration. */
  deleteRegistration(id: string): Promise<boolean> {
    return Promise.resolve(this.#registrations.delete(id));
  }
}

function copySilence(s: StoredSilence): StoredSilence {
  return { ...s, matchers: s.matchers.map((m) => ({ ...m })) };
}

function copyNflog(e: StoredNflogEntry): StoredNflogEntry {
  return { ...e, firing: [...e.firing], resolved: [...e.resolved] };
}

function copyRegistration(r: Registration): Registration {
  return { ...r, targets: [...r.targets], labels: { ...r.labels } };
}
