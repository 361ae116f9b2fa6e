/**
 * Test fixtures for scraping: local HTTP targets, job configs from YAML, loops built on a
 * memory storage, and reading series back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig, type ScrapeConfig } from '../../../core/config/mod.ts';
import { createLogger } from '../../../core/log/logger.ts';
import { newMatcher } from '../../../core/model/mod.ts';
import type { Storage } from '../../../core/storage/mod.ts';
import {
  newScrapeLoop,
  ScrapeCache,
  type ScrapeLoop,
  targetsFromGroup,
} from '../../../core/scrape/mod.ts';

/** A request handler of a fake target. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An HTTP server whose routes can be swapped during a test. */
export interface FakeTargets {
  /** `127.0.0.1:port` */
  address: string;
  routes: Map<string, Handler>;
  /** Requests seen, by path. */
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

/** Starts a server on a free port. */
export async function serveTargets(routes: Record<string, Handler> = {}): Promise<FakeTargets> {
  const map = new Map(Object.entries(routes));
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    const path = (req.url ?? '/').split('?')[0];
    const h = map.get(path);
    if (h) h(req, res);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    routes: map,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** A handler answering with a text-format body. */
export function text(body: string, contentType = 'text/plain; version=0.0.4'): Handler {
  return (_req, res) => {
    res.setHeader('content-type', contentType);
    res.end(body);
  };
}

/** The jobs of a YAML `scrape_configs` list (defaults and `global` applied). */
export function jobs(yaml: string): ScrapeConfig[] {
  return parseConfig(yaml, '/tmp/prometheus.yml').scrape_configs;
}

/** The job of a one-job YAML. */
export function job(yaml: string): ScrapeConfig {
  return jobs(yaml)[0];
}

/** A silent logger. */
export const quiet = createLogger({ level: 'error', write: () => {} });

/** A loop for the first target of `address` in job `cfg`, never scheduled: call `scrapeOnce`. */
export function loopFor(
  cfg: ScrapeConfig,
  address: string,
  storage: Storage,
  shutdown: AbortSignal = new AbortController().signal,
): ScrapeLoop {
  const r = targetsFromGroup({ source: '0', labels: {}, targets: [{ __address__: address }] }, cfg);
  if (r.targets.length !== 1) throw new Error(`no target: ${r.errors.join('; ')}`);
  return newScrapeLoop(cfg, r.targets[0], new ScrapeCache(), {
    storage,
    logger: quiet,
    offsetSeed: '',
    shutdown,
    fetch: globalThis.fetch.bind(globalThis),
  });
}

/** One series read back: labels and samples (`'stale'` for a stale marker). */
export interface ReadSeries {
  labels: Record<string, string>;
  samples: [number, number | 'stale'][];
}

/** Every series named `name` (all when omitted) in [0, far future]. */
export async function read(storage: Storage, name?: string): Promise<ReadSeries[]> {
  const q = storage.querier(0, 8.64e15);
  try {
    const m = name ? newMatcher('=', '__name__', name) : newMatcher('=~', '__name__', '.+');
    const set = await q.select([m]);
    return set.series.map((s) => {
      const c = s.samples();
      const samples: [number, number | 'stale'][] = [];
      for (let i = 0; i < c.t.length; i++) {
        samples.push([c.t[i], c.stale?.[i] ? 'stale' : c.v[i]]);
      }
      return { labels: s.labels.toRecord(), samples };
    });
  } finally {
    q.close();
  }
}

/** The values of the single series named `name`. */
export async function values(storage: Storage, name: string): Promise<(number | 'stale')[]> {
  const s = await read(storage, name);
  if (s.length !== 1) throw new Error(`expected one ${name} series, got ${s.length}`);
  return s[0].samples.map(([, v]) => v);
}
