/**
 * The Bun host: `Bun.serve`, process signals, and the shared `node:` file helpers.
 * @module
 */
import process from 'node:process';
import type { Host, HostServer, HostSignal, ServeOptions } from '../../core/host.ts';
import { nodeHostPart } from '../shared/node_host.ts';
import { createProcessInfo } from '../shared/process_info.ts';
import { bunServeTls } from '../shared/tls.ts';
import { bunGlobal } from './bun_types.ts';
import { nodeResolveDns } from '../shared/node_dns.ts';
import { bunCreateFetch } from './fetch.ts';

/** Creates the host for Bun. */
export function createBunHost(): Host {
  const bun = bunGlobal();
  return {
    ...nodeHostPart(),
    runtime: { name: 'bun', version: bun.version },
    processInfo: createProcessInfo(),
    createFetch: bunCreateFetch,
    resolveDns: nodeResolveDns,
    serve(opts: ServeOptions): Promise<HostServer> {
      // idleTimeout 0: long queries must not be cut off by Bun's 10 s default.
      const server = bun.serve({
        hostname: opts.hostname,
        port: opts.port,
        fetch: opts.fetch,
        idleTimeout: 0,
        tls: opts.tls ? bunServeTls(opts.tls, opts.onWarning ?? (() => {})) : undefined,
      });
      const host = server.hostname.includes(':') ? `[${server.hostname}]` : server.hostname;
      return Promise.resolve({
        address: `${host}:${server.port}`,
        close: async () => void await server.stop(),
      });
    },
    onSignal(signal: HostSignal, handler: () => void) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}
