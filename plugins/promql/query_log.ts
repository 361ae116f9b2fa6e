/**
 * The query log file (`global.query_log_file`): one JSON object per query, appended as
 * Prometheus writes it. Server-only: `node:fs` is loaded when a file is first configured, so
 * hosts without a disk never import it.
 * @module
 */
import type { Engine, QueryLogEntry } from './engine/mod.ts';

type Fs = typeof import('node:fs');

/**
 * Points an engine's query log at a file; reopened on every {@link QueryLogFile.set} (as
 * Prometheus reopens it on reload, which lets log rotation move the old file away).
 *
 * @example
 * ```ts
 * const log = new QueryLogFile(engine);
 * await log.set('/var/log/beacon/queries.log');
 * await log.set(undefined); // closes it
 * ```
 */
export class QueryLogFile {
  readonly #engine: Engine;
  #fs: Fs | undefined;
  #fd: number | undefined;
  #path: string | undefined;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** The file queries are logged to, if any. */
  get path(): string | undefined {
    return this.#path;
  }

  /**
   * Opens `path` for appending (created with mode 0666 less the umask) and logs every query
   * there; `undefined` or `''` stops logging. The previous file is closed.
   * @throws {Error} when the file cannot be opened; logging is then off.
   */
  async set(path: string | undefined): Promise<void> {
    this.close();
    if (path === undefined || path === '') return;
    const fs = this.#fs ??= await import('node:fs');
    const fd = fs.openSync(path, 'a', 0o666);
    this.#fd = fd;
    this.#path = path;
    this.#engine.queryLog = (entry: QueryLogEntry) => {
      if (this.#fd !== fd) return;
      try {
        fs.writeSync(fd, JSON.stringify(entry) + '\n');
      } catch { /* a full disk must not fail queries */ }
    };
  }

  /** Stops logging and closes the file. */
  close(): void {
    this.#engine.queryLog = undefined;
    if (this.#fd !== undefined) {
      try {
        this.#fs!.closeSync(this.#fd);
      } catch { /* already gone */ }
    }
    this.#fd = undefined;
    this.#path = undefined;
  }
}
