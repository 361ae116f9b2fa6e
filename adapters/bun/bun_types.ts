/**
 * The few Bun globals the Bun adapter uses, declared here so `deno check` can type-check the
 * adapter without Bun's type package.
 * @module
 */

/** Subset of `Bun.serve`'s server. */
export interface BunServer {
  readonly hostname: string;
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

/** The `tls` option of `Bun.serve` (the fields Beacon sets). */
export interface BunTlsOptions {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

/** Subset of the `Bun` global. */
export interface BunGlobal {
  readonly version: string;
  serve(opts: {
    hostname: string;
    port: number;
    fetch: (req: Request) => Response | Promise<Response>;
    idleTimeout?: number;
    tls?: BunTlsOptions;
  }): BunServer;
}

/** The `Bun` global, when running under Bun. */
export function bunGlobal(): BunGlobal {
  const bun = (globalThis as { Bun?: BunGlobal }).Bun;
  if (!bun) throw new Error('the Bun adapter needs the Bun runtime');
  return bun;
}
