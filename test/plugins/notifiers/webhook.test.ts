import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import {
  buildReceivers,
  buildRoute,
  Dispatcher,
  fingerprint,
  ManualClock,
  newAlert,
  type Notifier,
  NotifyError,
  notifyWithRetry,
  routingConfigSchema,
} from '../../../core/notify/mod.ts';
import webhook, { webhookConfigSchema } from '../../../plugins/notifiers/webhook/mod.ts';
import { startRecorder } from '../../core/notify/recorder.ts';
import { instantClock, notifyCtx, NOW, pluginCtx, twoAlerts } from './helpers.ts';
import { hasOpenssl, makeCerts, serveTls } from '../../helpers/certs.ts';
import { tempDir } from '../../helpers/host.ts';

describe('webhook notifier', () => {
  test('schema: Alertmanager defaults and rules', () => {
    const c = v.parse(webhookConfigSchema, { url: 'http://x/' });
    assert.equal(c.send_resolved, true);
    assert.equal(c.max_alerts, 0);
    assert.equal(String(c.url), '<secret>');
    assert.throws(() => v.parse(webhookConfigSchema, {}), /one of url or url_file/);
    assert.throws(() => v.parse(webhookConfigSchema, { url: 'a', url_file: 'b' }), /at most one/);
    assert.throws(() => v.parse(webhookConfigSchema, { url: 'a', colour: 1 }));
  });

  test('http_config.tls_config applies: an HTTPS receiver trusted by its CA', {
    skip: !hasOpenssl(),
  }, async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    let got = 0;
    const server = serveTls(
      { cert: certs.pem('server.crt'), key: certs.pem('server.key') },
      () => (got++, new Response('')),
    );
    try {
      const url = `https://localhost:${server.port}/hook`;
      const withCa = await webhook.create(
        v.parse(webhookConfigSchema, {
          url,
          http_config: { tls_config: { ca_file: certs.file('ca.crt') } },
        }),
        pluginCtx(),
      ) as Notifier;
      await withCa.notify(notifyCtx(), twoAlerts());
      assert.equal(got, 1);
      const without = await webhook.create(
        v.parse(webhookConfigSchema, { url }),
        pluginCtx(),
      ) as Notifier;
      await assert.rejects(without.notify(notifyCtx(), twoAlerts()), NotifyError);
      assert.equal(got, 1);
    } finally {
      await server.close();
      tmp.remove();
    }
  });

  test('posts the version 4 payload', async () => {
    const rec = await startRecorder();
    try {
      const n = await webhook.create(
        v.parse(webhookConfigSchema, { url: `${rec.url}/hook` }),
        pluginCtx(),
      ) as Notifier;
      const [a, b] = twoAlerts();
      await n.notify(notifyCtx(), [{ ...a, endsAt: 0 }, b]);
      assert.equal(rec.requests.length, 1);
      assert.equal(rec.requests[0].path, '/hook');
      assert.equal(rec.requests[0].headers.get('content-type'), 'application/json');
      assert.deepEqual(rec.requests[0].body, {
        receiver: 'team',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'Down', instance: 'a', job: 'node' },
            annotations: { summary: 'a is down' },
            startsAt: '2026-01-01T11:59:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://beacon:9090/graph?g0.expr=up',
            fingerprint: fingerprint(a.labels),
          },
          {
            status: 'resolved',
            labels: { alertname: 'Down', instance: 'b', job: 'node' },
            annotations: { summary: 'b is down' },
            startsAt: '2026-01-01T11:58:00Z',
            endsAt: '2026-01-01T11:59:59Z',
            generatorURL: 'http://beacon:9090/graph?g0.expr=up',
            fingerprint: fingerprint(b.labels),
          },
        ],
        groupLabels: { alertname: 'Down' },
        commonLabels: { alertname: 'Down', job: 'node' },
        commonAnnotations: {},
        externalURL: 'http://beacon:9090',
        version: '4',
        groupKey: '{}:{alertname="Down"}',
        truncatedAlerts: 0,
      });
    } finally {
      await rec.close();
    }
  });

  test('max_alerts truncates and says how many were left out', async () => {
    const rec = await startRecorder();
    try {
      const n = await webhook.create(
        v.parse(webhookConfigSchema, { url: rec.url, max_alerts: 1 }),
        pluginCtx(),
      ) as Notifier;
      await n.notify(notifyCtx(), twoAlerts());
      const body = rec.requests[0].body as {
        alerts: unknown[];
        truncatedAlerts: number;
        commonLabels: object;
      };
      assert.equal(body.alerts.length, 1);
      assert.equal(body.truncatedAlerts, 1);
      assert.deepEqual(
        body.commonLabels,
        { alertname: 'Down', job: 'node' },
        'computed over all alerts',
      );
    } finally {
      await rec.close();
    }
  });

  test('5xx and 429 are retried with backoff, other 4xx are not', async () => {
    const rec = await startRecorder();
    try {
      const n = await webhook.create(
        v.parse(webhookConfigSchema, { url: rec.url }),
        pluginCtx(),
      ) as Notifier;
      rec.script = [503, 429, 200];
      const clock = instantClock();
      const r = await notifyWithRetry(n, notifyCtx(), twoAlerts(), clock);
      assert.deepEqual([r.ok, r.attempts], [true, 3]);
      assert.deepEqual(clock.sleeps, [500, 750]);
      rec.script = [400];
      const r2 = await notifyWithRetry(n, notifyCtx(), twoAlerts(), clock);
      assert.deepEqual([r2.ok, r2.attempts], [false, 1]);
      assert.ok(r2.error instanceof NotifyError && !r2.error.retry);
      assert.match(r2.error!.message, /unexpected status code 400/);
    } finally {
      await rec.close();
    }
  });

  test('end to end: a pasted config routes, groups and delivers through the plugin', async () => {
    const rec = await startRecorder();
    const clock = new ManualClock(NOW);
    try {
      const routing = v.parse(
        routingConfigSchema,
        parseYaml(`
route:
  receiver: ops
  group_by: [alertname]
receivers:
  - name: ops
    webhook_configs:
      - url: ${rec.url}/ops
`),
      );
      const receivers = await buildReceivers(
        routing.receivers,
        (type) => (type === 'webhook' ? webhook : undefined),
        pluginCtx(),
      );
      const d = new Dispatcher({
        route: buildRoute(routing.route!),
        receivers,
        clock,
        externalURL: 'http://b',
      });
      const settle = () => d.idle();
      d.send([
        newAlert({
          labels: { alertname: 'Down', instance: 'x' },
          startsAt: NOW,
          endsAt: NOW + 3_600_000,
        }),
      ]);
      await clock.advance(29_999, settle);
      assert.equal(rec.requests.length, 0);
      await clock.advance(1, settle);
      assert.equal(rec.requests.length, 1);
      assert.equal(
        (rec.requests[0].body as { groupKey: string }).groupKey,
        '{}:{alertname="Down"}',
      );
      d.send([
        newAlert({
          labels: { alertname: 'Down', instance: 'x' },
          startsAt: NOW,
          endsAt: clock.now(),
        }),
      ]);
      await clock.advance(300_000, settle);
      assert.equal(rec.requests.length, 2);
      assert.equal((rec.requests[1].body as { status: string }).status, 'resolved');
      await d.stop();
    } finally {
      await rec.close();
    }
  });

  test('an unknown receiver type is reported with its path', async () => {
    const routing = v.parse(routingConfigSchema, {
      route: { receiver: 'a' },
      receivers: [{ name: 'a', email_configs: [{ to: 'x' }], webhook_configs: [{}] }],
    });
    await assert.rejects(
      buildReceivers(
        routing.receivers,
        (t) => (t === 'webhook' ? webhook : undefined),
        pluginCtx(),
      ),
      (e: Error) =>
        e.message.includes('receivers[0].email_configs[0]: no notifier plugin named "email"') &&
        e.message.includes(
          'receivers[0].webhook_configs[0]: one of url or url_file must be configured',
        ),
    );
  });
});
