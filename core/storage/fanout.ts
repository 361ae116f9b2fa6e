/**
 * The storage queries go through when remote read is configured: writes and administration go
 * to local storage, reads merge local storage with the secondary queryables (remote-read
 * endpoints), as Prometheus's fanout storage.
 * @module
 */
import type { Matcher } from '../model/matcher.ts';
import type {
  Appender,
  CommittedSamples,
  LogReader,
  Querier,
  Storage,
  StorageStats,
} from './interface.ts';
import { mergeQueriers } from './merge_querier.ts';

/** Something that hands out queriers for a time range (a remote-read endpoint). */
export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

/**
 * A {@link Storage} over `local` whose queriers also read `secondaries()`, asked afresh for
 * every querier so that a reload's new endpoints apply to the next query.
 *
 * @example
 * ```ts
 * const storage = new FanoutStorage(local, () => remoteRead.queryables());
 * await engine.query(storage, 'up', Date.now());
 * ```
 */
export class FanoutStorage implements Storage {
  /** The local storage every write goes to. */
  readonly local: Storage;
  readonly #secondaries: () => readonly Queryable[];
  /** As the local storage's (absent when it has none). */
  readonly onCommit?: (listener: (samples: CommittedSamples) => void) => () => void;
  /** As the local storage's (absent when it has none). */
  readonly openLogReader?: (name: string) => LogReader;
  /** As the local storage's (absent when it has none). */
  readonly snapshot?: (dir?: string) => Promise<string>;

  constructor(local: Storage, secondaries: () => readonly Queryable[]) {
    this.local = local;
    this.#secondaries = secondaries;
    if (local.onCommit) this.onCommit = local.onCommit.bind(local);
    if (local.openLogReader) this.openLogReader = local.openLogReader.bind(local);
    if (local.snapshot) this.snapshot = local.snapshot.bind(local);
  }

  appender(): Appender {
    return this.local.appender();
  }

  querier(mint: number, maxt: number): Querier {
    const primary = this.local.querier(mint, maxt);
    return mergeQueriers(primary, this.#secondaries().map((s) => s.querier(mint, maxt)));
  }

  deleteSeries(matchers: readonly Matcher[], mint: number, maxt: number): Promise<void> {
    return this.local.deleteSeries(matchers, mint, maxt);
  }

  stats(limit?: number): Promise<StorageStats> {
    return this.local.stats(limit);
  }

  /** Does not close the local storage: its owner does. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
