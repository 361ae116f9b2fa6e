/**
 * The host interface: everything that differs per runtime (serving, files, signals, process
 * facts). Each folder in `adapters/` implements it; core code receives it and never asks which
 * runtime it runs on.
 * @module
 */
import type { ProcessInfo } from './metrics/process.ts';
import type { ServerTls } from './web_config/mod.ts';

/** A running HTTP server. */
export interface HostServer {
  /** The address actually bound, e.g. `127.0.0.1:9090` (useful with port 0). */
  readonly address: string;
  /** Stops accepting connections and resolves when closed. */
  close(): Promise<void>;
}

/** Options for {@link Host.serve}. */
export interface ServeOptions {
  hostname: string;
  port: number;
  fetch: (req: Request) => Response | Promise<Response>;
  /** Serve HTTPS with these settings (from `--web.config.file`); absent: plain HTTP. */
  tls?: ServerTls;
  /** Receives one message per TLS setting the runtime cannot apply. */
  onWarning?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Signals Beacon reacts to. */
export type HostSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT';

/** What a runtime adapter provides. */
export interface Host {
  /** Runtime name and version, e.g. `{ name: 'deno', version: '2.9.6' }`. */
  readonly runtime: { readonly name: string; readonly version: string };
  serve(opts: ServeOptions): Promise<HostServer>;
  readTextFile(path: string): Promise<string>;
  /** Paths matching a glob (`*`, `?`, `[…]` per path element), sorted; none is not an error. */
  expandGlob(pattern: string): Promise<string[]>;
  /**
   * Calls `onChange` (debounced) when a file in `paths` (files or directories) changes, until
   * the returned function is called. Best effort: a path that cannot be watched is skipped, so
   * callers that must not miss a change also poll.
   */
  watch(paths: readonly string[], onChange: () => void): () => void;
  /** Absolute form of `path` against the working directory. */
  resolvePath(path: string): string;
  /** Registers a signal handler; returns a function that removes it. */
  onSignal(signal: HostSignal, handler: () => void): () => void;
  env(name: string): string | undefined;
  hostname(): string;
  cwd(): string;
  processInfo: ProcessInfo;
  /** Writes a line to standard error (logs) or standard output (command output). */
  writeErr(line: string): void;
  writeOut(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<Uint8Array>;
  exit(code: number): never;
}
