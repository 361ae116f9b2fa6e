/**
 * Scrape path throughput: one 10k-sample node_exporter-like body appended to the memory
 * storage through `appendScrape` (parse, scrape cache, target labels, staleness, commit), and
 * whole scrapes over local HTTP. Runs under `deno run -A` and `bun`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../core/config/mod.ts';
import { createLogger } from '../core/log/logger.ts';
import { Labels } from '../core/model/mod.ts';
import {
  type AppendOptions,
  appendScrape,
  newScrapeLoop,
  ScrapeCache,
  targetsFromGroup,
} from '../core/scrape/mod.ts';
import { MemoryStorage } from '../plugins/storage/memory/mod.ts';
import { buildPayload, countSamples } from './exposition_payload.ts';

const ROUNDS = 100;
const text = buildPayload(false);
const body = new TextEncoder().encode(text);
const samples = countSamples(text);
const opts: AppendOptions = {
  targetLabels: Labels.from({ job: 'node', instance: 'host:9100' }),
  honorLabels: false,
  honorTimestamps: true,
  trackTimestampsStaleness: false,
  metricRelabelConfigs: [],
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function report(label: string, times: number[]): void {
  const ms = median(times);
  console.log(
    `${label.padEnd(34)} median ${ms.toFixed(2)} ms/scrape  ${
      (samples / (ms / 1000) / 1e6).toFixed(2)
    } M samples/s`,
  );
}

// Steady target: one cache, one storage, a new timestamp each scrape.
{
  const storage = new MemoryStorage();
  const cache = new ScrapeCache();
  const times: number[] = [];
  let t = Date.now() - 3_600_000;
  for (let i = 0; i < ROUNDS + 20; i++) {
    const t0 = performance.now();
    const app = storage.appender();
    appendScrape(app, cache, body, 'text/plain; version=0.0.4', t += 15_000, opts, t);
    await app.commit();
    if (i >= 20) times.push(performance.now() - t0);
  }
  report('append+commit, steady target', times);
}

// New target each time: every series is created.
{
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const storage = new MemoryStorage();
    const t0 = performance.now();
    const app = storage.appender();
    appendScrape(app, new ScrapeCache(), body, 'text/plain; version=0.0.4', Date.now(), opts);
    await app.commit();
    if (i >= 5) times.push(performance.now() - t0);
  }
  report('append+commit, new target', times);
}

// Whole scrapes over local HTTP (fetch, read, parse, append, report, commit).
{
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cfg = parseConfig(
    `scrape_configs: [{ job_name: node, scrape_interval: 15s, static_configs: [{ targets: ['${addr}'] }] }]`,
    '/tmp/p.yml',
  ).scrape_configs[0];
  const target =
    targetsFromGroup({ source: '0', labels: {}, targets: [{ __address__: addr }] }, cfg)
      .targets[0];
  const storage = new MemoryStorage();
  const loop = newScrapeLoop(cfg, target, new ScrapeCache(), {
    storage,
    logger: createLogger({ level: 'error', write: () => {} }),
    offsetSeed: '',
    shutdown: new AbortController().signal,
    fetch: globalThis.fetch.bind(globalThis),
  });
  const times: number[] = [];
  let t = Date.now() - 3_600_000;
  for (let i = 0; i < ROUNDS + 10; i++) {
    const t0 = performance.now();
    await loop.scrapeOnce(t += 15_000);
    if (i >= 10) times.push(performance.now() - t0);
  }
  if (loop.target.lastError) throw new Error(loop.target.lastError);
  report('HTTP scrape, steady target', times);
  server.closeAllConnections?.();
  server.close();
}
