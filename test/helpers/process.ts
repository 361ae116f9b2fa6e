/**
 * Runs Beacon as a child process under the runtime executing the tests (Deno or Bun).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { repoRoot } from './host.ts';

const isDeno = 'Deno' in globalThis;
const entry = path.join(repoRoot, 'mod.ts');

/** The command line that starts Beacon under this runtime. */
export function beaconCommand(args: readonly string[]): string[] {
  return isDeno
    ? [process.execPath, 'run', '-A', entry, ...args]
    : [process.execPath, 'run', entry, ...args];
}

/** Runs `beacon args…` to completion (bounded by `timeoutMs`). */
export function runBeacon(
  args: readonly string[],
  opts: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, ...rest] = beaconCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, rest, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A Beacon server process. */
export interface BeaconProcess {
  url: string;
  /** Log output so far. */
  logs(): string;
  signal(sig: 'SIGHUP' | 'SIGTERM' | 'SIGINT' | 'SIGKILL'): void;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

/** Starts `beacon` on a free port and waits until `/-/ready` answers 200. */
export async function startBeacon(
  args: readonly string[],
  opts: { cwd?: string } = {},
): Promise<BeaconProcess> {
  const port = await freePort();
  // Each server gets its own data directory unless the test names one.
  const data = args.some((a) => a.startsWith('--storage.tsdb.path'))
    ? []
    : [`--storage.tsdb.path=${mkdtempSync(path.join(tmpdir(), 'beacon-data-'))}`];
  const [cmd, ...rest] = beaconCommand([
    ...args,
    ...data,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const child = spawn(cmd, rest, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout.on('data', (d) => (logs += d));
  child.stderr.on('data', (d) => (logs += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let done = false;
  exited.then(() => (done = true));
  while (!done) {
    try {
      const res = await fetch(`${url}/-/ready`);
      await res.body?.cancel();
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`beacon did not become ready in 30s:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (done) throw new Error(`beacon exited before it was ready:\n${logs}`);
  // process.kill, not child.kill: Deno's child.kill sends only the first signal of a child.
  return { url, logs: () => logs, signal: (s) => process.kill(child.pid!, s), exited };
}

/** Polls `fn` until it returns true (bounded); for waiting on a process's reaction. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
