import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import process from 'node:process';
import { PluginRegistry } from '../../../core/plugin.ts';
import { Runtime, type RuntimeOptions } from '../../../core/runtime/mod.ts';
import { createImporter } from '../../../adapters/shared/importer.ts';
import {
  BUILTIN_DISCOVERY,
  BUILTIN_PLUGINS,
  parsePromQL,
  parseSeriesSelector,
} from '../../../plugins/mod.ts';
import { host, nativeNpm, recordingLogger, repoRoot, tempDir } from '../../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

const GOOD = `global:
  scrape_interval: 30s
scrape_configs:
  - job_name: node
    basic_auth:
      username: admin
      password: s3cr3t-pa55
    static_configs:
      - targets: ['localhost:9100']
`;

let dataDirs = 0;

function options(configFile: string, extra: Partial<RuntimeOptions> = {}) {
  const { logger, lines } = recordingLogger();
  const opts: RuntimeOptions = {
    host,
    logger,
    plugins: new PluginRegistry(createImporter(nativeNpm), BUILTIN_PLUGINS),
    configFile,
    flags: {
      'config.file': configFile,
      'storage.tsdb.path': path.join(tmp.dir, `data-${++dataDirs}`),
    },
    routePrefix: '',
    enableLifecycle: false,
    enableAdminApi: false,
    discoveryMechanisms: BUILTIN_DISCOVERY,
    parseMatchers: parseSeriesSelector,
    parseExpr: parsePromQL,
    ...extra,
  };
  return { opts, lines };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return await res.json() as Record<string, unknown>;
}

