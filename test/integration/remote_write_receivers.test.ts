/**
 * Beacon (a child process, DuckDB engine) scrapes a fixture and remote-writes to real
 * receivers: VictoriaMetrics 1.79 and Prometheus 2.42 (`--web.enable-remote-write-receiver`).
 * Every sample Beacon stored must be found at the receiver with the same value. The outage
 * test stops VictoriaMetrics, restarts Beacon meanwhile (SIGTERM, then SIGKILL), starts
 * VictoriaMetrics again, and expects nothing missing. Each binary is optional: the test skips
 * with a message when it is absent, except under CI=true.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import type { HostServer } from '../../core/host.ts';
import { host, tempDir } from '../helpers/host.ts';
import { type BeaconProcess, eventually, freePort, startBeacon } from '../helpers/process.ts';

const VM = '/usr/bin/victoria-metrics';
const PROM = '/usr/bin/prometheus';

function skipFor(bin: string): string | false {
  if (existsSync(bin)) return false;
  const msg = `${bin} not installed; skipping the remote-write receiver test`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true requires it`);
  console.log(msg);
  return msg;
}

/** A scrape target whose counter grows by one per scrape and whose gauge is a fraction. */
async function fixture(): Promise<HostServer> {
  let n = 0;
  return await host.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => {
      n++;
      const body = `# TYPE fixture_total counter\nfixture_total ${n}\n` +
        `# TYPE fixture_ratio gauge\nfixture_ratio{k="a"} ${n / 7}\nfixture_ratio{k="b"} ${
          -n / 3
        }\n`;
      return new Response(body, { headers: { 'content-type': 'text/plain; version=0.0.4' } });
    },
  });
}

interface Proc {
  child: ChildProcess;
  logs: () => string;
  stop: () => Promise<void>;
}

function run(bin: string, args: string[]): Proc {
  let logs = '';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  return {
    child,
    logs: () => logs,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

async function ready(url: string): Promise<void> {
  await eventually(async () => {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      return r.ok;
    } catch {
      return false;
    }
  }, 20_000);
}

function beaconConfig(dir: ReturnType<typeof tempDir>, target: string, writeUrl: string): string {
  return dir.write(
    'beacon.yml',
    `global: { scrape_interval: 500ms, scrape_timeout: 400ms }
scrape_configs:
  - job_name: fixture
    static_configs: [{ targets: ['${target}'] }]
remote_write:
  - url: ${writeUrl}
    name: rx
    queue_config: { batch_send_deadline: 100ms, min_backoff: 50ms, max_backoff: 200ms }
`,
  );
}

type Samples = Map<string, Map<number, number>>;

/** Raw samples Beacon holds for the fixture job (a range query returns them unchanged). */
async function beaconSamples(url: string): Promise<Samples> {
  const q = new URLSearchParams({ query: '{job="fixture"}[10m]' });
  const r = await (await fetch(`${url}/api/v1/query?${q}`)).json();
  assert.equal(r.status, 'success');
  return toSamples(
    r.data.result.map((s: { metric: Record<string, string>; values: [number, string][] }) => ({
      metric: s.metric,
      points: s.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as [number, number]),
    })),
  );
}

function key(m: Record<string, string>): string {
  return Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');
}

function toSamples(
  list: { metric: Record<string, string>; points: [number, number][] }[],
): Samples {
  const out: Samples = new Map();
  for (const s of list) {
    const m = out.get(key(s.metric)) ?? new Map<number, number>();
    for (const [t, v] of s.points) m.set(t, v);
    out.set(key(s.metric), m);
  }
  return out;
}

async function vmSamples(vmUrl: string): Promise<Samples> {
  const q = new URLSearchParams({ 'match[]': '{job="fixture"}' });
  const text = await (await fetch(`${vmUrl}/api/v1/export?${q}`)).text();
  const list = text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const o = JSON.parse(l) as {
      metric: Record<string, string>;
      values: number[];
      timestamps: number[];
    };
    return {
      metric: o.metric,
      points: o.timestamps.map((t, i) => [t, o.values[i]] as [number, number]),
    };
  });
  return toSamples(list);
}

