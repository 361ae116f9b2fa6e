import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { parseConfig } from '../../../../core/config/mod.ts';
import { createLogger } from '../../../../core/log/logger.ts';
import { Registry } from '../../../../core/metrics/mod.ts';
import { ScrapeManager } from '../../../../core/scrape/mod.ts';
import { MemoryStorage } from '../../../../plugins/storage/memory/mod.ts';
import { DuckdbStorage } from '../../../../plugins/storage/duckdb/mod.ts';
import { MemoryStateStore } from '../../../../core/state/mod.ts';
import {
  parseRegistrationRequest,
  registrationApi,
  RegistrationHub,
  registrationMechanism,
  type RegistrationStore,
  stateRegistrationStore,
} from '../../../../plugins/discovery/registration/mod.ts';
import { host, tempDir } from '../../../helpers/host.ts';
import { read } from '../../../core/scrape/fixtures.ts';
import { eventually } from '../../../helpers/process.ts';

const quiet = createLogger({ level: 'error', write: () => {} });
const tmp = tempDir();
after(() => tmp.remove());

const CONFIG = (tokenFile: string) => `
scrape_configs:
  - job_name: apps
    scrape_interval: 1h
    registration_sd_configs:
      - token: apps-secret
        max_ttl: 5m
        labels: { env: prod }
  - job_name: batch
    scrape_interval: 500ms
    scrape_timeout: 400ms
    registration_sd_configs:
      - token_file: ${tokenFile}
`;

interface Setup {
  hub: RegistrationHub;
  app: Hono;
  manager: ScrapeManager;
  registry: Registry;
  clock: { t: number };
  store: RegistrationStore;
  storage: MemoryStorage;
}

async function setup(
  store: RegistrationStore = stateRegistrationStore(new MemoryStateStore()),
): Promise<Setup> {
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const registry = new Registry();
  const hub = new RegistrationHub({
    store,
    logger: quiet,
    registry,
    readTextFile: (p) => host.readTextFile(p),
    now: () => clock.t,
  });
  await hub.load();
  const storage = new MemoryStorage();
  const manager = new ScrapeManager({
    storage,
    logger: quiet,
    mechanisms: [registrationMechanism(hub)],
    discoveryUpdateIntervalMs: 10,
    startImmediately: true,
  });
  const tokenFile = tmp.write('batch.token', 'batch-secret\n');
  await manager.applyConfig(parseConfig(CONFIG(tokenFile), '/tmp/beacon.yml'));
  const api = new Hono();
  registrationApi(hub)(api);
  const app = new Hono();
  app.route('/api/v1', api);
  return { hub, app, manager, registry, clock, store, storage };
}

function send(app: Hono, method: string, url: string, token: string | undefined, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return app.request(url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function targetsOf(m: ScrapeManager, job: string): Record<string, string>[] {
  return (m.targetsActive().get(job) ?? []).map((t) => t.publicLabels().toRecord());
}

describe('registration request', () => {
  test('accepts a full payload and converts the TTL', () => {
    assert.deepEqual(
      parseRegistrationRequest({
        id: 'web-1',
        targets: ['a:1', 'a:1', 'b:2'],
        labels: { team: 'x' },
        ttl: '90s',
      }),
      { id: 'web-1', targets: ['a:1', 'b:2'], labels: { team: 'x' }, ttlMs: 90_000 },
    );
    assert.equal(parseRegistrationRequest({ targets: ['a:1'], ttl: 30 }).ttlMs, 30_000);
  });

  test('names the field that is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [[], /JSON object/],
      [{ targets: 'a:1' }, /targets must be a list/],
      [{ targets: [] }, /must not be empty/],
      [{ targets: ['http://a:1/metrics'] }, /targets\[0\].*not a valid host:port/],
      [{ targets: ['a:1'], labels: { '': 'x' } }, /invalid label name/],
      [{ targets: ['a:1'], labels: { __meta_x: 'x' } }, /reserved/],
      [{ targets: ['a:1'], labels: { a: 1 } }, /must be a string/],
      [{ targets: ['a:1'], ttl: 'soon' }, /ttl must be a duration/],
      [{ targets: ['a:1'], ttl: 0 }, /greater than 0/],
      [{ targets: ['a:1'], id: 'a b' }, /id must be/],
      [{ targets: ['a:1'], extra: 1 }, /unknown field "extra"/],
    ];
    for (const [body, re] of cases) {
      assert.throws(() => parseRegistrationRequest(body), re, JSON.stringify(body));
    }
  });
});