describe('Runtime', () => {
  test('is unready until started, then serves health, metrics and status', async () => {
    const file = tmp.write('good.yml', GOOD);
    const { opts } = options(file);
    const rt = await Runtime.create(opts);
    assert.equal((await rt.app.request('/-/ready')).status, 503);
    assert.equal((await rt.app.request('/-/healthy')).status, 200);
    await rt.start();
    assert.equal((await rt.app.request('/-/ready')).status, 200);

    const metrics = await (await rt.app.request('/metrics')).text();
    assert.match(metrics, /^beacon_build_info\{.*version="0\.1\.0".*\} 1$/m);
    assert.match(metrics, /^beacon_config_last_reload_successful 1$/m);
    assert.match(metrics, /^process_resident_memory_bytes \d/m);

    const om = await rt.app.request('/metrics', {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    assert.match(await om.text(), /# EOF\n$/);

    const build = await json(await rt.app.request('/api/v1/status/buildinfo'));
    assert.equal(build.status, 'success');
    const data = build.data as Record<string, string>;
    for (const k of ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion']) {
      assert.equal(typeof data[k], 'string', k);
    }
    assert.ok(!('features' in data), 'no features field: Grafana would take Beacon for Mimir');

    const cfg = await json(await rt.app.request('/api/v1/status/config'));
    const yaml = (cfg.data as { yaml: string }).yaml;
    assert.match(yaml, /scrape_interval: 30s/);
    assert.match(yaml, /password: <secret>/);
    assert.ok(!yaml.includes('s3cr3t-pa55'), 'secret must not appear');

    const flags = await json(await rt.app.request('/api/v1/status/flags'));
    assert.equal((flags.data as Record<string, string>)['config.file'], file);

    const info = await json(await rt.app.request('/api/v1/status/runtimeinfo'));
    assert.equal((info.data as Record<string, unknown>).reloadConfigSuccess, true);

    const nf = await rt.app.request('/api/v1/does-not-exist');
    assert.equal(nf.status, 404);
    assert.deepEqual(await json(nf), {
      status: 'error',
      errorType: 'not_found',
      error: 'unknown API endpoint GET /api/v1/does-not-exist',
    });
    await rt.stop();
  });

  test('uses the embedded default config when the file does not exist', async () => {
    const { opts, lines } = options(path.join(tmp.dir, 'missing.yml'));
    const rt = await Runtime.create(opts);
    assert.equal(rt.config.scrape_configs[0].job_name, 'beacon');
    assert.ok(lines.some((l) => l.includes('embedded default config')));
  });

  test('a bad config at start fails with every error positioned', async () => {
    const file = tmp.write(
      'bad.yml',
      'global:\n  scrape_interval: 10x\nscrape_configs:\n  - job_name: a\n    bogus: 1\n',
    );
    const { opts } = options(file);
    await assert.rejects(Runtime.create(opts), (e: Error & { errors?: unknown[] }) => {
      assert.equal(e.errors?.length, 2);
      assert.match(String(e.errors?.[0]), /bad\.yml:2:\d+: global\.scrape_interval: .*10x/);
      assert.match(String(e.errors?.[1]), /bad\.yml:5:\d+: scrape_configs\[0\]\.bogus/);
      return true;
    });
  });

  test('reload: an invalid file keeps the old config and reports failure; a valid one applies', async () => {
    const file = tmp.write('reload.yml', GOOD);
    const { opts, lines } = options(file, { enableLifecycle: true });
    const rt = await Runtime.create(opts);
    await rt.start();
    tmp.write('reload.yml', 'scrape_configs:\n  - job_name: x\n    scrape_interval: nope\n');
    const res = await rt.app.request('/-/reload', { method: 'POST' });
    assert.equal(res.status, 500);
    assert.match(await res.text(), /reload\.yml:3:\d+: scrape_configs\[0\]\.scrape_interval/);
    assert.equal(rt.config.scrape_configs[0].job_name, 'node', 'old config still in force');
    assert.match(
      await (await rt.app.request('/metrics')).text(),
      /^beacon_config_last_reload_successful 0$/m,
    );
    assert.ok(lines.some((l) => l.includes('level=ERROR') && l.includes('scrape_interval')));

    tmp.write('reload.yml', GOOD.replace('job_name: node', 'job_name: other'));
    assert.equal((await rt.app.request('/-/reload', { method: 'POST' })).status, 200);
    assert.equal(rt.config.scrape_configs[0].job_name, 'other');
    assert.match(
      await (await rt.app.request('/metrics')).text(),
      /^beacon_config_last_reload_successful 1$/m,
    );
    await rt.stop();
  });

  test('external labels expand environment variables, as Prometheus 3 does', async () => {
    process.env.BEACON_TEST_REGION = 'eu-west-9';
    const file = tmp.write(
      'env.yml',
      'global:\n  external_labels:\n    region: $BEACON_TEST_REGION\n',
    );
    const rt = await Runtime.create(options(file).opts);
    assert.equal(rt.config.global.external_labels.region, 'eu-west-9');
  });

  test('scrapes the targets of its config into storage; a reload changes the targets', async () => {
    const target = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => new Response('# TYPE demo_total counter\ndemo_total{kind="a"} 7\n'),
    });
    const broken = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => new Response('oops', { status: 500 }),
    });
    const cfg = (targets: string[]) =>
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\nscrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ${
        JSON.stringify(targets)
      }\n`;
    const file = tmp.write('scrape.yml', cfg([target.address, broken.address]));
    const rt = await Runtime.create(options(file, { enableLifecycle: true }).opts);
    await rt.start();
    try {
      const { eventually } = await import('../../helpers/process.ts');
      const targets = async () =>
        ((await json(await rt.app.request('/api/v1/targets'))).data as {
          activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
        }).activeTargets;
      await eventually(async () => {
        const ts = await targets();
        return ts.length === 2 && ts.every((t) => t.health !== 'unknown');
      });
      const byInstance = new Map((await targets()).map((t) => [t.labels.instance, t]));
      assert.equal(byInstance.get(target.address)?.health, 'up');
      assert.equal(byInstance.get(broken.address)?.health, 'down');
      assert.match(byInstance.get(broken.address)?.lastError ?? '', /500/);

      const { Matcher } = await import('../../../core/model/mod.ts');
      const q = rt.storage.querier(0, Date.now() + 60_000);
      const up = await q.select([Matcher.create('=', '__name__', 'up')]);
      const values = new Map<string, number>();
      for (const series of up) {
        const { v } = series.samples();
        values.set(series.labels.get('instance'), v[v.length - 1]);
      }
      assert.equal(values.get(target.address), 1);
      assert.equal(values.get(broken.address), 0);
      const demo = await q.select([Matcher.create('=', '__name__', 'demo_total')]);
      const first = [...demo][0];
      assert.equal(
        first.labels.toString(),
        `{__name__="demo_total", instance="${target.address}", job="demo", kind="a"}`,
      );

      // The query API answers over what was scraped.
      const q1 = await json(await rt.app.request('/api/v1/query?query=sum%20by%20(job)%20(up)'));
      assert.equal(q1.status, 'success');
      const r1 = q1.data as {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      };
      assert.equal(r1.resultType, 'vector');
      assert.deepEqual(r1.result.map((r) => [r.metric, r.value[1]]), [[{ job: 'demo' }, '1']]);
      const bad = await rt.app.request('/api/v1/query?query=sum(up');
      assert.equal(bad.status, 400);
      const badBody = await json(bad);
      assert.equal(badBody.errorType, 'bad_data');
      assert.match(String(badBody.error), /1:\d+: parse error/);
      const series = await json(await rt.app.request('/api/v1/series?match[]=demo_total'));
      assert.equal((series.data as unknown[]).length, 1);
      const fed = await rt.app.request('/federate?match[]=demo_total');
      assert.equal(fed.status, 200);
      assert.match(
        await fed.text(),
        new RegExp(
          `^demo_total\\{instance="${target.address}",job="demo",kind="a"\\} 7 \\d+$`,
          'm',
        ),
      );
      const names = await json(await rt.app.request('/api/v1/label/__name__/values'));
      assert.ok((names.data as string[]).includes('scrape_duration_seconds'));

      tmp.write('scrape.yml', cfg([target.address]));
      assert.equal((await rt.app.request('/-/reload', { method: 'POST' })).status, 200);
      await eventually(async () => (await targets()).length === 1);
      assert.deepEqual((await targets()).map((t) => t.labels.instance), [target.address]);
    } finally {
      await rt.stop();
      await target.close();
      await broken.close();
    }
  });

  test('remote-write receiver, TSDB status and admin API follow their flags', async () => {
    const { WriteRequestEncoder, snappyCompress } = await import('../../../core/remote/mod.ts');
    const { Labels } = await import('../../../core/model/mod.ts');
    const enc = new WriteRequestEncoder();
    const now = Date.now();
    enc.addSeries(Labels.from({ __name__: 'pushed_total', job: 'rw' }), [now - 1000, now], [1, 2]);
    const body = snappyCompress(enc.finish());
    const post = (rt: Runtime) =>
      rt.app.request('/api/v1/write', {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        body,
      });

    const off = await Runtime.create(options(tmp.write('rw-off.yml', GOOD)).opts);
    await off.start();
    assert.equal((await post(off)).status, 404, 'receiver is off without its flag');
    const admin = await off.app.request('/api/v1/admin/tsdb/delete_series?match[]=up', {
      method: 'POST',
    });
    assert.equal(admin.status, 500);
    assert.equal((await json(admin)).error, 'admin APIs disabled');
    await off.stop();

    const on = await Runtime.create(
      options(tmp.write('rw-on.yml', 'scrape_configs: []\n'), {
        enableRemoteWriteReceiver: true,
        enableAdminApi: true,
      }).opts,
    );
    await on.start();
    assert.equal((await post(on)).status, 204);
    // Remote read answers with what was written (sampled response).
    const { encodeReadRequest, decodeReadResponse } = await import('../../../core/remote/mod.ts');
    const readReq = snappyCompress(encodeReadRequest({
      queries: [{
        startTimestampMs: now - 60_000,
        endTimestampMs: now + 1000,
        matchers: [{ type: '=', name: '__name__', value: 'pushed_total' }],
      }],
      acceptedResponseTypes: [],
    }));
    const read = await on.app.request('/api/v1/read', { method: 'POST', body: readReq });
    assert.equal(read.status, 200);
    const { snappyDecompress } = await import('../../../core/remote/mod.ts');
    const answer = decodeReadResponse(snappyDecompress(new Uint8Array(await read.arrayBuffer())));
    const series = answer.results[0].timeseries;
    assert.equal(series.length, 1);
    assert.deepEqual(series[0].samples.map((s) => s.value), [1, 2]);
    const tsdb = await json(await on.app.request('/api/v1/status/tsdb'));
    const stats = tsdb.data as {
      headStats: { numSeries: number };
      seriesCountByMetricName: { name: string }[];
    };
    assert.equal(stats.headStats.numSeries, 1);
    assert.equal(stats.seriesCountByMetricName[0].name, 'pushed_total');
    const del = await on.app.request('/api/v1/admin/tsdb/delete_series?match[]=pushed_total', {
      method: 'POST',
    });
    assert.equal(del.status, 204);
    await on.stop();
  });

  test('built-in routing: alerts posted to /api/v2/alerts reach a webhook receiver', async () => {
    const received: Record<string, unknown>[] = [];
    const hook = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (req) => {
        received.push(await req.json() as Record<string, unknown>);
        return new Response(null, { status: 200 });
      },
    });
    const cfg = `scrape_configs: []
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 100ms
receivers:
  - name: hook
    webhook_configs:
      - url: http://${hook.address}/alerts
`;
    const rt = await Runtime.create(
      options(tmp.write('route.yml', cfg), { enableLifecycle: true }).opts,
    );
    await rt.start();
    try {
      const res = await rt.app.request('/api/v2/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{
          labels: { alertname: 'DiskFull', severity: 'page' },
          annotations: { summary: 'full' },
        }]),
      });
      assert.equal(res.status, 200);
      const { eventually } = await import('../../helpers/process.ts');
      await eventually(() => Promise.resolve(received.length > 0), 10_000);
      const payload = received[0] as {
        version: string;
        status: string;
        receiver: string;
        alerts: { labels: Record<string, string> }[];
      };
      assert.equal(payload.version, '4');
      assert.equal(payload.status, 'firing');
      assert.equal(payload.receiver, 'hook');
      assert.equal(payload.alerts[0].labels.alertname, 'DiskFull');

      // A receiver block its plugin rejects: the reload fails with its place, routing goes on.
      tmp.write('route.yml', cfg + '        bogus_field: 1\n');
      const bad = await rt.app.request('/-/reload', { method: 'POST' });
      assert.equal(bad.status, 500);
      assert.match(await bad.text(), /route\.yml:\d+:\d+: receivers\[0\]\.webhook_configs\[0\]/);
      assert.ok(rt.routing.active);
    } finally {
      await rt.stop();
      await hook.close();
    }
    const off = await Runtime.create(
      options(tmp.write('noroute.yml', 'scrape_configs: []\n')).opts,
    );
    assert.equal((await off.app.request('/api/v2/alerts')).status, 404);
  });

  test('rules: recording results are queryable; an alert fires and reaches the routed webhook', async () => {
    const broken = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => new Response('down', { status: 503 }),
    });
    const received: {
      alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
    }[] = [];
    const hook = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (req) => {
        received.push(await req.json() as (typeof received)[number]);
        return new Response(null, { status: 200 });
      },
    });
    tmp.write(
      'rules.yml',
      `groups:
  - name: demo
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: TargetDown
        expr: up == 0
        labels: { severity: page }
        annotations: { summary: '{{ $labels.instance }} is down' }
`,
    );
    const cfg = `global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
  evaluation_interval: 500ms
  external_labels: { cluster: test }
rule_files: [rules.yml]
scrape_configs:
  - job_name: demo
    static_configs: [{ targets: ['${broken.address}'] }]
route:
  receiver: hook
  group_wait: 100ms
receivers:
  - name: hook
    webhook_configs: [{ url: 'http://${hook.address}/' }]
`;
    const rt = await Runtime.create(
      options(tmp.write('alerting.yml', cfg), { enableLifecycle: true }).opts,
    );
    await rt.start();
    try {
      const { eventually } = await import('../../helpers/process.ts');
      await eventually(() => Promise.resolve(received.length > 0), 15_000);
      const alert = received[0].alerts[0];
      assert.equal(alert.labels.alertname, 'TargetDown');
      assert.equal(alert.labels.cluster, 'test', 'external labels added');
      assert.equal(alert.annotations.summary, `${broken.address} is down`);

      const rules = await json(await rt.app.request('/api/v1/rules'));
      const group =
        (rules.data as { groups: { name: string; rules: { name: string; health: string }[] }[] })
          .groups[0];
      assert.equal(group.name, 'demo');
      assert.deepEqual(group.rules.map((r) => r.name), ['job:up:sum', 'TargetDown']);
      const alerts = await json(await rt.app.request('/api/v1/alerts'));
      assert.equal((alerts.data as { alerts: { state: string }[] }).alerts[0].state, 'firing');
      await eventually(async () => {
        const q = await json(await rt.app.request('/api/v1/query?query=job:up:sum'));
        return ((q.data as { result: unknown[] }).result.length === 1);
      });

      // A broken rule file is refused on reload; the old rules keep running.
      tmp.write(
        'rules.yml',
        'groups:\n  - name: demo\n    rules:\n      - record: x\n        expr: sum(\n',
      );
      const bad = await rt.app.request('/-/reload', { method: 'POST' });
      assert.equal(bad.status, 500);
      assert.match(await bad.text(), /rules\.yml:5:\d+: groups\[0\]\.rules\[0\]\.expr/);
      assert.equal(rt.alerting.rules.groups().length, 1);
    } finally {
      await rt.stop();
      await broken.close();
      await hook.close();
    }
  });

  test('bad --rules.alert.* and --query.* flags stop start-up, naming the flag', async () => {
    const file = tmp.write('flags.yml', GOOD);
    for (
      const [flag, value, msg] of [
        ['rules.alert.resend-delay', '5x', /--rules\.alert\.resend-delay: invalid duration "5x"/],
        [
          'alertmanager.notification-queue-capacity',
          '-1',
          /notification-queue-capacity: want a positive integer/,
        ],
        ['query.lookback-delta', 'soon', /--query\.\*.*lookback_delta: invalid duration "soon"/],
      ] as const
    ) {
      const o = options(file).opts;
      o.flags = { ...o.flags, [flag]: value };
      await assert.rejects(Runtime.create(o), msg);
    }
  });

  test('lifecycle endpoints answer 403 unless enabled', async () => {
    const { opts } = options(tmp.write('l.yml', GOOD));
    const rt = await Runtime.create(opts);
    assert.equal((await rt.app.request('/-/reload', { method: 'POST' })).status, 403);
    assert.equal((await rt.app.request('/-/quit', { method: 'POST' })).status, 403);
    assert.equal((await rt.app.request('/-/reload')).status, 404, 'GET is not a lifecycle call');
  });

  test('quit calls back after answering', async () => {
    let quit = false;
    const { opts } = options(tmp.write('q.yml', GOOD), {
      enableLifecycle: true,
      onQuit: () => (quit = true),
    });
    const rt = await Runtime.create(opts);
    const res = await rt.app.request('/-/quit', { method: 'POST' });
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(quit);
  });

  test('route prefix moves every route', async () => {
    const { opts } = options(tmp.write('p.yml', GOOD), { routePrefix: '/beacon' });
    const rt = await Runtime.create(opts);
    assert.equal((await rt.app.request('/beacon/-/healthy')).status, 200);
    assert.equal((await rt.app.request('/beacon/api/v1/status/buildinfo')).status, 200);
    assert.equal((await rt.app.request('/-/healthy')).status, 404);
  });

  test('third-party plugin by relative path: validated, started, reloaded and stopped', async () => {
    const plugin = path.join(repoRoot, 'examples', 'plugin-package', 'mod.ts');
    const rel = path.relative(tmp.dir, plugin);
    const cfg = (greeting: string) =>
      `scrape_configs: []\nplugins:\n  - use: ./${rel}\n    config:\n      greeting: ${greeting}\n`;
    const file = tmp.write('plugin.yml', cfg('hello there'));
    const { opts } = options(file, { enableLifecycle: true });
    const rt = await Runtime.create(opts);
    await rt.start();
    assert.match(
      await (await rt.app.request('/metrics')).text(),
      /^hello_info\{greeting="hello there"\} 1$/m,
    );

    tmp.write('plugin.yml', cfg('again'));
    assert.equal((await rt.app.request('/-/reload', { method: 'POST' })).status, 200);
    const text = await (await rt.app.request('/metrics')).text();
    assert.match(text, /^hello_info\{greeting="again"\} 1$/m);
    assert.doesNotMatch(text, /hello there/);

    // A block the plugin's schema rejects: same error form as the config, old plugin kept.
    tmp.write(
      'plugin.yml',
      `plugins:\n  - use: ./${rel}\n    config:\n      greeting: ''\n      colour: red\n`,
    );
    const res = await rt.app.request('/-/reload', { method: 'POST' });
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.match(
      body,
      /plugin\.yml:4:\d+: plugins\[0\]\.config\.greeting: greeting must not be empty/,
    );
    assert.match(body, /plugin\.yml:5:\d+: plugins\[0\]\.config\.colour/);
    assert.match(
      await (await rt.app.request('/metrics')).text(),
      /^hello_info\{greeting="again"\} 1$/m,
    );

    await rt.stop();
    assert.doesNotMatch(await (await rt.app.request('/metrics')).text(), /hello_info/);
  });

  test('the storage engine is a built-in plugin chosen by storage.engine and validated by its schema', async () => {
    const file = tmp.write('builtin.yml', 'storage:\n  engine: memory\n');
    const { opts } = options(file);
    const rt = await Runtime.create(opts);
    await rt.start();
    assert.match(await (await rt.app.request('/metrics')).text(), /^beacon_tsdb_head_series 0$/m);
    await rt.stop();
    assert.doesNotMatch(await (await rt.app.request('/metrics')).text(), /beacon_tsdb_head_series/);

    // Storage engines are chosen with storage.engine, never in the plugins list.
    const bad = tmp.write('builtin-bad.yml', 'plugins:\n  - use: memory\n');
    const rt2 = await Runtime.create(options(bad).opts);
    await assert.rejects(
      rt2.start(),
      /builtin-bad\.yml:2:\d+: plugins\[0\]\.use: "memory" is a storage engine/,
    );

    // A retention flag the engine cannot read is an error naming storage.engine.
    const flagged = options(file).opts;
    flagged.flags = { ...flagged.flags, 'storage.tsdb.retention.time': '2x' };
    await assert.rejects(
      Runtime.create(flagged),
      /storage\.engine: storage engine "memory" rejects its settings: .*2x/,
    );

    const unknown = tmp.write('engine-unknown.yml', 'storage:\n  engine: nosuchengine\n');
    await assert.rejects(
      Runtime.create(options(unknown).opts),
      /engine-unknown\.yml:2:11: storage\.engine: unknown plugin "nosuchengine"/,
    );
  });

  test('an installed package is loaded by its package name', async () => {
    // examples/plugin-package is an npm workspace of this repository, so npm install links it.
    const file = tmp.write(
      'pkg.yml',
      'plugins:\n  - use: beacon-plugin-hello\n    config: {greeting: pkg}\n',
    );
    const rt = await Runtime.create(options(file).opts);
    await rt.start();
    assert.match(
      await (await rt.app.request('/metrics')).text(),
      /^hello_info\{greeting="pkg"\} 1$/m,
    );
    await rt.stop();

    const notPlugin = tmp.write('notplugin.yml', 'plugins:\n  - use: hono\n');
    const rt2 = await Runtime.create(options(notPlugin).opts);
    await assert.rejects(
      rt2.start(),
      /notplugin\.yml:2:\d+: plugins\[0\]\.use: module "hono" does not export a plugin definition/,
    );
  });

  test('unknown plugins are config errors with a position', async () => {
    const file = tmp.write(
      'unknown.yml',
      'plugins:\n  - use: nosuchplugin\n  - use: ./nowhere/plugin.ts\n',
    );
    const { opts } = options(file);
    const rt = await Runtime.create(opts);
    await assert.rejects(rt.start(), (e: Error & { errors?: unknown[] }) => {
      assert.equal(e.errors?.length, 2);
      assert.match(
        String(e.errors?.[0]),
        /unknown\.yml:2:\d+: plugins\[0\]\.use: unknown plugin "nosuchplugin"/,
      );
      assert.match(
        String(e.errors?.[1]),
        /unknown\.yml:3:\d+: plugins\[1\]\.use: cannot load plugin module/,
      );
      return true;
    });
  });
});
