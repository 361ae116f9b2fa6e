/**
 * Helpers of the runtime story suite: which runtimes a test runner covers, Beacon started as a
 * process under a chosen runtime (Deno, Bun, or Node.js with the esbuild bundle), a real
 * node_exporter, and a local HTTP server that records what it receives (webhook, ntfy).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { repoRoot } from '../helpers/host.ts';
import { freePort } from '../helpers/process.ts';

/** A runtime Beacon runs on in the story. */
export type StoryRuntime = 'deno' | 'bun' | 'node';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
const runner: StoryRuntime = 'Deno' in globalThis ? 'deno' : 'bun';

/**
 * The runtimes whose story this test runner runs. `npm test` runs every test file under Deno
 * and then Bun; each story must run once, so the Deno runner takes Deno and Node.js and the Bun
 * runner takes Bun. `BEACON_STORY_RUNTIMES=deno,bun,node` overrides (for a run by hand).
 */
export function storyRuntimes(): StoryRuntime[] {
  const env = process.env.BEACON_STORY_RUNTIMES;
  if (env) {
    return env.split(',').map((s) => s.trim()).filter((s): s is StoryRuntime =>
      s === 'deno' || s === 'bun' || s === 'node'
    );
  }
  return runner === 'deno' ? ['deno', 'node'] : ['bun'];
}

/** Path of the Node.js bundle that `npm run build` writes. */
export const nodeBundle = path.join(repoRoot, 'dist', 'beacon.mjs');

/** The command line that starts Beacon with `args` under `rt`. */
export function beaconArgv(rt: StoryRuntime, args: readonly string[]): string[] {
  const entry = path.join(repoRoot, 'mod.ts');
  switch (rt) {
    case 'deno':
      return [bin('deno'), 'run', '-A', entry, ...args];
    case 'bun':
      return [bin('bun'), 'run', entry, ...args];
    case 'node':
      return ['node', nodeBundle, ...args];
  }
}

/** Why `rt` cannot run here, or false when it can. Missing tools fail instead under CI=true. */
export function unavailable(rt: StoryRuntime): string | false {
  const why = rt === 'node'
    ? (existsSync(path.join(repoRoot, 'node_modules', 'esbuild', 'package.json'))
      ? spawnSync('node', ['--version']).status === 0 ? false : 'node is not installed'
      : 'esbuild is not installed')
    : existsSync(bin(rt))
    ? false
    : `${rt} is not installed in node_modules`;
  if (why && process.env.CI === 'true') throw new Error(`${why}, and CI=true requires it`);
  return why;
}

let built: string | undefined;

/** Builds the Node.js bundle (`npm run build`) once per test process. */
export function buildNodeBundle(): void {
  if (built !== undefined) return;
  const r = spawnSync('node', ['scripts/build-node.mjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  built = r.stdout;
}

/** A process started by the story, with its output collected. */
export interface StoryProcess {
  child: ChildProcess;
  logs(): string;
  running(): boolean;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  exited: Promise<number>;
  /** Sends a signal by pid: Deno's `child.kill` sends only a child's first signal. */
  signal(sig: NodeJS.Signals): void;
}

/** Starts `argv` in `cwd`, collecting stdout and stderr. */
export function startProcess(argv: readonly string[], cwd: string): StoryProcess {
  const child = spawn(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  let running = true;
  const exited = new Promise<number>((resolve) => {
    child.on('error', (e) => {
      logs += `\nspawn failed: ${e.message}`;
      running = false;
      resolve(-1);
    });
    child.on('close', (code) => {
      running = false;
      resolve(code ?? -1);
    });
  });
  return {
    child,
    logs: () => logs,
    running: () => running,
    exited,
    signal(sig) {
      if (running && child.pid) process.kill(child.pid, sig);
    },
  };
}

/** SIGTERM, then the exit code; SIGKILL (and -1) if it takes longer than `ms`. */
export async function stopProcess(p: StoryProcess, ms = 20_000): Promise<number> {
  p.signal('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      p.signal('SIGKILL');
      resolve(-1);
    }, ms);
  });
  const code = await Promise.race([p.exited, killed]);
  clearTimeout(timer);
  return code;
}

/** Polls `fn` until it returns a truthy value, failing with `what` and `logs()` after `ms`. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  opts: { ms?: number; logs?: () => string; alive?: () => boolean } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.ms ?? 20_000);
  let last: unknown;
  for (;;) {
    if (opts.alive && !opts.alive()) {
      throw new Error(`${what}: the process exited\n${opts.logs?.() ?? ''}`);
    }
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last ? ` (last error: ${(last as Error).message})` : '';
      throw new Error(`${what}: not seen in time${why}\n${opts.logs?.().slice(-4000) ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A request a {@link Recorder} received. */
export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A local HTTP server that answers 200 and keeps every request. */
export interface Recorder {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** Starts a {@link Recorder} on a free port of 127.0.0.1. */
export async function startRecorder(): Promise<Recorder> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The node_exporter binary, or undefined (then the story skips, or fails under CI=true). */
export const NODE_EXPORTER = ['/usr/bin/prometheus-node-exporter', '/usr/bin/node_exporter'].find(
  (p) => existsSync(p),
);

/** Starts node_exporter with a few cheap collectors on a free port; resolves when it answers. */
export async function startNodeExporter(): Promise<{ address: string; stop(): Promise<void> }> {
  const address = `127.0.0.1:${await freePort()}`;
  const p = startProcess([
    NODE_EXPORTER!,
    `--web.listen-address=${address}`,
    '--collector.disable-defaults',
    '--collector.loadavg',
    '--collector.meminfo',
    '--collector.time',
  ], repoRoot);
  await waitFor(`node_exporter on ${address}`, async () => {
    const res = await fetch(`http://${address}/metrics`);
    await res.body?.cancel();
    return res.ok;
  }, { logs: p.logs, alive: p.running });
  return {
    address,
    async stop() {
      await stopProcess(p, 5_000);
    },
  };
}

/** GETs `url` and parses the JSON answer of Beacon's API (throws unless `status` is success). */
export async function apiGet<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = await res.json() as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? res.status}`);
  return body.data;
}

/** One instant vector sample of `/api/v1/query`. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Runs an instant query (at `time`, seconds, when given). */
export function query(base: string, expr: string, time?: number): Promise<VectorSample[]> {
  const at = time === undefined ? '' : `&time=${time}`;
  return apiGet<{ result: VectorSample[] }>(
    `${base}/api/v1/query?query=${encodeURIComponent(expr)}${at}`,
  ).then((d) => d.result);
}
