/**
 * Parses `--web.listen-address` values: `host:port`, `:port`, `[::1]:port`.
 * @module
 */

/** A host and port to bind. */
export interface ListenAddress {
  hostname: string;
  port: number;
}

/** Parses a listen address; throws with a clear message when it is not one. */
export function parseListenAddress(addr: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:\[\]]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new Error(
      `invalid listen address ${JSON.stringify(addr)}: want host:port, e.g. 0.0.0.0:9090`,
    );
  }
  const hostname = m[1] ?? (m[2] === '' ? '0.0.0.0' : m[2]);
  return { hostname, port };
}
