#!/usr/bin/env node
/**
 * Soak test: runs Beacon for a long while against synthetic targets exposing many active
 * series, with recording and alerting rules and a steady query load, and checks that
 * resident memory stops growing, that no scrape is missed, and that query latency holds.
 *
 *   npm run soak                                    # 30 min, 200k series, Deno
 *   npm run soak -- --duration=5m --series=50000 --runtime=bun
 *
 * Flags (or env SOAK_DURATION, SOAK_SERIES, SOAK_RUNTIME, SOAK_INTERVAL):
 *   --duration=30m  --series=200000  --targets=20  --interval=15s  --runtime=deno|bun
 *   --query-every=5s  --keep  (keep the data directory)
 *   --block-range=<duration>  head window compacted into blocks; default a tenth of the run
 *                             (at least 1m, at most 2h), so that the head reaches its steady
 *                             size (compactions keep it flat) within the run
 *
 * Checks, after a warm-up of three scrape intervals or 10% of the run, whichever is longer:
 * - memory: RSS (Beacon's own process_resident_memory_bytes) in the last third of the run
 *   exceeds the middle third's peak by less than 10%;
 * - scrapes: every target was scraped every interval: no gap between two scrapes of one
 *   target longer than 1.5 intervals;
 * - latency: the p99 of query latency in the second half is below twice the first half's
 *   (plus 50 ms, so that a fast run is not failed for noise).
 * Exit code 0 when all hold, 1 otherwise. The summary is printed as text and JSON.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function arg(name, env, dflt) {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit) return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
  return process.env[env] ?? dflt;
}

function ms(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`bad duration ${text}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
}

const durationMs = ms(arg('duration', 'SOAK_DURATION', '30m'));
const seriesTotal = Number(arg('series', 'SOAK_SERIES', '200000'));
const targets = Number(arg('targets', 'SOAK_TARGETS', '20'));
const intervalMs = ms(arg('interval', 'SOAK_INTERVAL', '15s'));
const runtime = arg('runtime', 'SOAK_RUNTIME', 'deno');
const queryEveryMs = ms(arg('query-every', 'SOAK_QUERY_EVERY', '5s'));
const keep = arg('keep', 'SOAK_KEEP', 'false') === 'true';
const blockRangeMs = ms(
  arg(
    'block-range',
    'SOAK_BLOCK_RANGE',
    `${Math.min(120, Math.max(1, Math.round(durationMs / 600_000)))}m`,
  ),
);
const perTarget = Math.ceil(seriesTotal / targets);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (n) => new Promise((r) => setTimeout(r, n));

// ---- synthetic targets: one HTTP server, one path per target ----
const scrapeTimes = Array.from({ length: targets }, () => []);
let generation = 0;
const bodies = new Map();
function body(target) {
  // Counters move every scrape; label sets stay the same, so the series stay active and fixed.
  const key = `${target}:${generation}`;
  let b = bodies.get(key);
  if (b !== undefined) return b;
  const lines = ['# TYPE soak_counter counter'];
  const base = target * perTarget;
  for (let i = 0; i < perTarget && base + i < seriesTotal; i++) {
    lines.push(
      `soak_counter_total{id="${base + i}",shard="${i % 16}"} ${generation * (1 + (i % 7))}`,
    );
  }
  b = lines.join('\n') + '\n';
  bodies.clear();
  bodies.set(key, b);
  return b;
}
const targetServer = http.createServer((req, res) => {
  const m = /^\/t\/(\d+)\/metrics/.exec(req.url ?? '');
  if (!m) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const t = Number(m[1]);
  scrapeTimes[t].push(Date.now());
  res.setHeader('content-type', 'text/plain; version=0.0.4');
  res.end(body(t));
});
setInterval(() => generation++, intervalMs).unref();

// ---- Beacon ----
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-soak-'));
const targetPort = await freePort();
await new Promise((r) => targetServer.listen(targetPort, '127.0.0.1', r));
const beaconPort = await freePort();
fs.writeFileSync(
  path.join(work, 'rules.yml'),
  `groups:
  - name: soak
    interval: ${intervalMs / 1000}s
    rules:
      - record: shard:soak_counter:rate1m
        expr: sum by (shard) (rate(soak_counter_total[1m]))
      - record: job:soak_series:count
        expr: count by (job) (soak_counter_total)
      - alert: SoakTargetDown
        expr: up == 0
        for: 1m
`,
);
const targetList = Array.from({ length: targets }, () => `'127.0.0.1:${targetPort}'`);
fs.writeFileSync(
  path.join(work, 'beacon.yml'),
  `global:
  scrape_interval: ${intervalMs / 1000}s
  evaluation_interval: ${intervalMs / 1000}s
rule_files: ['${path.join(work, 'rules.yml')}']
scrape_configs:
${
    targetList.map((t, i) =>
      `  - job_name: soak${i}\n    metrics_path: /t/${i}/metrics\n    static_configs: [{ targets: [${t}] }]`
    ).join('\n')
  }
`,
);
const bin = path.join(root, 'node_modules', '.bin', runtime);
const beaconArgs = [
  ...(runtime === 'deno' ? ['run', '-A'] : ['run']),
  path.join(root, 'mod.ts'),
  `--config.file=${path.join(work, 'beacon.yml')}`,
  `--storage.tsdb.path=${path.join(work, 'data')}`,
  `--web.listen-address=127.0.0.1:${beaconPort}`,
  `--storage.tsdb.min-block-duration=${blockRangeMs / 1000}s`,
];
const child = spawn(bin, beaconArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => {
  stderr += d;
  if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
});
const url = `http://127.0.0.1:${beaconPort}`;
for (let i = 0;; i++) {
  try {
    const r = await fetch(`${url}/-/ready`);
    await r.body?.cancel();
    if (r.status === 200) break;
  } catch { /* not yet */ }
  if (i > 300) throw new Error(`Beacon did not start:\n${stderr}`);
  await sleep(100);
}