async function promSamples(promUrl: string): Promise<Samples> {
  const q = new URLSearchParams({ query: '{job="fixture"}[10m]' });
  const r = await (await fetch(`${promUrl}/api/v1/query?${q}`)).json();
  return toSamples(
    r.data.result.map((s: { metric: Record<string, string>; values: [number, string][] }) => ({
      metric: s.metric,
      points: s.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as [number, number]),
    })),
  );
}

/** Which of `want`'s samples `have` lacks or holds with another value (empty: all there). */
function missing(want: Samples, have: Samples): string[] {
  const out: string[] = [];
  for (const [k, pts] of want) {
    const h = have.get(k);
    for (const [t, v] of pts) {
      const got = h?.get(t);
      if (got === undefined || Math.abs(got - v) > 1e-12 * Math.max(1, Math.abs(v))) {
        out.push(`${k}@${t}=${v} (receiver: ${got})`);
      }
    }
  }
  return out;
}

async function allArrive(b: BeaconProcess, fetchRx: () => Promise<Samples>): Promise<void> {
  const want = await beaconSamples(b.url);
  assert.ok(want.size >= 3, `beacon has ${want.size} series`);
  let last: string[] = [];
  await eventually(async () => {
    last = missing(want, await fetchRx());
    return last.length === 0;
  }, 20_000).catch(() => {
    throw new Error(
      `missing at the receiver (${last.length}): ${last.slice(0, 5).join('; ')}\n${
        b.logs().slice(-2000)
      }`,
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('remote write to VictoriaMetrics', { skip: skipFor(VM) }, () => {
  test('every sample Beacon stored arrives, across an outage and SIGTERM/SIGKILL restarts', async () => {
    const dir = tempDir();
    const target = await fixture();
    const port = await freePort();
    const vmUrl = `http://127.0.0.1:${port}`;
    const vmArgs = [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${dir.dir}/vm`];
    let vm = run(VM, vmArgs);
    const cfg = beaconConfig(dir, target.address, `${vmUrl}/api/v1/write`);
    const data = `--storage.tsdb.path=${dir.dir}/beacon`;
    let beacon: BeaconProcess | undefined;
    try {
      await ready(`${vmUrl}/health`);
      beacon = await startBeacon([`--config.file=${cfg}`, data]);
      await sleep(2500);
      await allArrive(beacon, () => vmSamples(vmUrl));

      // Outage: the receiver goes away; Beacon keeps scraping and is restarted twice.
      await vm.stop();
      await sleep(2000);
      beacon.signal('SIGTERM');
      await beacon.exited;
      beacon = await startBeacon([`--config.file=${cfg}`, data]);
      await sleep(2000);
      beacon.signal('SIGKILL');
      await beacon.exited;
      beacon = await startBeacon([`--config.file=${cfg}`, data]);
      await sleep(1500);
      vm = run(VM, vmArgs);
      await ready(`${vmUrl}/health`);
      await allArrive(beacon, () => vmSamples(vmUrl));
    } finally {
      if (beacon) {
        beacon.signal('SIGTERM');
        await beacon.exited;
      }
      await vm.stop();
      await target.close();
    }
  });
});

describe('remote write to Prometheus', { skip: skipFor(PROM) }, () => {
  test('every sample Beacon stored arrives with the same value', async () => {
    const dir = tempDir();
    const target = await fixture();
    const port = await freePort();
    const promUrl = `http://127.0.0.1:${port}`;
    const promCfg = dir.write('prometheus.yml', 'global: {}\n');
    const prom = run(PROM, [
      `--config.file=${promCfg}`,
      `--storage.tsdb.path=${dir.dir}/prom`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ]);
    const cfg = beaconConfig(dir, target.address, `${promUrl}/api/v1/write`);
    let beacon: BeaconProcess | undefined;
    try {
      await ready(`${promUrl}/-/ready`);
      beacon = await startBeacon([`--config.file=${cfg}`]);
      await sleep(3000);
      await allArrive(beacon, () => promSamples(promUrl));
    } finally {
      if (beacon) {
        beacon.signal('SIGTERM');
        await beacon.exited;
      }
      await prom.stop();
      await target.close();
    }
  });
});
