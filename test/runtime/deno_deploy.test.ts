// The Deno Deploy entry run locally: `deno run --unstable-cron --unstable-kv` of
// examples/deno-deploy/main.ts with its config in the environment, as Deploy would set it.
// Deno.cron runs on real minutes, so the test drives ticks through the token-guarded tick path
// (the same `EdgeBeacon.tick` the cron handler calls) and checks scrape, rules, the webhook,
// remote write, and that the alert state outlives the process in the Deno KV file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { repoRoot, tempDir } from '../helpers/host.ts';
import { eventually, freePort } from '../helpers/process.ts';
import { type EdgeFixture, RULES_PATH, startEdgeFixture } from './edge_fixture.ts';

const deno = path.join(repoRoot, 'node_modules', '.bin', 'deno');
const skip = existsSync(deno) || process.env.CI === 'true'
  ? false
  : 'deno is not installed in node_modules; skipping the Deno Deploy test';
if (skip) console.log(skip);

const TOKEN = 'edge-test-token';

interface Alert {
  labels: Record<string, string>;
  state: string;
  activeAt: string;
}

describe('Deno Deploy entry under Deno', { skip }, () => {
  const tmp = tempDir();
  let fx: EdgeFixture;
  let child: ChildProcess | undefined;
  let logs = '';
  let api = '';

  const get = async (p: string) => {
    const res = await fetch(`${api}${p}`);
    return { status: res.status, body: await res.text() };
  };
  const query = async (q: string) => {
    const { body } = await get(`/api/v1/query?query=${encodeURIComponent(q)}`);
    return JSON.parse(body).data.result as { metric: Record<string, string>; value: unknown[] }[];
  };
  const alerts = async () => JSON.parse((await get('/api/v1/alerts')).body).data.alerts as Alert[];
  const tick = async (token = TOKEN) => {
    const res = await fetch(`${api}/-/edge/tick`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.text() };
  };

  async function start(): Promise<void> {
    logs = '';
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    child = spawn(
      deno,
      ['run', '--unstable-cron', '--unstable-kv', '-A', 'examples/deno-deploy/main.ts'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          NO_COLOR: '1',
          PORT: String(port),
          HOSTNAME: '127.0.0.1',
          BEACON_CONFIG: fx.config,
          BEACON_FILES: JSON.stringify({ [RULES_PATH]: fx.rules }),
          BEACON_TICK_TOKEN: TOKEN,
          BEACON_KV_PATH: path.join(tmp.dir, 'state.kv'),
          // Once a year: the test's ticks are the only ones.
          BEACON_CRON: '0 0 1 1 *',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    await eventually(async () => {
      try {
        return (await get('/-/ready')).status === 200;
      } catch {
        return false;
      }
    }, 30_000).catch(() => {
      throw new Error(`the Deno Deploy entry did not start:\n${logs}`);
    });
  }

  async function stop(): Promise<void> {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('close', r));
      child.kill('SIGTERM');
      await exited;
    }
  }

  before(async () => {
    fx = await startEdgeFixture();
    await start();
  });

  after(async () => {
    await stop();
    await fx?.close();
    tmp.remove();
  });

  test('the tick path needs the token', async () => {
    assert.equal((await tick('wrong')).status, 401);
    const res = await fetch(`${api}/-/edge/tick`);
    await res.body?.cancel();
    assert.equal(res.status, 405);
    assert.equal(fx.scrapes(), 0);
  });

  test('a tick scrapes, evaluates the rules, notifies and remote-writes', async () => {
    const r = await tick();
    assert.equal(r.status, 200, `${r.body}\n${logs}`);
    const report = JSON.parse(r.body);
    assert.equal(report.scraped.length, 1);
    assert.equal(report.scraped[0].health, 'up');
    assert.equal(report.alertsSent, 1);
    assert.equal(fx.scrapes(), 1);

    assert.equal((await query('edge_test_value'))[0]?.value[1], '42');
    assert.equal((await query('edge:value:doubled'))[0]?.value[1], '84');
    const [alert] = await alerts();
    assert.equal(alert?.labels.alertname, 'EdgeValueHigh');
    assert.equal(alert.state, 'firing');

    assert.equal(fx.webhooks().length, 1);
    assert.equal(fx.webhooks()[0].alerts[0].labels.alertname, 'EdgeValueHigh');
    const names = fx.writes().flatMap((w) => w.timeseries).map((s) =>
      s.labels.find((l) => l.name === '__name__')?.value
    );
    assert.ok(names.includes('edge_test_value'), `pushed: ${names.join(', ')}`);
  });

  test('the alert state outlives the process in Deno KV', async () => {
    const [before] = await alerts();
    await stop();
    await start();
    assert.deepEqual(await query('edge_test_value'), []);
    const r = await tick();
    assert.equal(r.status, 200, `${r.body}\n${logs}`);
    const [restored] = await alerts();
    assert.equal(restored?.labels.alertname, 'EdgeValueHigh', logs);
    assert.equal(restored.activeAt, before.activeAt);
    // The stored schedule says the target was scraped less than an interval ago.
    assert.equal(fx.scrapes(), 1);
  });
});
