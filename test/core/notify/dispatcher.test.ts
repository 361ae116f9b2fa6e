/**
 * The built-in router's timing with a manual clock: group_wait, group_interval,
 * repeat_interval, resolved notifications, silences, inhibition and retries.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import {
  type Alert,
  buildRoute,
  compileInhibitRules,
  Dispatcher,
  DispatcherMetrics,
  type Integration,
  isResolved,
  ManualClock,
  newAlert,
  type Notifier,
  type NotifyContext,
  NotifyError,
  routeSchema,
  Silences,
} from '../../../core/notify/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';

interface Call {
  ctx: NotifyContext;
  alerts: readonly Alert[];
}

function recorder(sendResolved = true, failures: NotifyError[] = []) {
  const calls: Call[] = [];
  let attempts = 0;
  const notifier: Notifier = {
    sendResolved,
    notify(ctx, alerts) {
      attempts++;
      const f = failures.shift();
      if (f) return Promise.reject(f);
      calls.push({ ctx, alerts });
      return Promise.resolve();
    },
  };
  return { calls, notifier, attempts: () => attempts };
}

const S = 1000, M = 60 * S, H = 60 * M;

function setup(opts: {
  route?: unknown;
  sendResolved?: boolean;
  failures?: NotifyError[];
  inhibit?: unknown[];
} = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rec = recorder(opts.sendResolved ?? true, opts.failures);
  const other = recorder();
  const route = buildRoute(
    v.parse(routeSchema, opts.route ?? { receiver: 'r', group_by: ['alertname'] })!,
  );
  const integ = (n: Notifier): Integration[] => [{ type: 'test', index: 0, notifier: n }];
  const silences = new Silences({ clock });
  const registry = new Registry();
  const d = new Dispatcher({
    route,
    receivers: new Map([['r', integ(rec.notifier)], ['other', integ(other.notifier)]]),
    silences,
    inhibitRules: compileInhibitRules(
      (opts.inhibit ?? []) as Parameters<typeof compileInhibitRules>[0],
    ),
    clock,
    externalURL: 'http://beacon.example',
    metrics: new DispatcherMetrics(registry),
  });
  const alert = (
    labels: Record<string, string>,
    startsAt = clock.now(),
    endsAt = clock.now() + H,
  ) => newAlert({ labels, startsAt, endsAt, generatorURL: 'http://beacon.example/graph' });
  return { clock, rec, other, d, silences, alert, registry };
}

const names = (c: Call) => c.alerts.map((a) => a.labels.get('instance')).sort();

describe('dispatcher timing', () => {
  test('waits group_wait, sends the whole group once, then only at group_interval', async () => {
    const { clock, rec, d, alert } = setup();
    d.send([alert({ alertname: 'Down', instance: 'a' })]);
    await clock.advance(10 * S);
    d.send([alert({ alertname: 'Down', instance: 'b' })]);
    await clock.advance(19 * S);
    assert.equal(rec.calls.length, 0, 'nothing before group_wait');
    await clock.advance(1 * S);
    assert.equal(rec.calls.length, 1);
    assert.deepEqual(names(rec.calls[0]), ['a', 'b']);
    const c = rec.calls[0].ctx;
    assert.equal(c.groupKey, '{}:{alertname="Down"}');
    assert.equal(c.receiver, 'r');
    assert.equal(rec.calls[0].alerts[0].endsAt, 0, 'firing alerts are sent without an end');

    d.send([alert({ alertname: 'Down', instance: 'c' })]);
    await clock.advance(4 * M + 59 * S);
    assert.equal(rec.calls.length, 1, 'a new alert waits for group_interval');
    await clock.advance(1 * S);
    assert.equal(rec.calls.length, 2);
    assert.deepEqual(names(rec.calls[1]), ['a', 'b', 'c']);
    await d.stop();
  });

  test('an unchanged group is sent again only after repeat_interval', async () => {
    const { clock, rec, d, alert } = setup({
      route: { receiver: 'r', group_by: ['alertname'], repeat_interval: '1h' },
    });
    const keepFiring = () =>
      d.send([alert({ alertname: 'Down', instance: 'a' }, Date.UTC(2026, 0, 1))]);
    keepFiring();
    await clock.advance(30 * S);
    assert.equal(rec.calls.length, 1);
    // Re-sent by the rule layer every minute, as Prometheus does; nothing changes.
    for (let i = 0; i < 60; i++) {
      await clock.advance(1 * M);
      keepFiring();
    }
    assert.equal(rec.calls.length, 1, 'no repeat within the hour');
    await clock.advance(5 * M);
    assert.equal(rec.calls.length, 2, 'repeated at the first group_interval after 1h');
    await d.stop();
  });

  test('a resolved alert is notified once, then the group goes away', async () => {
    const { clock, rec, d, alert } = setup();
    const start = clock.now();
    d.send([alert({ alertname: 'Down', instance: 'a' })]);
    await clock.advance(30 * S);
    d.send([alert({ alertname: 'Down', instance: 'a' }, start, clock.now())]);
    await clock.advance(5 * M);
    assert.equal(rec.calls.length, 2);
    const sent = rec.calls[1].alerts[0];
    assert.equal(isResolved(sent, rec.calls[1].ctx.now), true);
    assert.equal(sent.startsAt, start);
    assert.equal(d.groups().length, 0, 'resolved alerts leave the group after notifying');
    await clock.advance(30 * M);
    assert.equal(rec.calls.length, 2);
    await d.stop();
  });

  test('send_resolved: false sends no resolved alerts but still records the clear', async () => {
    const { clock, rec, d, alert } = setup({ sendResolved: false });
    const start = clock.now();
    d.send([
      alert({ alertname: 'Down', instance: 'a' }),
      alert({ alertname: 'Down', instance: 'b' }),
    ]);
    await clock.advance(30 * S);
    d.send([alert({ alertname: 'Down', instance: 'a' }, start, clock.now())]);
    await clock.advance(5 * M);
    assert.equal(rec.calls.length, 1, 'one resolved, one still firing: nothing new to say');
    d.send([alert({ alertname: 'Down', instance: 'b' }, start, clock.now())]);
    await clock.advance(5 * M);
    assert.equal(rec.calls.length, 1, 'all resolved: nothing sent without send_resolved');
    // Firing again after the clear is a new notification.
    d.send([alert({ alertname: 'Down', instance: 'b' })]);
    await clock.advance(30 * S);
    assert.equal(rec.calls.length, 2);
    await d.stop();
  });

  test('an alert that started long ago skips group_wait', async () => {
    const { clock, rec, d, alert } = setup();
    d.send([alert({ alertname: 'Old', instance: 'a' }, clock.now() - 10 * M)]);
    await clock.advance(0);
    assert.equal(rec.calls.length, 1);
    await d.stop();
  });

  test('continue sends to several receivers; group_by ... groups by all labels', async () => {
    const { clock, rec, other, d, alert } = setup({
      route: {
        receiver: 'r',
        group_by: ['...'],
        routes: [
          { matchers: ['team="db"'], receiver: 'r', continue: true },
          { matchers: ['team="db"'], receiver: 'other' },
        ],
      },
    });
    d.send([
      alert({ alertname: 'X', team: 'db', instance: 'a' }),
      alert({ alertname: 'X', team: 'db', instance: 'b' }),
    ]);
    await clock.advance(30 * S);
    assert.equal(rec.calls.length, 2, 'one group per label set');
    assert.equal(other.calls.length, 2);
    assert.equal(rec.calls[0].ctx.groupKey.startsWith('{}/{team="db"}:{'), true);
    await d.stop();
  });
});

describe('dispatcher muting', () => {
  test('silenced alerts are not sent; after expiry they are', async () => {
    const { clock, rec, d, silences, alert } = setup();
    const id = silences.set({
      matchers: [{ name: 'instance', value: 'a', isRegex: false }],
      startsAt: clock.now(),
      endsAt: clock.now() + 1 * H,
      createdBy: 't',
      comment: 'c',
    });
    d.send([
      alert({ alertname: 'Down', instance: 'a' }),
      alert({ alertname: 'Down', instance: 'b' }),
    ]);
    await clock.advance(30 * S);
    assert.deepEqual(names(rec.calls[0]), ['b']);
    const states = Object.fromEntries(d.alerts().map((s) => [s.alert.labels.get('instance'), s]));
    assert.equal(states.a.state, 'suppressed');
    assert.deepEqual(states.a.silencedBy, [id]);
    assert.equal(states.b.state, 'active');
    silences.expire(id);
    await clock.advance(5 * M);
    assert.equal(rec.calls.length, 2);
    assert.deepEqual(names(rec.calls[1]), ['a', 'b']);
    await d.stop();
  });

  test('inhibited alerts are not sent while the source fires', async () => {
    const { clock, rec, d, alert } = setup({
      route: { receiver: 'r', group_by: ['severity'] },
      inhibit: [{
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['cluster'],
      }],
    });
    d.send([
      alert({ alertname: 'A', severity: 'critical', cluster: 'c1', instance: 'src' }),
      alert({ alertname: 'B', severity: 'warning', cluster: 'c1', instance: 'muted' }),
      alert({ alertname: 'C', severity: 'warning', cluster: 'c2', instance: 'kept' }),
    ]);
    await clock.advance(30 * S);
    assert.deepEqual(rec.calls.flatMap(names).sort(), ['kept', 'src']);
    await d.stop();
  });

  test('a mute time interval holds notifications back', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 22, 0, 0)); // a Monday
    const rec = recorder();
    const { compileTimeIntervals } = await import('../../../core/notify/mod.ts');
    const d = new Dispatcher({
      route: buildRoute(
        v.parse(routeSchema, {
          receiver: 'r',
          routes: [{ matchers: ['x="y"'], mute_time_intervals: ['night'] }],
        })!,
      ),
      receivers: new Map([['r', [{ type: 't', index: 0, notifier: rec.notifier }]]]),
      timeIntervals: compileTimeIntervals([{
        name: 'night',
        time_intervals: [{ times: [{ start_time: '22:00', end_time: '23:00' }] }],
      }]),
      clock,
    });
    d.send([newAlert({ labels: { x: 'y' }, startsAt: clock.now(), endsAt: clock.now() + 10 * H })]);
    await clock.advance(30 * S);
    assert.equal(rec.calls.length, 0, 'muted at 22:00');
    await clock.advance(60 * M);
    assert.equal(rec.calls.length, 1, 'sent once the interval is over');
    await d.stop();
  });
});

describe('dispatcher retries', () => {
  test('retryable failures are retried with backoff on the clock', async () => {
    const { clock, rec, d, alert, registry } = setup({
      failures: [new NotifyError('503', true), new NotifyError('503', true)],
    });
    d.send([alert({ alertname: 'Down', instance: 'a' })]);
    await clock.advance(30 * S);
    assert.equal(rec.attempts(), 1);
    await clock.advance(499);
    assert.equal(rec.attempts(), 1, 'first backoff is 500ms');
    await clock.advance(1);
    assert.equal(rec.attempts(), 2);
    await clock.advance(750);
    assert.equal(rec.attempts(), 3, 'then ×1.5');
    assert.equal(rec.calls.length, 1);
    const text = await registry.metrics();
    assert.match(text, /beacon_notify_notification_requests_total\{integration="test"\} 3/);
    assert.match(text, /beacon_notify_notification_requests_failed_total\{integration="test"\} 2/);
    assert.match(text, /beacon_notify_notifications_failed_total\{integration="test"\} 0/);
    await d.stop();
  });

  test('a non-retryable failure is not retried; the next flush tries again', async () => {
    const { clock, rec, d, alert, registry } = setup({ failures: [new NotifyError('400', false)] });
    d.send([alert({ alertname: 'Down', instance: 'a' })]);
    await clock.advance(30 * S);
    await clock.advance(10 * S);
    assert.equal(rec.attempts(), 1);
    assert.match(
      await registry.metrics(),
      /beacon_notify_notifications_failed_total\{integration="test"\} 1/,
    );
    await clock.advance(5 * M);
    assert.equal(rec.attempts(), 2);
    assert.equal(rec.calls.length, 1);
    await d.stop();
  });
});