console.log(
  `soak: ${runtime}, ${seriesTotal} series on ${targets} targets, scrape every ${
    intervalMs / 1000
  }s, queries every ${queryEveryMs / 1000}s, block range ${blockRangeMs / 1000}s, for ${
    durationMs / 60_000
  } min; data in ${work}`,
);

// ---- load and sampling ----
const start = Date.now();
const rss = []; // [t, bytes]
const latencies = []; // [t, ms, ok]
const failures = []; // why queries failed
const queries = [
  'sum(rate(soak_counter_total[1m]))',
  'topk(5, shard:soak_counter:rate1m)',
  'count(up == 1)',
  'sum by (job) (job:soak_series:count)',
];
async function sampleRss() {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^process_resident_memory_bytes (\S+)$/m.exec(text);
    if (m) rss.push([Date.now() - start, Number(m[1])]);
  } catch { /* counted as a gap */ }
}
async function runQueries() {
  const now = Date.now() / 1000;
  const paths = [
    ...queries.map((q) => `/api/v1/query?query=${encodeURIComponent(q)}&time=${now}`),
    `/api/v1/query_range?query=${encodeURIComponent('sum(shard:soak_counter:rate1m)')}&start=${
      now - 600
    }&end=${now}&step=15`,
  ];
  for (const p of paths) {
    const t0 = performance.now();
    let ok = false;
    try {
      const r = await fetch(url + p);
      ok = r.status === 200;
      const text = await r.text();
      if (!ok) failures.push(`${p.slice(0, 80)} → ${r.status} ${text.slice(0, 200)}`);
    } catch (e) {
      failures.push(`${p.slice(0, 80)} → ${e.message}`);
    }
    latencies.push([Date.now() - start, performance.now() - t0, ok]);
  }
}
const rssTimer = setInterval(sampleRss, 10_000);
let inflight = Promise.resolve();
const queryTimer = setInterval(() => (inflight = runQueries()), queryEveryMs);
let lastReport = 0;
while (Date.now() - start < durationMs) {
  await sleep(1000);
  if (child.exitCode !== null) break;
  if (Date.now() - lastReport > 60_000) {
    lastReport = Date.now();
    const r = rss.at(-1);
    const scrapes = scrapeTimes.reduce((n, s) => n + s.length, 0);
    console.log(
      `  t=${Math.round((Date.now() - start) / 1000)}s rss=${
        r ? (r[1] / 2 ** 20).toFixed(0) : '?'
      }MiB scrapes=${scrapes} queries=${latencies.length}`,
    );
  }
}
clearInterval(rssTimer);
clearInterval(queryTimer);
await inflight;
await sampleRss();
const elapsed = Date.now() - start;
const crashed = child.exitCode !== null;
// Shutdown is part of the test: it must finish (flushing the head) within a minute.
const stopStart = Date.now();
child.kill('SIGTERM');
const exited = new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
const stopped = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
if (!stopped) {
  child.kill('SIGKILL');
  await exited;
}
const stopSeconds = (Date.now() - stopStart) / 1000;
targetServer.close();

