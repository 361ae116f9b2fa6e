/**
 * Serving with a web config: HTTPS when it asks for TLS, the guard in front of every request,
 * and a new listener when a reload changes the TLS settings or rotates the certificate
 * (Deno.serve and Bun.serve cannot swap certificates on a live listener).
 * @module
 */

import type { HostServer, ServeOptions } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { ServerTls } from './config.ts';
import type { FetchHandler } from './guard.ts';
import { sameTls, type WebConfigWatcher } from './watcher.ts';

/** `Host.serve`'s options with the TLS the web config asks for. */
export interface TlsServeOptions extends ServeOptions {
  /** Serve HTTPS with these settings; absent: plain HTTP. */
  tls?: ServerTls;
  /** Where the adapter reports settings its runtime cannot apply. */
  onWarning?: (message: string, fields?: Record<string, unknown>) => void;
}

/** What {@link listenWithWebConfig} needs from the host. */
export interface TlsServingHost {
  serve(opts: TlsServeOptions): Promise<HostServer>;
}

/** A listener that follows the web config. */
export interface WebConfigServer extends HostServer {
  /** Whether it currently serves HTTPS. */
  readonly tls: boolean;
}

/**
 * Serves `fetch` behind `watcher.guard`, over TLS when the web config says so, and re-listens
 * on the same address when a reload changes TLS. If the new settings cannot be served, the
 * old ones are served again and the error is logged.
 */
export async function listenWithWebConfig(opts: {
  host: TlsServingHost;
  hostname: string;
  port: number;
  fetch: FetchHandler;
  watcher: WebConfigWatcher;
  logger: Logger;
}): Promise<WebConfigServer> {
  const { host, watcher, logger } = opts;
  const fetch = watcher.guard.wrap(opts.fetch);
  const onWarning = (message: string, fields?: Record<string, unknown>) =>
    logger.warn(message, { file: watcher.file, ...fields });
  let tls = watcher.config.tls;
  let server = await host.serve({
    hostname: opts.hostname,
    port: opts.port,
    fetch,
    tls,
    onWarning,
  });
  // Re-listen on the port actually bound, so port 0 keeps its address.
  const port = Number(/:(\d+)$/.exec(server.address)?.[1] ?? opts.port);
  let switching = Promise.resolve();
  const unsubscribe = watcher.subscribe((next) => {
    if (sameTls(tls, next.tls)) return;
    switching = switching.then(async () => {
      const previous = tls;
      await server.close();
      try {
        server = await host.serve({
          hostname: opts.hostname,
          port,
          fetch,
          tls: next.tls,
          onWarning,
        });
        tls = next.tls;
        logger.info('Listener restarted for new TLS settings', {
          tls: tls ? 'enabled' : 'disabled',
        });
      } catch (e) {
        logger.error('Cannot serve the new TLS settings, keeping the previous ones', {
          err: (e as Error).message,
        });
        server = await host.serve({
          hostname: opts.hostname,
          port,
          fetch,
          tls: previous,
          onWarning,
        });
      }
    });
  });
  return {
    get address() {
      return server.address;
    },
    get tls() {
      return tls !== undefined;
    },
    async close() {
      unsubscribe();
      await switching;
      await server.close();
    },
  };
}
