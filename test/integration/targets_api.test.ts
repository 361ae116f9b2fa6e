// The targets and metadata API against Prometheus 2.42 on the same config and targets:
// /api/v1/targets (state and scrapePool filters, every field of an active target),
// /api/v1/targets/metadata, /api/v1/metadata and /api/v1/scrape_pools. Skips when Prometheus
// is absent, except under CI=true.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import process from 'node:process';
import { tempDir } from '../helpers/host.ts';
import { eventually, freePort, startBeacon } from '../helpers/process.ts';

const PROMETHEUS = existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : undefined;
if (!PROMETHEUS && process.env.CI === 'true') {
  throw new Error('prometheus is not installed, and CI=true requires it');
}

const tmp = tempDir();
const children: ChildProcess[] = [];
let target: http.Server | undefined;
after(() => {
  for (const c of children) c.kill('SIGKILL');
  target?.close();
  tmp.remove();
});

const PAGE = `# HELP app_requests_total Requests served.
# TYPE app_requests_total counter
app_requests_total{code="200"} 10
# HELP app_temperature_celsius Temperature.
# TYPE app_temperature_celsius gauge
app_temperature_celsius 21.5
`;

const CONFIG = (addr: string) => `
global: { scrape_interval: 1s, scrape_timeout: 500ms }
scrape_configs:
  - job_name: app
    static_configs:
      - targets: ['${addr}']
        labels: { team: a }
      - targets: ['127.0.0.1:1', 'drop.me:80']
    relabel_configs:
      - source_labels: [__address__]
        regex: drop\\.me:80
        action: drop
  - job_name: other
    scrape_interval: 2s
    scrape_timeout: 1s
    metrics_path: /other
    static_configs: [{ targets: ['${addr}'] }]
`;

type Json = Record<string, unknown>;

async function get(url: string): Promise<Json> {
  const res = await fetch(url);
  const body = await res.json() as Json;
  assert.equal(body.status, 'success', `${url}: ${JSON.stringify(body)}`);
  return body.data as Json;
}

function byInstance(data: Json): Map<string, Json> {
  return new Map((data.activeTargets as Json[]).map((t) => [
    `${t.scrapePool}/${(t.labels as Record<string, string>).instance}`,
    t,
  ]));
}

describe('targets and metadata API against Prometheus 2.42', {
  skip: PROMETHEUS ? false : 'prometheus is not installed',
}, () => {
  test('same targets, fields, filters and metadata', async () => {
    target = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(PAGE)
    );
    await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
    const addr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    const cfg = tmp.write('prometheus.yml', CONFIG(addr));
    const dir = `${tmp.dir}/prom`;
    mkdirSync(dir);
    const promPort = await freePort();
    const prom = `http://127.0.0.1:${promPort}`;
    children.push(spawn(PROMETHEUS!, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${dir}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: 'ignore' }));
    const beacon = await startBeacon([`--config.file=${cfg}`]);
    try {
      const scraped = async (base: string) => {
        try {
          const t = [...byInstance(await get(`${base}/api/v1/targets`)).values()];
          return t.length === 3 && t.every((x) => x.health !== 'unknown');
        } catch {
          return false;
        }
      };
      await eventually(() => scraped(beacon.url), 30_000);
      await eventually(() => scraped(prom), 30_000);

      assert.deepEqual(
        await get(`${beacon.url}/api/v1/scrape_pools`),
        await get(`${prom}/api/v1/scrape_pools`),
      );

      const ours = await get(`${beacon.url}/api/v1/targets`);
      const theirs = await get(`${prom}/api/v1/targets`);
      const a = byInstance(ours), b = byInstance(theirs);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
      for (const [k, t] of a) {
        const p = b.get(k)!;
        assert.deepEqual(Object.keys(t).sort(), Object.keys(p).sort(), k);
        for (
          const f of [
            'discoveredLabels',
            'labels',
            'scrapePool',
            'scrapeUrl',
            'health',
            'scrapeInterval',
            'scrapeTimeout',
          ]
        ) assert.deepEqual(t[f], p[f], `${k} ${f}`);
        assert.equal(t.lastError === '', p.lastError === '', `${k} lastError`);
        assert.ok(Math.abs(Date.parse(String(t.lastScrape)) - Date.now()) < 60_000, k);
        assert.equal(typeof t.lastScrapeDuration, 'number');
        assert.ok((t.lastScrapeDuration as number) > 0);
      }
      // Prometheus 3 (and Beacon) add scrapePool to dropped targets and droppedTargetCounts.
      const dropped = (d: Json) => (d.droppedTargets as Json[]).map((t) => t.discoveredLabels);
      assert.deepEqual(dropped(ours), dropped(theirs));
      assert.deepEqual(ours.droppedTargetCounts, { app: 1, other: 0 });

      for (
        const q of [
          'state=active',
          'state=dropped',
          'state=any&scrapePool=other',
          'state=active&scrapePool=app',
          'scrapePool=nope',
        ]
      ) {
        const x = await get(`${beacon.url}/api/v1/targets?${q}`);
        const y = await get(`${prom}/api/v1/targets?${q}`);
        assert.deepEqual([...byInstance(x).keys()].sort(), [...byInstance(y).keys()].sort(), q);
        assert.deepEqual(dropped(x), dropped(y), q);
      }

      const sortMeta = (d: unknown) =>
        (d as Json[]).map((m) => JSON.stringify(m, Object.keys(m).sort())).sort();
      for (
        const q of [
          'match_target={job="app"}',
          'metric=app_requests_total',
          'match_target={job="other"}&metric=app_temperature_celsius',
        ]
      ) {
        assert.deepEqual(
          sortMeta(await get(`${beacon.url}/api/v1/targets/metadata?${q}`)),
          sortMeta(await get(`${prom}/api/v1/targets/metadata?${q}`)),
          q,
        );
      }
      // /metadata: Beacon and Prometheus agree on app metrics (each adds its own beside).
      const pick = (d: Json) =>
        Object.fromEntries(Object.entries(d).filter(([k]) => k.startsWith('app_')));
      assert.deepEqual(
        pick(await get(`${beacon.url}/api/v1/metadata`)),
        pick(await get(`${prom}/api/v1/metadata`)),
      );
      assert.deepEqual(
        await get(`${beacon.url}/api/v1/metadata?metric=app_requests_total`),
        await get(`${prom}/api/v1/metadata?metric=app_requests_total`),
      );
      assert.deepEqual(
        Object.keys(await get(`${beacon.url}/api/v1/metadata?limit=1`)).length,
        1,
      );
    } finally {
      beacon.signal('SIGTERM');
      await beacon.exited;
    }
  });
});