// ---- verdict ----
const warmup = Math.max(3 * intervalMs, elapsed * 0.1);
const third = (elapsed - warmup) / 3;
const inWin = (t, a, b) => t >= a && t < b;
const peak = (a, b) => Math.max(0, ...rss.filter(([t]) => inWin(t, a, b)).map(([, v]) => v));
const midPeak = peak(warmup + third, warmup + 2 * third);
const lastPeak = peak(warmup + 2 * third, Infinity);
const rssGrowth = midPeak > 0 ? lastPeak / midPeak - 1 : NaN;

let gaps = 0, worstGap = 0, scrapeCount = 0;
const lateness = [];
for (const times of scrapeTimes) {
  const rel = times.map((t) => t - start).filter((t) => t >= warmup);
  scrapeCount += rel.length;
  for (let i = 1; i < rel.length; i++) {
    const d = rel[i] - rel[i - 1];
    worstGap = Math.max(worstGap, d);
    lateness.push(Math.abs(d - intervalMs));
    if (d > 1.5 * intervalMs) gaps++;
  }
  // A target that stopped being scraped before the end is a miss too.
  if (rel.length === 0 || elapsed - rel.at(-1) > 1.5 * intervalMs + 1000) gaps++;
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const half = warmup + (elapsed - warmup) / 2;
const lat1 = latencies.filter(([t]) => inWin(t, warmup, half)).map(([, v]) => v);
const lat2 = latencies.filter(([t]) => t >= half).map(([, v]) => v);
const failedQueries = latencies.filter(([, , ok]) => !ok).length;
const p99a = pct(lat1, 99), p99b = pct(lat2, 99);

const checks = {
  'Beacon kept running': !crashed,
  'RSS stopped growing (<10% over the middle third)': rssGrowth < 0.10,
  'no scrape missed': gaps === 0,
  'query latency held (p99 second half < 2x first half + 50ms)': p99b < 2 * p99a + 50,
  'every query succeeded': failedQueries === 0,
  'SIGTERM shut Beacon down within 60 s': stopped,
};
const mib = (b) => (b / 2 ** 20).toFixed(0);
const summary = {
  runtime,
  series: seriesTotal,
  targets,
  intervalSeconds: intervalMs / 1000,
  blockRangeSeconds: blockRangeMs / 1000,
  minutes: +(elapsed / 60_000).toFixed(1),
  rssMiB: {
    first: rss[0] ? +mib(rss[0][1]) : null,
    middlePeak: +mib(midPeak),
    lastPeak: +mib(lastPeak),
    growthPct: +(rssGrowth * 100).toFixed(1),
  },
  scrapes: {
    count: scrapeCount,
    missed: gaps,
    worstGapSeconds: +(worstGap / 1000).toFixed(2),
    latenessP50ms: +pct(lateness, 50).toFixed(0),
    latenessP99ms: +pct(lateness, 99).toFixed(0),
  },
  queries: {
    count: latencies.length,
    failed: failedQueries,
    p50msFirstHalf: +pct(lat1, 50).toFixed(1),
    p99msFirstHalf: +p99a.toFixed(1),
    p50msSecondHalf: +pct(lat2, 50).toFixed(1),
    p99msSecondHalf: +p99b.toFixed(1),
  },
  shutdownSeconds: +stopSeconds.toFixed(1),
  checks,
};
console.log('\nsoak summary');
for (const [k, ok] of Object.entries(checks)) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${k}`);
console.log(JSON.stringify(summary, null, 2));
for (const f of failures.slice(0, 5)) console.log(`failed query: ${f}`);
if (crashed || !stopped) console.log(`Beacon's last log lines:\n${stderr.slice(-5000)}`);
if (!keep) fs.rmSync(work, { recursive: true, force: true });
process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
