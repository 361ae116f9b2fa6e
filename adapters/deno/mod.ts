/**
 * The Deno host: `Deno.serve`, Deno's signal listeners, and the shared `node:` file helpers.
 * @module
 */
import type { Host, HostServer, HostSignal, ServeOptions } from '../../core/host.ts';
import { nodeHostPart } from '../shared/node_host.ts';
import { createProcessInfo } from '../shared/process_info.ts';
import { denoServeTls } from '../shared/tls.ts';
import { denoResolveDns } from './dns.ts';
import { denoCreateFetch } from './fetch.ts';

/** Creates the host for Deno. */
export function createDenoHost(): Host {
  return {
    ...nodeHostPart(),
    runtime: { name: 'deno', version: Deno.version.deno },
    processInfo: createProcessInfo(),
    createFetch: denoCreateFetch,
    resolveDns: denoResolveDns,
    serve(opts: ServeOptions): Promise<HostServer> {
      return new Promise((resolve, reject) => {
        try {
          const tls = opts.tls ? denoServeTls(opts.tls, opts.onWarning ?? (() => {})) : {};
          const server = Deno.serve({
            hostname: opts.hostname,
            port: opts.port,
            onListen: () => {},
            ...tls,
          }, opts.fetch);
          const addr = server.addr as Deno.NetAddr;
          const host = addr.hostname.includes(':') ? `[${addr.hostname}]` : addr.hostname;
          resolve({ address: `${host}:${addr.port}`, close: () => server.shutdown() });
        } catch (e) {
          reject(e);
        }
      });
    },
    onSignal(signal: HostSignal, handler: () => void) {
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    },
  };
}
