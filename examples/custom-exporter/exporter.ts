/**
 * A custom exporter: a pretend job queue instrumented with Beacon's metrics library, served on
 * `/metrics`, and registered with Beacon so that Beacon scrapes it without any config change.
 *
 *     BEACON_URL=http://localhost:9090 BEACON_REGISTRATION_TOKEN=s3cret \
 *       deno run -A examples/custom-exporter/exporter.ts      # or: bun run …
 *
 * Environment: `BEACON_URL`, `BEACON_REGISTRATION_TOKEN` (required); `LISTEN` (default
 * `127.0.0.1:9464`; port 0 picks a free one), `ADVERTISE` (the address Beacon should scrape;
 * default: the bound one), `TTL_SECONDS` (default 30), `EXPORTER_ID` (a stable id).
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import process from 'node:process';
import { Counter, Gauge, Histogram, negotiate, Registry } from '../../mod.ts';
import { BeaconRegistration } from './registration.ts';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

// 1. Create the metrics.
const registry = new Registry();
const processed = new Counter({
  name: 'demo_jobs_processed_total',
  help: 'Jobs processed, by queue and outcome.',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});
const depth = new Gauge({
  name: 'demo_queue_depth',
  help: 'Jobs waiting, by queue.',
  labelNames: ['queue'] as const,
  registers: [registry],
});
const duration = new Histogram({
  name: 'demo_job_duration_seconds',
  help: 'Time spent on one job.',
  labelNames: ['queue'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
});

// 2. Do some (pretend) work that updates them.
const work = setInterval(() => {
  for (const queue of ['emails', 'reports']) {
    const seconds = Math.random() / 5;
    duration.labels({ queue }).observe(seconds);
    processed.labels({ queue, outcome: Math.random() < 0.9 ? 'ok' : 'error' }).inc();
    depth.labels({ queue }).set(Math.floor(Math.random() * 20));
  }
}, 200);

// 3. Serve them, in the format the scraper asks for.
const server = http.createServer(async (req, res) => {
  if (req.url?.split('?')[0] !== '/metrics') {
    res.writeHead(404).end('not found\n');
    return;
  }
  const { format, contentType } = negotiate(req.headers.accept);
  const body = await registry.metrics(format);
  res.writeHead(200, { 'content-type': contentType }).end(body);
});
const [listenHost, listenPort] = env('LISTEN', '127.0.0.1:9464').split(/:(?=\d+$)/);
await new Promise<void>((resolve) => server.listen(Number(listenPort), listenHost, resolve));
const bound = server.address() as AddressInfo;
const address = env('ADVERTISE', `${listenHost}:${bound.port}`);

// 4. Register with Beacon and keep the registration alive.
const registration = new BeaconRegistration({
  beaconUrl: env('BEACON_URL'),
  token: env('BEACON_REGISTRATION_TOKEN'),
  targets: [address],
  labels: { service: 'demo-queue' },
  id: process.env.EXPORTER_ID,
  ttlSeconds: Number(env('TTL_SECONDS', '30')),
  onError: (e) => console.error(`renewal failed: ${e.message}`),
});
const info = await registration.start();
console.log(`serving http://${address}/metrics; registered as ${info.id} in job ${info.job}`);

// 5. On shutdown, deregister so Beacon stops scraping at once.
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(work);
  await registration.stop().catch((e) => console.error(`deregistration failed: ${e.message}`));
  server.close();
  console.log('deregistered; bye');
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
