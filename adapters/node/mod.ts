/**
 * The Node.js host: a `node:http` server bridged to the fetch handler, process signals, and
 * the shared `node:` file helpers. Node runs Beacon from the esbuild bundle
 * (`npm run build`, then `node dist/beacon.mjs`).
 * @module
 */
import process from 'node:process';
import type { Host, HostSignal } from '../../core/host.ts';
import { nodeHostPart } from '../shared/node_host.ts';
import { createProcessInfo } from '../shared/process_info.ts';
import { serveNode } from './serve.ts';
import { nodeResolveDns } from '../shared/node_dns.ts';
import { nodeCreateFetch } from '../shared/node_fetch.ts';

export { serveNode } from './serve.ts';
export { nodeServeTls, subjectAltNames } from './tls.ts';

/** Creates the host for Node.js. */
export function createNodeHost(): Host {
  return {
    ...nodeHostPart(),
    runtime: { name: 'node', version: process.versions.node },
    processInfo: createProcessInfo(),
    createFetch: nodeCreateFetch,
    resolveDns: nodeResolveDns,
    serve: serveNode,
    onSignal(signal: HostSignal, handler: () => void) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}
