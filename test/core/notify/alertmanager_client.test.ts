/**
 * The Alertmanager client against a local recorder: payload, path, auth, batching, queue
 * overflow, failed batches, relabelling, external labels and the alertmanagers API.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { parseConfig } from '../../../core/config/mod.ts';
import type { AlertingConfig } from '../../../core/config/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import {
  AlertmanagerClient,
  alertmanagersApi,
  alertsPath,
  newAlert,
} from '../../../core/notify/mod.ts';
import { startRecorder } from './recorder.ts';

function alerting(yaml: string): AlertingConfig {
  return parseConfig(yaml, '/tmp/prometheus.yml').alerting;
}

const alert = (i: number, extra: Record<string, string> = {}) =>
  newAlert({
    labels: { alertname: 'A', i: String(i), ...extra },
    annotations: { summary: `s${i}` },
    startsAt: Date.UTC(2026, 0, 1),
    endsAt: Date.UTC(2026, 0, 1, 0, 4),
    generatorURL: 'http://beacon/graph?g0.expr=up',
  });

describe('Alertmanager client', () => {
  test('posts a JSON array to <path_prefix>/api/v2/alerts with auth and external labels', async () => {
    const rec = await startRecorder();
    const registry = new Registry();
    const client = new AlertmanagerClient({ registry });
    try {
      client.applyConfig({
        alerting: alerting(`
alerting:
  alertmanagers:
    - path_prefix: /am/
      basic_auth: { username: u, password: p }
      static_configs: [{ targets: ['${rec.url.slice(7)}'] }]
`),
        externalLabels: { replica: 'r1', alertname: 'ignored' },
      });
      assert.deepEqual(client.alertmanagers(), [`${rec.url}/am/api/v2/alerts`]);
      client.send([alert(1)]);
      await client.idle();
      assert.equal(rec.requests.length, 1);
      const r = rec.requests[0];
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/am/api/v2/alerts');
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.equal(r.headers.get('authorization'), 'Basic ' + btoa('u:p'));
      assert.deepEqual(r.body, [{
        labels: { alertname: 'A', i: '1', replica: 'r1' },
        annotations: { summary: 's1' },
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-01-01T00:04:00.000Z',
        generatorURL: 'http://beacon/graph?g0.expr=up',
      }]);
      const text = await registry.metrics();
      const am = `alertmanager="${rec.url}/am/api/v2/alerts"`;
      assert.match(
        text,
        new RegExp(`beacon_notifications_sent_total\\{${am.replace(/[/.?]/g, '\\$&')}\\} 1`),
      );
      assert.match(text, /beacon_notifications_queue_capacity 10000/);
      assert.match(text, /beacon_notifications_alertmanagers_discovered 1/);
    } finally {
      await client.stop();
      await rec.close();
    }
  });

  test('batches of at most max batch size; every Alertmanager gets every alert', async () => {
    const a = await startRecorder(), b = await startRecorder();
    const client = new AlertmanagerClient({ maxBatchSize: 3 });
    try {
      client.applyConfig({
        alerting: alerting(`
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['${a.url.slice(7)}'] }]
    - static_configs: [{ targets: ['${b.url.slice(7)}'] }]
`),
      });
      client.send(Array.from({ length: 7 }, (_, i) => alert(i)));
      await client.idle();
      for (const r of [a, b]) {
        assert.deepEqual(r.requests.map((q) => (q.body as unknown[]).length), [3, 3, 1]);
      }
    } finally {
      await client.stop();
      await a.close();
      await b.close();
    }
  });

  test('a full queue drops the oldest alerts and counts them', async () => {
    const rec = await startRecorder();
    let open!: () => void;
    rec.gate = new Promise((r) => (open = r));
    const registry = new Registry();
    const client = new AlertmanagerClient({ queueCapacity: 5, maxBatchSize: 2, registry });
    try {
      client.applyConfig({
        alerting: alerting(`
alerting:
  alertmanagers: [{ static_configs: [{ targets: ['${rec.url.slice(7)}'] }] }]
`),
      });
      const url = client.alertmanagers()[0];
      client.send([alert(0)]);
      // Let the loop take alert 0 and block on the gated request.
      while (rec.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      client.send(Array.from({ length: 8 }, (_, i) => alert(i + 1)));
      assert.equal(client.queueLength(url), 5);
      assert.match(await registry.metrics(), /beacon_notifications_dropped_total\{[^}]*\} 3/);
      assert.match(await registry.metrics(), /beacon_notifications_queue_length\{[^}]*\} 5/);
      open();
      await client.idle();
      const sent = rec.requests.map((q) =>
        (q.body as { labels: { i: string } }[]).map((x) => x.labels.i)
      );
      assert.deepEqual(sent, [['0'], ['4', '5'], ['6', '7'], ['8']]);
    } finally {
      open();
      await client.stop();
      await rec.close();
    }
  });

  test('a failed batch is dropped and counted, not retried', async () => {
    const rec = await startRecorder();
    rec.script = [500];
    const registry = new Registry();
    const client = new AlertmanagerClient({ registry });
    try {
      client.applyConfig({
        alerting: alerting(`
alerting:
  alertmanagers: [{ static_configs: [{ targets: ['${rec.url.slice(7)}'] }] }]
`),
      });
      client.send([alert(1), alert(2)]);
      await client.idle();
      client.send([alert(3)]);
      await client.idle();
      assert.equal(rec.requests.length, 2);
      const text = await registry.metrics();
      assert.match(text, /beacon_notifications_errors_total\{[^}]*\} 2/);
      assert.match(text, /beacon_notifications_dropped_total\{[^}]*\} 2/);
      assert.match(text, /beacon_notifications_sent_total\{[^}]*\} 1/);
    } finally {
      await client.stop();
      await rec.close();
    }
  });

  test('alert_relabel_configs (global and per Alertmanager) and target relabelling', async () => {
    const rec = await startRecorder();
    const client = new AlertmanagerClient();
    try {
      client.applyConfig({
        alerting: alerting(`
alerting:
  alert_relabel_configs:
    - { source_labels: [severity], regex: debug, action: drop }
    - { target_label: team, replacement: ops }
  alertmanagers:
    - static_configs: [{ targets: ['${rec.url.slice(7)}', 'dropped.example:9093'] }]
      relabel_configs:
        - { source_labels: [__address__], regex: 'dropped.*', action: drop }
      alert_relabel_configs:
        - { regex: i, action: labeldrop }
`),
      });
      assert.deepEqual(client.droppedAlertmanagers(), [
        'http://dropped.example:9093/api/v2/alerts',
      ]);
      client.send([alert(1, { severity: 'debug' }), alert(2, { severity: 'page' })]);
      await client.idle();
      assert.deepEqual(rec.requests.map((r) => r.body), [[{
        labels: { alertname: 'A', severity: 'page', team: 'ops' },
        annotations: { summary: 's2' },
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-01-01T00:04:00.000Z',
        generatorURL: 'http://beacon/graph?g0.expr=up',
      }]]);

      const app = new Hono();
      alertmanagersApi(client)(app);
      const body = await (await app.request('/alertmanagers')).json();
      assert.deepEqual(body, {
        status: 'success',
        data: {
          activeAlertmanagers: [{ url: `${rec.url}/api/v2/alerts` }],
          droppedAlertmanagers: [{ url: 'http://dropped.example:9093/api/v2/alerts' }],
        },
      });
    } finally {
      await client.stop();
      await rec.close();
    }
  });

  test('paths', () => {
    assert.equal(alertsPath(''), '/api/v2/alerts');
    assert.equal(alertsPath('/prefix/'), '/prefix/api/v2/alerts');
    assert.equal(alertsPath('prefix'), '/prefix/api/v2/alerts');
  });
});
