// The custom exporter example end to end: Beacon starts with registration enabled, the
// example registers itself, Beacon scrapes it and answers queries over its series; when the
// exporter stops, it deregisters and its target goes away.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { repoRoot, tempDir } from '../helpers/host.ts';
import { eventually, startBeacon } from '../helpers/process.ts';

const tmp = tempDir();
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.remove();
});

const TOKEN = 'example-token-0123456789';

function runExample(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const entry = path.join(repoRoot, 'examples', 'custom-exporter', 'exporter.ts');
  const args = 'Deno' in globalThis ? ['run', '-A', entry] : ['run', entry];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function query(url: string, q: string): Promise<{ metric: Record<string, string> }[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = await res.json();
  return body.status === 'success' ? body.data.result : [];
}

describe('examples/custom-exporter', () => {
  test('registers with Beacon, is scraped and queried, and deregisters on exit', async () => {
    tmp.write('registration.token', `${TOKEN}\n`);
    const config = tmp.write(
      'beacon.yml',
      `global: { scrape_interval: 1s, scrape_timeout: 900ms }
storage: { engine: memory }
scrape_configs:
  - job_name: apps
    registration_sd_configs:
      - token_file: registration.token
        labels: { env: demo }
`,
    );
    const beacon = await startBeacon([`--config.file=${config}`]);
    try {
      const ex = runExample({
        BEACON_URL: beacon.url,
        BEACON_REGISTRATION_TOKEN: TOKEN,
        LISTEN: '127.0.0.1:0',
        TTL_SECONDS: '20',
      });
      await eventually(() => Promise.resolve(ex.output().includes('registered as')), 30_000).catch(
        () => {
          throw new Error(`the example did not register:\n${ex.output()}\n${beacon.logs()}`);
        },
      );
      await eventually(
        async () => (await query(beacon.url, 'demo_jobs_processed_total')).length > 0,
        30_000,
      ).catch(() => {
        throw new Error(`no series from the example:\n${ex.output()}\n${beacon.logs()}`);
      });
      const [series] = await query(beacon.url, 'demo_jobs_processed_total');
      assert.equal(series.metric.job, 'apps');
      assert.equal(series.metric.env, 'demo');
      assert.equal(series.metric.service, 'demo-queue');
      assert.match(series.metric.instance, /^127\.0\.0\.1:\d+$/);
      const up = await query(beacon.url, 'up{job="apps"}');
      assert.equal(up.length, 1);
      const metrics = await (await fetch(`${beacon.url}/metrics`)).text();
      assert.match(metrics, /^beacon_sd_registrations\{job="apps"\} 1$/m);

      // SIGTERM: the example deletes its registration, so the target leaves the targets API.
      ex.child.kill('SIGTERM');
      await eventually(() => Promise.resolve(ex.output().includes('deregistered')), 15_000);
      await eventually(async () => {
        const res = await fetch(`${beacon.url}/api/v1/targets?scrapePool=apps`);
        return (await res.json()).data.activeTargets.length === 0;
      }, 20_000);
    } finally {
      beacon.signal('SIGTERM');
      await beacon.exited;
    }
  });
});