describe('registration discovery', () => {
  test('register, renew, deregister: targets follow, with config labels winning', async () => {
    const s = await setup();
    try {
      const res = await send(s.app, 'POST', '/api/v1/targets/register', 'apps-secret', {
        targets: ['127.0.0.1:9', '127.0.0.1:10'],
        labels: { team: 'web', env: 'dev' },
        ttl: '1h',
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.status, 'success');
      assert.equal(body.data.job, 'apps');
      // max_ttl caps the request.
      assert.equal(body.data.ttl, '5m');
      assert.equal(body.data.expiresAt, new Date(s.clock.t + 300_000).toISOString());
      const id = body.data.id as string;
      assert.match(id, /^[0-9a-f-]{36}$/);

      await eventually(() => Promise.resolve(targetsOf(s.manager, 'apps').length === 2));
      const t = targetsOf(s.manager, 'apps').find((l) => l.instance === '127.0.0.1:9')!;
      assert.equal(t.job, 'apps');
      assert.equal(t.team, 'web');
      assert.equal(t.env, 'prod');
      const discovered = s.manager.targetsActive().get('apps')![0].discoveredLabels.toRecord();
      assert.equal(discovered.__meta_registration_id, id);

      // PUT with an empty body renews: same targets, new expiry.
      s.clock.t += 60_000;
      const renew = await send(s.app, 'PUT', `/api/v1/targets/register/${id}`, 'apps-secret');
      assert.equal(renew.status, 200);
      assert.equal(
        (await renew.json()).data.expiresAt,
        new Date(s.clock.t + 300_000).toISOString(),
      );

      // POST with the id replaces the targets.
      const replace = await send(s.app, 'POST', '/api/v1/targets/register', 'apps-secret', {
        id,
        targets: ['127.0.0.1:11'],
      });
      assert.equal(replace.status, 200);
      await eventually(() =>
        Promise.resolve(
          JSON.stringify(targetsOf(s.manager, 'apps').map((l) => l.instance)) ===
            '["127.0.0.1:11"]',
        )
      );
      assert.equal(targetsOf(s.manager, 'apps')[0].team, undefined);

      const del = await send(s.app, 'DELETE', `/api/v1/targets/register/${id}`, 'apps-secret');
      assert.equal(del.status, 200);
      await eventually(() => Promise.resolve(targetsOf(s.manager, 'apps').length === 0));
      const again = await send(s.app, 'DELETE', `/api/v1/targets/register/${id}`, 'apps-secret');
      assert.equal(again.status, 404);
      const metrics = await s.registry.metrics();
      assert.match(metrics, /beacon_sd_registrations_total\{job="apps"\} 1/);
      assert.match(metrics, /beacon_sd_registration_renewals_total\{job="apps"\} 2/);
      assert.match(metrics, /beacon_sd_registrations_deleted_total\{job="apps"\} 1/);
    } finally {
      await s.manager.stop();
      s.hub.stop();
    }
  });

  test('a lapsed registration disappears, its series go stale, and it is counted', async () => {
    const s = await setup();
    const target = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () =>
        new Response('batch_items 3\n', {
          headers: { 'content-type': 'text/plain; version=0.0.4' },
        }),
    });
    try {
      const res = await send(s.app, 'POST', '/api/v1/targets/register', 'batch-secret', {
        id: 'job-42',
        targets: [target.address],
        ttl: '30s',
      });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).data.job, 'batch');
      await eventually(async () => (await read(s.storage, 'batch_items')).length === 1);
      assert.match(await s.registry.metrics(), /beacon_sd_registrations\{job="batch"\} 1/);
      s.clock.t += 29_000;
      await s.hub.expire();
      assert.equal(s.hub.size, 1);
      s.clock.t += 1_000;
      await s.hub.expire();
      assert.equal(s.hub.size, 0);
      assert.deepEqual(await s.store.list(), []);
      await eventually(() => Promise.resolve(targetsOf(s.manager, 'batch').length === 0));
      // As for any target that goes away: a stale marker ends each of its series.
      await eventually(async () => {
        const [series] = await read(s.storage, 'batch_items');
        return series.samples.at(-1)?.[1] === 'stale';
      });
      const metrics = await s.registry.metrics();
      assert.match(metrics, /beacon_sd_registrations_expired_total\{job="batch"\} 1/);
      assert.doesNotMatch(metrics, /beacon_sd_registrations\{job="batch"\} 1/);
      // Renewing a lapsed id without targets: the exporter must register again.
      const renew = await send(s.app, 'PUT', '/api/v1/targets/register/job-42', 'batch-secret');
      assert.equal(renew.status, 404);
      assert.equal((await renew.json()).errorType, 'not_found');
    } finally {
      await s.manager.stop();
      s.hub.stop();
      await target.close();
    }
  });

  test('refuses missing or wrong tokens, foreign jobs, bad bodies and large bodies', async () => {
    const s = await setup();
    try {
      const ok = { targets: ['127.0.0.1:13'] };
      const cases: [string | undefined, unknown, number, string][] = [
        [undefined, ok, 401, 'unauthorized'],
        ['nope', ok, 401, 'unauthorized'],
        ['apps-secret', { ...ok, job: 'batch' }, 403, 'forbidden'],
        ['apps-secret', '{not json', 400, 'bad_data'],
        ['apps-secret', { targets: [] }, 400, 'bad_data'],
        ['apps-secret', { ...ok, labels: { x: 'y'.repeat(70_000) } }, 413, 'bad_data'],
      ];
      for (const [token, body, status, type] of cases) {
        const res = await send(s.app, 'POST', '/api/v1/targets/register', token, body);
        const j = await res.json();
        assert.equal(res.status, status, JSON.stringify(j));
        assert.deepEqual([j.status, j.errorType], ['error', type]);
        assert.equal(typeof j.error, 'string');
        if (status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
      // An id owned by one job cannot be taken over with another job's token.
      await send(s.app, 'POST', '/api/v1/targets/register', 'apps-secret', { id: 'x', ...ok });
      const steal = await send(s.app, 'POST', '/api/v1/targets/register', 'batch-secret', {
        id: 'x',
        ...ok,
      });
      assert.equal(steal.status, 403);
      assert.match(
        await s.registry.metrics(),
        /beacon_sd_registration_requests_rejected_total\{reason="unauthorized"\} 2/,
      );
    } finally {
      await s.manager.stop();
      s.hub.stop();
    }
  });

  test('without any registration_sd_configs the endpoint says it is not enabled', async () => {
    const hub = new RegistrationHub({
      store: stateRegistrationStore(new MemoryStateStore()),
      logger: quiet,
    });
    await hub.load();
    const api = new Hono();
    registrationApi(hub)(api);
    const res = await send(api, 'POST', '/targets/register', 'x', { targets: ['a:1'] });
    assert.equal(res.status, 404);
    assert.match((await res.json()).error, /not enabled/);
  });

  test('registrations survive a restart through the DuckDB state store', async () => {
    const dir = path.join(tmp.dir, 'data');
    let storage = await DuckdbStorage.open({ path: dir });
    const first = await setup(stateRegistrationStore(storage.stateStore()));
    let id = '';
    try {
      const res = await send(first.app, 'POST', '/api/v1/targets/register', 'apps-secret', {
        targets: ['127.0.0.1:14'],
        labels: { team: 'db' },
        ttl: '2m',
      });
      id = (await res.json()).data.id;
    } finally {
      await first.manager.stop();
      first.hub.stop();
      await storage.close();
    }
    // A new process: the same data directory opened again.
    storage = await DuckdbStorage.open({ path: dir });
    const second = await setup(stateRegistrationStore(storage.stateStore()));
    try {
      await eventually(() => Promise.resolve(targetsOf(second.manager, 'apps').length === 1));
      const t = targetsOf(second.manager, 'apps')[0];
      assert.deepEqual([t.instance, t.team], ['127.0.0.1:14', 'db']);
      assert.equal(second.hub.list()[0].id, id);
    } finally {
      await second.manager.stop();
      second.hub.stop();
    }
    // Registrations that lapsed while Beacon was down are dropped on load.
    const later = new RegistrationHub({
      store: stateRegistrationStore(storage.stateStore()),
      logger: quiet,
      now: () => Date.now() + 3_600_000,
    });
    await later.load();
    assert.equal(later.size, 0);
    assert.deepEqual(await storage.stateStore().listRegistrations(), []);
    await storage.close();
  });
});

