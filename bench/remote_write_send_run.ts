/**
 * Remote-write sender cost: Beacon (DuckDB engine) and Prometheus 2.42 scrape the same
 * synthetic fleet (`../shared/bench/fleet.mjs`) and remote-write it to one VictoriaMetrics
 * 1.79, in the same run. Reports, per sender, CPU-seconds per million samples sent (whole
 * process: scrape, store, send) over the measured window, the send rate, and the lag
 * (newest sample appended minus newest sample sent) at the end, which must not grow.
 *
 *   deno run -A bench/remote_write_send_run.ts [--targets 100] [--series 1000]
 *     [--interval 10s] [--warmup 30] [--seconds 60] [--only beacon|prometheus]
 *     [--engine duckdb|memory] [--rw off]
 *
 * Linux only (reads /proc/<pid>/stat). Runs under `deno run -A` and `bun`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1] ?? '');
}
const opt = (k: string, d: string) => args.get(k) ?? d;
const TARGETS = Number(opt('targets', '100'));
const SERIES = Number(opt('series', '1000'));
const INTERVAL = opt('interval', '10s');
const WARMUP = Number(opt('warmup', '30'));
const SECONDS = Number(opt('seconds', '60'));
const ONLY = opt('only', '');
/** Beacon's storage engine: `duckdb` (durable, the default) or `memory`. */
const ENGINE = opt('engine', 'duckdb');
/** `--rw off`: no remote_write section (the control run: scrape and store only). */
const RW = opt('rw', 'on') !== 'off';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FLEET = path.join(repo, '..', 'shared', 'bench', 'fleet.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'rw-send-bench-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function start(cmd: string, argv: string[], name: string): ChildProcess {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: unknown) => (tail = (tail + String(d)).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', (code) => {
    if (code !== null && code !== 0 && !stopping) console.error(`${name} exited ${code}:\n${tail}`);
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}

async function waitOk(url: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CPU seconds (user + system) of `pid` so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0, found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + '{') || line.startsWith(name + ' ')) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      found = true;
    }
  }
  return found ? sum : NaN;
}

interface Sender {
  name: string;
  pid: number;
  url: string;
  prefix: string;
}

async function main(): Promise<void> {
  const fleet = start(
    'node',
    [FLEET, '--targets', String(TARGETS), '--series', String(SERIES), '--layout', 'paths'],
    'fleet',
  );
  const line = await new Promise<string>((resolve) => {
    let buf = '';
    fleet.stdout!.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
  });
  const targets = (JSON.parse(line) as { targets: { address: string; path: string }[] }).targets;
  const vmPort = await freePort();
  start('/usr/bin/victoria-metrics', [
    `-httpListenAddr=127.0.0.1:${vmPort}`,
    `-storageDataPath=${work}/vm`,
  ], 'victoria-metrics');
  await waitOk(`http://127.0.0.1:${vmPort}/health`);
  const config = (sender: string) => {
    const statics = targets.map((t) =>
      `      - targets: ['${t.address}']\n        labels: { __metrics_path__: '${t.path}' }`
    ).join('\n');
    const file = path.join(work, `${sender}.yml`);
    writeFileSync(
      file,
      `global: { scrape_interval: ${INTERVAL}, scrape_timeout: ${INTERVAL}, external_labels: { sender: ${sender} } }
scrape_configs:
  - job_name: fleet
    static_configs:
${statics}
${RW ? `remote_write:\n  - url: http://127.0.0.1:${vmPort}/api/v1/write\n` : ''}${
        sender === 'beacon' && ENGINE !== 'duckdb' ? `storage: { engine: ${ENGINE} }\n` : ''
      }`,
    );
    return file;
  };
  const senders: Sender[] = [];
  if (ONLY !== 'prometheus') {
    const port = await freePort();
    const isDeno = 'Deno' in globalThis;
    const entry = path.join(repo, 'mod.ts');
    const c = start(process.execPath, [
      ...(isDeno ? ['run', '-A'] : ['run']),
      entry,
      `--config.file=${config('beacon')}`,
      `--storage.tsdb.path=${work}/beacon`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], 'beacon');
    senders.push({
      name: 'Beacon',
      pid: c.pid!,
      url: `http://127.0.0.1:${port}`,
      prefix: 'beacon',
    });
  }
  if (ONLY !== 'beacon') {
    const port = await freePort();
    const c = start('/usr/bin/prometheus', [
      `--config.file=${config('prometheus')}`,
      `--storage.tsdb.path=${work}/prom`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], 'prometheus');
    senders.push({
      name: 'Prometheus',
      pid: c.pid!,
      url: `http://127.0.0.1:${port}`,
      prefix: 'prometheus',
    });
  }
  for (const s of senders) await waitOk(`${s.url}/-/ready`);
  console.log(
    `fleet ${TARGETS}×${SERIES} series at ${INTERVAL}; warm-up ${WARMUP}s, measuring ${SECONDS}s`,
  );
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const sent = (s: Sender) => metric(s.url, `${s.prefix}_remote_storage_samples_total`);
  const appended = (s: Sender) => metric(s.url, `${s.prefix}_tsdb_head_samples_appended_total`);
  const lag = async (s: Sender) =>
    (await metric(s.url, `${s.prefix}_remote_storage_highest_timestamp_in_seconds`)) -
    (await metric(s.url, `${s.prefix}_remote_storage_queue_highest_sent_timestamp_seconds`));
  const before = await Promise.all(
    senders.map(async (s) => ({ cpu: cpuSeconds(s.pid), n: await sent(s), a: await appended(s) })),
  );
  const lag0 = await Promise.all(senders.map(lag));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const after = await Promise.all(
    senders.map(async (s) => ({ cpu: cpuSeconds(s.pid), n: await sent(s), a: await appended(s) })),
  );
  const lag1 = await Promise.all(senders.map(lag));
  const shards = await Promise.all(
    senders.map((s) => metric(s.url, `${s.prefix}_remote_storage_shards`)),
  );
  const rows = senders.map((s, i) => {
    const cpu = after[i].cpu - before[i].cpu, n = after[i].n - before[i].n;
    return {
      sender: s.name,
      appendedPerSecond: Math.round((after[i].a - before[i].a) / SECONDS),
      sentPerSecond: Math.round(n / SECONDS),
      shards: shards[i],
      cpuSeconds: Number(cpu.toFixed(2)),
      cpuSecondsPerMillion: Number((cpu / (n / 1e6)).toFixed(2)),
      lagStartSeconds: Number(lag0[i].toFixed(1)),
      lagEndSeconds: Number(lag1[i].toFixed(1)),
    };
  });
  console.table(rows);
  if (rows.length === 2) {
    console.log(
      `Beacon / Prometheus CPU per million samples: ${
        (rows[0].cpuSecondsPerMillion / rows[1].cpuSecondsPerMillion).toFixed(2)
      }×`,
    );
  }
}

try {
  await main();
} finally {
  await stopAll();
}
process.exit(0);
