// The Cloudflare Worker build on real workerd (from npm): `npm run build:worker`'s bundle is
// served by `workerd serve` with a generated config — the Worker with its Durable Object, and a
// second Worker whose service binding calls the Beacon Worker's `scheduled()` handler, as
// workerd's own cron module does at each occurrence, so a test need not wait for a minute
// boundary. Checks that one tick scrapes a local target, evaluates the rules, delivers the alert
// to a local webhook and remote-writes the samples, and that the alert state outlives the tick.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { repoRoot, tempDir } from '../helpers/host.ts';
import { eventually, freePort } from '../helpers/process.ts';
import { type EdgeFixture, RULES_PATH, startEdgeFixture } from './edge_fixture.ts';

const workerd = path.join(repoRoot, 'node_modules', '.bin', 'workerd');
const skip = existsSync(workerd) || process.env.CI === 'true'
  ? false
  : 'workerd is not installed (npm install --save-dev workerd); skipping the Workers test';
if (skip) console.log(skip);

interface Alert {
  labels: Record<string, string>;
  state: string;
  activeAt: string;
}

describe('Cloudflare Worker on workerd', { skip }, () => {
  const tmp = tempDir();
  let fx: EdgeFixture;
  let child: ChildProcess | undefined;
  let logs = '';
  let api = '';
  let trigger = '';

  const get = async (p: string) => {
    const res = await fetch(`${api}${p}`);
    return { status: res.status, body: await res.text() };
  };
  const query = async (q: string) => {
    const { body } = await get(`/api/v1/query?query=${encodeURIComponent(q)}`);
    return JSON.parse(body).data.result as { metric: Record<string, string>; value: unknown[] }[];
  };
  const alerts = async () => JSON.parse((await get('/api/v1/alerts')).body).data.alerts as Alert[];
  const tick = async (cron = '* * * * *') => {
    const res = await fetch(`${trigger}/?cron=${encodeURIComponent(cron)}`);
    const body = await res.text();
    assert.equal(res.status, 200, `${body}\n${logs}`);
    return JSON.parse(body) as { outcome: string };
  };

  before(async () => {
    const build = spawnSync(
      'node',
      ['scripts/build-worker.mjs', `--outfile=${path.join(tmp.dir, 'worker.mjs')}`],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    assert.equal(build.status, 0, `build:worker failed:\n${build.stdout}${build.stderr}`);
    fx = await startEdgeFixture();
    const [apiPort, triggerPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${apiPort}`;
    trigger = `http://127.0.0.1:${triggerPort}`;
    writeFileSync(path.join(tmp.dir, 'prometheus.yml'), fx.config);
    writeFileSync(path.join(tmp.dir, 'files.json'), JSON.stringify({ [RULES_PATH]: fx.rules }));
    copyFileSync(
      path.join(repoRoot, 'test', 'runtime', 'workers_trigger.mjs'),
      path.join(tmp.dir, 'trigger.mjs'),
    );
    writeFileSync(path.join(tmp.dir, 'config.capnp'), capnpConfig(apiPort, triggerPort));
    mkdirSync(path.join(tmp.dir, 'do-store'));
    await startWorkerd();
  });

  async function startWorkerd(): Promise<void> {
    logs = '';
    child = spawn(workerd, ['serve', 'config.capnp', '--experimental'], {
      cwd: tmp.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    await eventually(async () => {
      try {
        return (await get('/-/ready')).status === 200;
      } catch {
        return false;
      }
    }, 30_000).catch(() => {
      throw new Error(`workerd did not serve the Worker:\n${logs}`);
    });
  }

  async function stopWorkerd(): Promise<void> {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('close', r));
      child.kill('SIGTERM');
      await exited;
    }
  }

  after(async () => {
    await stopWorkerd();
    await fx?.close();
    tmp.remove();
  });

  test('before a tick, nothing is stored and nothing was scraped', async () => {
    assert.equal(fx.scrapes(), 0);
    assert.deepEqual(await query('edge_test_value'), []);
  });

  test('the scheduled handler runs one tick: scrape, rules, webhook, remote write', async () => {
    assert.equal((await tick()).outcome, 'ok');
    assert.equal(fx.scrapes(), 1);

    const value = await query('edge_test_value');
    assert.equal(value.length, 1, logs);
    assert.equal(value[0].metric.job, 'edge-target');
    assert.equal(value[0].value[1], '42');
    assert.equal((await query('edge:value:doubled'))[0]?.value[1], '84');
    assert.equal((await query('up'))[0]?.value[1], '1');

    const firing = await alerts();
    assert.equal(firing.length, 1);
    assert.equal(firing[0].labels.alertname, 'EdgeValueHigh');
    assert.equal(firing[0].state, 'firing');

    // The tick waits for its notifications and its push before it returns.
    const hooks = fx.webhooks();
    assert.equal(hooks.length, 1, logs);
    assert.equal(hooks[0].status, 'firing');
    assert.equal(hooks[0].alerts[0].labels.alertname, 'EdgeValueHigh');
    assert.equal(hooks[0].alerts[0].labels.site, 'edge-test');

    const series = fx.writes().flatMap((w) => w.timeseries);
    const pushed = series.find((s) =>
      s.labels.some((l) => l.name === '__name__' && l.value === 'edge_test_value')
    );
    assert.ok(pushed, `no edge_test_value in ${fx.writes().length} remote-write requests`);
    assert.ok(pushed.labels.some((l) => l.name === 'site' && l.value === 'edge-test'));
    assert.equal(pushed.samples[0].value, 42);
    assert.ok(series.some((s) => s.labels.some((l) => l.value === 'edge:value:doubled')));
  });

  test('a second tick keeps the alert active since the first and pushes only new samples', async () => {
    const [before] = await alerts();
    const pushedBefore = fx.writes().flatMap((w) => w.timeseries).flatMap((s) => s.samples);
    // The target's interval (1m) has not passed: the tick scrapes nothing and evaluates nothing.
    assert.equal((await tick()).outcome, 'ok');
    assert.equal(fx.scrapes(), 1);
    const [again] = await alerts();
    assert.equal(again.activeAt, before.activeAt);
    const pushedAfter = fx.writes().flatMap((w) => w.timeseries).flatMap((s) => s.samples);
    assert.equal(pushedAfter.length, pushedBefore.length, 'samples were pushed twice');
  });

  test('internal and tick paths are closed to the outside', async () => {
    assert.equal((await get('/__beacon/scheduled')).status, 404);
    const res = await fetch(`${api}/-/edge/tick`, { method: 'POST' });
    await res.body?.cancel();
    assert.equal(res.status, 404);
  });

  test('after a restart, the alert state comes back from the Durable Object storage', async () => {
    const [before] = await alerts();
    await stopWorkerd();
    await startWorkerd();
    // The memory storage is gone with the isolate: that is the edge's limit.
    assert.deepEqual(await query('edge_test_value'), []);
    assert.equal((await tick()).outcome, 'ok');
    const [restored] = await alerts();
    assert.equal(restored?.labels.alertname, 'EdgeValueHigh', logs);
    assert.equal(restored.activeAt, before.activeAt);
    // Nothing was due (the last scrape is stored too), so nothing was scraped again.
    assert.equal(fx.scrapes(), 1);
  });

  function capnpConfig(apiPort: number, triggerPort: number): string {
    return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "beacon", worker = .beaconWorker),
    (name = "trigger", worker = .triggerWorker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
    (name = "do-store", disk = (path = ${
      JSON.stringify(path.join(tmp.dir, 'do-store'))
    }, writable = true)),
  ],
  sockets = [
    (name = "api", address = "127.0.0.1:${apiPort}", http = (), service = "beacon"),
    (name = "trigger", address = "127.0.0.1:${triggerPort}", http = (), service = "trigger"),
  ],
);

const beaconWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2025-01-01",
  bindings = [
    (name = "BEACON_CONFIG", text = embed "prometheus.yml"),
    (name = "BEACON_FILES", json = embed "files.json"),
    (name = "BEACON", durableObjectNamespace = "BeaconObject"),
  ],
  durableObjectNamespaces = [(className = "BeaconObject", uniqueKey = "beacon-edge-test")],
  durableObjectStorage = (localDisk = "do-store"),
  globalOutbound = "internet",
);

const triggerWorker :Workerd.Worker = (
  modules = [(name = "trigger.mjs", esModule = embed "trigger.mjs")],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["service_binding_extra_handlers"],
  bindings = [(name = "BEACON", service = "beacon")],
);
`;
  }
});