describe('registration_sd_configs config', () => {
  test('needs exactly one token source and sane TTLs', () => {
    const job = (block: string) =>
      `scrape_configs:\n  - job_name: a\n    registration_sd_configs:\n      - ${block}\n`;
    assert.throws(() => parseConfig(job('max_ttl: 1m'), '/tmp/x.yml'), /exactly one of token/);
    assert.throws(
      () => parseConfig(job('{ token: a, token_file: b }'), '/tmp/x.yml'),
      /exactly one of token/,
    );
    assert.throws(
      () => parseConfig(job('{ token: a, default_ttl: 2h }'), '/tmp/x.yml'),
      /default_ttl must not be greater than max_ttl/,
    );
    assert.throws(
      () => parseConfig(job('{ token: a, tokn: b }'), '/tmp/x.yml'),
      /field tokn not found in type registration.plain/,
    );
    const cfg = parseConfig(job('{ token: a }'), '/tmp/x.yml');
    const entry = cfg.scrape_configs[0].registration_sd_configs![0];
    assert.equal(entry.max_ttl.ms, 3_600_000);
    assert.equal(entry.default_ttl.ms, 60_000);
    assert.equal(String(entry.token), '<secret>');
  });
});

describe('registration in a runtime', () => {
  test('the built-in service serves the API and registrations survive a restart', async () => {
    const { Runtime } = await import('../../../../core/runtime/mod.ts');
    const { PluginRegistry } = await import('../../../../core/plugin.ts');
    const { createImporter } = await import('../../../../adapters/shared/importer.ts');
    const plugins = await import('../../../../plugins/mod.ts');
    const { nativeNpm } = await import('../../../helpers/host.ts');
    const file = tmp.write(
      'runtime.yml',
      `global: { scrape_interval: 1h }
scrape_configs:
  - job_name: apps
    registration_sd_configs: [{ token: rt-secret }]
`,
    );
    const dataDir = path.join(tmp.dir, 'runtime-data');
    const create = () =>
      Runtime.create({
        host,
        logger: quiet,
        plugins: new PluginRegistry(createImporter(nativeNpm), plugins.BUILTIN_PLUGINS),
        configFile: file,
        flags: { 'config.file': file, 'storage.tsdb.path': dataDir },
        routePrefix: '',
        enableLifecycle: false,
        enableAdminApi: false,
        discoveryMechanisms: plugins.BUILTIN_DISCOVERY,
        services: plugins.BUILTIN_SERVICES,
        parseMatchers: plugins.parseSeriesSelector,
        parseExpr: plugins.parsePromQL,
      });
    const active = async (rt: { app: Hono }) =>
      ((await (await rt.app.request('/api/v1/targets')).json()).data.activeTargets as {
        labels: Record<string, string>;
      }[]).map((t) => t.labels.instance);

    const first = await create();
    await first.start();
    try {
      const res = await send(first.app, 'POST', '/api/v1/targets/register', 'rt-secret', {
        id: 'svc-a',
        targets: ['127.0.0.1:15'],
      });
      assert.equal(res.status, 200, await res.clone().text());
      await eventually(async () => (await active(first)).length === 1);
      assert.match(
        await (await first.app.request('/metrics')).text(),
        /beacon_sd_registrations\{job="apps"\} 1/,
      );
    } finally {
      await first.stop();
    }
    // Kept in the DuckDB file's state tables.
    assert.ok(existsSync(path.join(dataDir, 'beacon.duckdb')));
    const second = await create();
    await second.start();
    try {
      await eventually(async () => (await active(second)).length === 1);
      assert.deepEqual(await active(second), ['127.0.0.1:15']);
    } finally {
      await second.stop();
    }
  });
});
