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

/**
 * Transport settings of an outgoing HTTP client that a plain `fetch` cannot express (from an
 * HTTP client config's `tls_config`, `proxy_url` and `enable_http2`). PEM texts, not paths.
 */
export interface FetchTransport {
  /** Trusted CA certificates (PEM); absent: the system roots. */
  ca?: string;
  /** Client certificate and key (PEM). */
  cert?: string;
  key?: string;
  insecureSkipVerify?: boolean;
  /** Name to verify the server certificate against (and send as SNI). */
  serverName?: string;
  /** `TLS10` … `TLS13`. */
  minVersion?: string;
  maxVersion?: string;
  /** HTTP proxy for every request, e.g. `http://proxy:3128`. */
  proxyUrl?: string;
  /** `false` to stay on HTTP/1.1. */
  http2?: boolean;
}

/** A fetch bound to a {@link FetchTransport}; `close` releases its connections. */
export interface TransportFetch {
  fetch: typeof fetch;
  close(): void;
}

/** A DNS record type Beacon's DNS discovery asks for. */
export type DnsRecordType = 'SRV' | 'A' | 'AAAA' | 'MX' | 'NS';

/** One DNS answer, normalised across runtimes (host names without a trailing dot). */
export type DnsRecord =
  | { type: 'SRV'; target: string; port: number; priority: number; weight: number }
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'MX'; exchange: string; preference: number }
  | { type: 'NS'; target: string };

/** Options of {@link Host.resolveDns}. */
export interface ResolveDnsOptions {
  /** Ask this server instead of the system's resolvers (tests, split-horizon setups). */
  nameServer?: { ipAddr: string; port: number };
}

/** What `statfs` tells about a mounted filesystem (sizes in bytes). */
export interface FsStats {
  /** Block size the counts below are in. */
  blockSize: number;
  blocks: number;
  blocksFree: number;
  /** Blocks available to unprivileged users. */
  blocksAvailable: number;
  files: number;
  filesFree: number;
}

/** Signals Beacon reacts to. */
export type HostSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT';

/** What a runtime adapter provides. */
export interface Host {
  /** Runtime name and version, e.g. `{ name: 'deno', version: '2.9.6' }`. */
  readonly runtime: { readonly name: string; readonly version: string };
  serve(opts: ServeOptions): Promise<HostServer>;
  readTextFile(path: string): Promise<string>;
  /**
   * Writes `text` to `path` so that readers see the old or the new content, never a part
   * (temp file, then rename), creating the parent directory. Absent where there is no disk.
   */
  writeTextFileAtomic?(path: string, text: string): Promise<void>;
  /** Filesystem statistics of the mount holding `path`; absent where there is none. */
  statfs?(path: string): Promise<FsStats>;
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
  /**
   * A fetch applying TLS, proxy and HTTP/2 settings, where the runtime can; each setting it
   * cannot apply is passed to `warn`. Absent: only the global fetch (no such settings).
   */
  createFetch?(transport: FetchTransport, warn: (message: string) => void): TransportFetch;
  /** DNS lookup through the runtime's resolver; absent where the runtime has none. */
  resolveDns?(name: string, type: DnsRecordType, opts?: ResolveDnsOptions): Promise<DnsRecord[]>;
}
