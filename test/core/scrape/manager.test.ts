import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { parseConfig } from '../../../core/config/mod.ts';
import { scrapeApi, ScrapeManager } from '../../../core/scrape/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { staticMechanism } from '../../../plugins/discovery/static/mod.ts';
import { fileMechanism } from '../../../plugins/discovery/file/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';
import { type FakeTargets, quiet, read, serveTargets, text } from './fixtures.ts';

let srv: FakeTargets;
before(async () => {
  srv = await serveTargets({ '/metrics': text('# TYPE ok_metric gauge\nok_metric 1\n') });
});
after(() => srv.close());

async function until(what: string, fn: () => Promise<boolean> | boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function config(yaml: string) {
  return parseConfig(yaml, '/tmp/prometheus.yml');
}

function manager(storage: MemoryStorage) {
  return new ScrapeManager({
    storage,
    logger: quiet,
    host,
    mechanisms: [staticMechanism, fileMechanism],
    discoveryUpdateIntervalMs: 50,
    startImmediately: true,
  });
}

async function api(m: ScrapeManager, path: string) {
  const app = new Hono();
  scrapeApi(m)(app);
  const res = await app.request(path);
  assert.equal(res.status, 200);
  return (await res.json()) as { status: string; data: Record<string, unknown> };
}

describe('ScrapeManager', () => {
  test('scrapes static targets; a broken one is down while the other goes on', async () => {
    const storage = new MemoryStorage();
    const m = manager(storage);
    try {
      await m.applyConfig(config(`
scrape_configs:
  - job_name: web
    scrape_interval: 200ms
    scrape_timeout: 200ms
    static_configs:
      - targets: ['${srv.address}', '127.0.0.1:1']
        labels: { env: test }
    relabel_configs:
      - source_labels: [__address__]
        regex: 'drop.*'
        action: drop
  - job_name: dropped
    static_configs:
      - targets: ['drop-me:1']
    relabel_configs:
      - action: drop
        source_labels: [__address__]
        regex: 'drop.*'
`));
      await until('two up samples per target', async () => {
        const ups = await read(storage, 'up');
        return ups.length === 2 && ups.every((s) => s.samples.length >= 2);
      });
      const ups = await read(storage, 'up');
      const byInstance = Object.fromEntries(ups.map((s) => [s.labels.instance, s]));
      assert.ok(byInstance[srv.address].samples.every(([, v]) => v === 1));
      assert.ok(byInstance['127.0.0.1:1'].samples.every(([, v]) => v === 0));
      assert.equal(byInstance[srv.address].labels.env, 'test');

      const body = await api(m, '/targets');
      assert.equal(body.status, 'success');
      const active = body.data.activeTargets as Record<string, unknown>[];
      assert.equal(active.length, 2);
      const good = active.find((t) =>
        (t.labels as Record<string, string>).instance === srv.address
      )!;
      assert.equal(good.health, 'up');
      assert.equal(good.scrapePool, 'web');
      assert.equal(good.scrapeUrl, `http://${srv.address}/metrics`);
      assert.equal(good.scrapeInterval, '200ms');
      assert.deepEqual(good.labels, { env: 'test', instance: srv.address, job: 'web' });
      assert.equal((good.discoveredLabels as Record<string, string>).__address__, srv.address);
      const bad = active.find((t) => t !== good)!;
      assert.equal(bad.health, 'down');
      assert.match(String(bad.lastError), /127\.0\.0\.1:1/);
      assert.deepEqual(body.data.droppedTargetCounts, { dropped: 1, web: 0 });
      assert.equal((body.data.droppedTargets as unknown[]).length, 1);

      const onlyDropped = await api(m, '/targets?state=dropped&scrapePool=dropped');
      assert.deepEqual(onlyDropped.data.activeTargets, []);
      assert.deepEqual(onlyDropped.data.droppedTargetCounts, { dropped: 1 });
      const pools = await api(m, '/scrape_pools');
      assert.deepEqual(pools.data, { scrapePools: ['dropped', 'web'] });
      const meta = await api(m, '/targets/metadata?metric=ok_metric');
      assert.equal((meta.data as unknown as unknown[]).length, 1);
    } finally {
      await m.stop();
    }
  });

  test('reapplying a config restarts only changed jobs; removing a job stales its series', async () => {
    const storage = new MemoryStorage();
    const m = manager(storage);
    const yaml = (bLimit: number) => `
scrape_configs:
  - job_name: a
    scrape_interval: 100ms
    scrape_timeout: 100ms
    static_configs: [{ targets: ['${srv.address}'] }]
  - job_name: b
    scrape_interval: 100ms
    scrape_timeout: 100ms
    sample_limit: ${bLimit}
    static_configs: [{ targets: ['${srv.address}'] }]
`;
    try {
      await m.applyConfig(config(yaml(0)));
      await until(
        'targets',
        () => m.pool('a')!.loops().length === 1 && m.pool('b')!.loops().length === 1,
      );
      const loopA = m.pool('a')!.loops()[0], loopB = m.pool('b')!.loops()[0];
      await m.applyConfig(config(yaml(0)));
      assert.equal(m.pool('a')!.loops()[0], loopA);
      assert.equal(m.pool('b')!.loops()[0], loopB);
      await m.applyConfig(config(yaml(1000)));
      assert.equal(m.pool('a')!.loops()[0], loopA, 'job a is untouched');
      assert.notEqual(m.pool('b')!.loops()[0], loopB, 'job b restarted');
      assert.equal(
        m.pool('b')!.loops()[0].cache,
        loopB.cache,
        'a sample_limit change keeps the cache',
      );
      await until('job a scraped', async () => (await read(storage, 'ok_metric')).length === 2);
      // Remove job a: its series get stale markers after two intervals.
      await m.applyConfig(config(`
scrape_configs:
  - job_name: b
    scrape_interval: 100ms
    scrape_timeout: 100ms
    sample_limit: 1000
    static_configs: [{ targets: ['${srv.address}'] }]
`));
      await m.settled();
      const a = (await read(storage, 'ok_metric')).find((s) => s.labels.job === 'a')!;
      assert.equal(a.samples[a.samples.length - 1][1], 'stale');
      const b = (await read(storage, 'ok_metric')).find((s) => s.labels.job === 'b')!;
      assert.notEqual(b.samples[b.samples.length - 1][1], 'stale');
    } finally {
      await m.stop();
    }
  });

  test('target_limit fails every target of the job', async () => {
    const storage = new MemoryStorage();
    const m = manager(storage);
    try {
      await m.applyConfig(config(`
scrape_configs:
  - job_name: lim
    scrape_interval: 200ms
    scrape_timeout: 200ms
    target_limit: 1
    static_configs: [{ targets: ['${srv.address}', 'localhost:${srv.address.split(':')[1]}'] }]
`));
      await until('reports', async () => (await read(storage, 'up')).length === 2);
      for (const t of m.targetsActive().get('lim')!) {
        await until('scraped', () => t.health !== 'unknown');
        assert.equal(t.lastError, 'target_limit exceeded (number of targets: 2, limit: 1)');
      }
      assert.deepEqual(await read(storage, 'ok_metric'), []);
    } finally {
      await m.stop();
    }
  });

  test('file_sd targets appear and follow the file', async () => {
    const dir = tempDir();
    const storage = new MemoryStorage();
    const m = manager(storage);
    try {
      dir.write(
        'targets.json',
        JSON.stringify([{ targets: [srv.address], labels: { team: 'a' } }]),
      );
      await m.applyConfig(config(`
scrape_configs:
  - job_name: files
    scrape_interval: 200ms
    scrape_timeout: 200ms
    file_sd_configs:
      - files: ['${dir.dir}/*.json']
        refresh_interval: 100ms
`));
      await until(
        'file target scraped',
        async () => (await read(storage, 'ok_metric')).length === 1,
      );
      assert.equal((await read(storage, 'ok_metric'))[0].labels.team, 'a');
      dir.write(
        'targets.json',
        JSON.stringify([{ targets: [srv.address], labels: { team: 'b' } }]),
      );
      await until(
        'relabelled target',
        async () => (await read(storage, 'ok_metric')).some((s) => s.labels.team === 'b'),
      );
    } finally {
      await m.stop();
      dir.remove();
    }
  });
});
