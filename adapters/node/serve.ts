/**
 * `Host.serve` on Node.js: a `node:http` (or `node:https`) server in front of a fetch handler.
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { HostServer, ServeOptions } from '../../core/host.ts';
import { handleNodeRequest } from './bridge.ts';
import { nodeServeTls } from './tls.ts';

// How long close() lets in-flight requests finish before cutting their connections; a stuck
// streaming client must not hold up shutdown forever.
const CLOSE_GRACE_MS = 10_000;

/** Listens on `opts.hostname:opts.port` and resolves once bound (rejects on bind errors). */
export function serveNode(opts: ServeOptions): Promise<HostServer> {
  const scheme = opts.tls ? 'https' : 'http';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handleNodeRequest(opts.fetch, scheme, req, res).catch(() => res.destroy());
  };
  let server: http.Server;
  if (opts.tls) {
    const tls = nodeServeTls(opts.tls, opts.onWarning ?? (() => {}));
    server = https.createServer(tls.options, handler);
    server.on('secureConnection', (socket: TLSSocket) => {
      if (tls.refuse(socket) !== undefined) socket.destroy();
    });
  } else {
    server = http.createServer(handler);
  }
  // Long range queries and federation may take longer than Node's 5-minute request timeout.
  server.requestTimeout = 0;
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host: opts.hostname, port: opts.port }, () => {
      server.off('error', onError);
      const addr = server.address() as AddressInfo;
      const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
      resolve({ address: `${host}:${addr.port}`, close: () => closeServer(server) });
    });
  });
}

/** Stops listening, closes idle keep-alive connections, and lets busy ones finish (bounded). */
function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    // A keep-alive connection busy now turns idle once its response is written; close it then
    // rather than waiting out the grace period.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
