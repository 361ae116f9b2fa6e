/**
 * Alertmanager's API v2 over the built-in router: JSON shapes through Hono, and amtool (from
 * Debian's prometheus-alertmanager) listing alerts and managing silences against Beacon. The
 * amtool part skips when amtool is absent, except under CI=true.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  alertmanagerApiV2,
  buildRoute,
  Dispatcher,
  newAlert,
  type Notifier,
  routeSchema,
  Silences,
} from '../../../core/notify/mod.ts';
import { host } from '../../helpers/host.ts';

const AMTOOL = '/usr/bin/amtool';
const noAmtool = existsSync(AMTOOL)
  ? false
  : 'amtool not installed (apt-get install prometheus-alertmanager); skipping the amtool test';
if (noAmtool && process.env.CI !== 'true') console.log(noAmtool);

function setup() {
  const silent: Notifier = { sendResolved: true, notify: () => Promise.resolve() };
  const silences = new Silences();
  const dispatcher = new Dispatcher({
    route: buildRoute(v.parse(routeSchema, { receiver: 'ops', group_by: ['alertname'] })!),
    receivers: new Map([['ops', [{ type: 'test', index: 0, notifier: silent }]]]),
    silences,
  });
  const app = new Hono();
  app.route(
    '/api/v2',
    alertmanagerApiV2({ dispatcher, silences, configText: () => 'route: {}\n' }),
  );
  const t = Date.now();
  dispatcher.send([
    newAlert({ labels: { alertname: 'Down', instance: 'a' }, startsAt: t, endsAt: t + 3_600_000 }),
    newAlert({ labels: { alertname: 'Down', instance: 'b' }, startsAt: t, endsAt: t + 3_600_000 }),
  ]);
  return { app, dispatcher, silences };
}

describe('Alertmanager API v2', () => {
  test("alerts, silences and status in Alertmanager's shapes", async () => {
    const { app, dispatcher } = setup();
    try {
      const alerts = await (await app.request('/api/v2/alerts')).json();
      assert.equal(alerts.length, 2);
      assert.deepEqual(alerts[0].receivers, [{ name: 'ops' }]);
      assert.equal(alerts[0].status.state, 'active');
      const now = new Date();
      const res = await app.request('/api/v2/silences', {
        method: 'POST',
        body: JSON.stringify({
          matchers: [{ name: 'instance', value: 'a', isRegex: false, isEqual: true }],
          startsAt: now.toISOString(),
          endsAt: new Date(now.getTime() + 3_600_000).toISOString(),
          createdBy: 'me',
          comment: 'work',
        }),
      });
      assert.equal(res.status, 200);
      const { silenceID } = await res.json();
      const silenced = await (await app.request('/api/v2/alerts?silenced=false')).json();
      assert.deepEqual(silenced.map((a: { labels: { instance: string } }) => a.labels.instance), [
        'b',
      ]);
      const one = await (await app.request(`/api/v2/silence/${silenceID}`)).json();
      assert.equal(one.status.state, 'active');
      assert.equal(one.createdBy, 'me');
      const filtered = await (await app.request('/api/v2/silences?filter=instance%3D%22a%22'))
        .json();
      assert.equal(filtered.length, 1);
      assert.equal(
        (await app.request(`/api/v2/silence/${silenceID}`, { method: 'DELETE' })).status,
        200,
      );
      assert.equal((await app.request('/api/v2/silence/nope', { method: 'DELETE' })).status, 404);
      const bad = await app.request('/api/v2/silences', {
        method: 'POST',
        body: JSON.stringify({
          matchers: [],
          startsAt: now.toISOString(),
          endsAt: now.toISOString(),
        }),
      });
      assert.equal(bad.status, 400);
      const groups = await (await app.request('/api/v2/alerts/groups')).json();
      assert.deepEqual(
        groups.map((g: { labels: object; alerts: unknown[] }) => [g.labels, g.alerts.length]),
        [
          [{ alertname: 'Down' }, 2],
        ],
      );
      const status = await (await app.request('/api/v2/status')).json();
      assert.equal(status.cluster.status, 'disabled');
      assert.equal(status.config.original, 'route: {}\n');
    } finally {
      await dispatcher.stop();
    }
  });

  test('amtool lists alerts and adds, queries and expires silences', {
    skip: noAmtool && process.env.CI !== 'true' ? noAmtool : false,
  }, async () => {
    const { app, dispatcher } = setup();
    const server = await host.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch });
    const run = async (...args: string[]) =>
      (await promisify(execFile)(AMTOOL, [`--alertmanager.url=http://${server.address}`, ...args]))
        .stdout;
    try {
      const alerts = JSON.parse(await run('alert', 'query', '-o', 'json'));
      assert.equal(alerts.length, 2);
      const id = (await run(
        'silence',
        'add',
        'instance=a',
        '--author=amtool-test',
        '--comment=maintenance',
        '--duration=1h',
      )).trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      const sil = JSON.parse(await run('silence', 'query', '-o', 'json'));
      assert.deepEqual(sil.map((s: { id: string; createdBy: string }) => [s.id, s.createdBy]), [
        [id, 'amtool-test'],
      ]);
      const active = JSON.parse(await run('alert', 'query', '-o', 'json', 'instance=a'));
      assert.equal(active.length, 0, 'amtool hides silenced alerts by default');
      await run('silence', 'expire', id);
      const after = JSON.parse(await run('silence', 'query', '-o', 'json'));
      assert.equal(after.length, 0, 'expired silences are not listed by default');
    } finally {
      await server.close();
      await dispatcher.stop();
    }
  });
});
