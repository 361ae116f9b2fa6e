import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Alert, ManualClock } from '../../../core/notify/mod.ts';
import { AlertingRule, RuleManager } from '../../../core/rules/mod.ts';
import { format, groupsOf, MIN, raw, setup, write } from './rules_helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

async function alerting(yaml: string) {
  const { storage, queryFn } = setup();
  const sent: Alert[][] = [];
  const m = new RuleManager({
    storage,
    queryFn,
    clock: new ManualClock(T0),
    onAlerts: (a) => sent.push(a),
    externalURL: 'http://beacon.example:9090',
    externalLabels: { dc: 'eu1' },
    formatExpr: format,
  });
  await m.update(groupsOf(yaml), { evaluationInterval: MIN, start: false });
  const group = m.groups()[0];
  return { m, storage, sent, group, rule: group.rules[0] as AlertingRule };
}

const plain = (alerts: Alert[]) =>
  alerts.map((a) => ({
    labels: a.labels.toRecord(),
    annotations: a.annotations.toRecord(),
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    generatorURL: a.generatorURL,
  }));

describe('alerting rules', () => {
  test('pending → firing → resolved with for, ALERTS series, sends and resends', async () => {
    const { storage, sent, group, rule } = await alerting(`
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 2m
        labels: { severity: page }
`);
    const down = { __name__: 'up', job: 'j' };
    await write(storage, [[down, T0, 0]]);
    await group.evaluate(T0);
    assert.equal(rule.state, 'pending');
    assert.equal(sent.length, 0);
    await write(storage, [[down, T0 + MIN, 0]]);
    await group.evaluate(T0 + MIN);
    assert.equal(rule.state, 'pending');
    await write(storage, [[down, T0 + 2 * MIN, 0]]);
    await group.evaluate(T0 + 2 * MIN);
    assert.equal(rule.state, 'firing');
    const generatorURL = 'http://beacon.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1';
    const labels = { alertname: 'Down', job: 'j', severity: 'page' };
    assert.deepEqual(plain(sent[0]), [{
      labels,
      annotations: {},
      startsAt: T0 + 2 * MIN,
      endsAt: T0 + 6 * MIN,
      generatorURL,
    }]);
    // Sent again only once the resend delay (1m) has strictly passed.
    await write(storage, [[down, T0 + 3 * MIN, 0]]);
    await group.evaluate(T0 + 3 * MIN);
    assert.equal(sent.length, 1);
    await write(storage, [[down, T0 + 3 * MIN + 30_000, 0]]);
    await group.evaluate(T0 + 3 * MIN + 30_001);
    assert.equal(sent.length, 2);
    assert.equal(sent[1][0].endsAt, T0 + 3 * MIN + 30_001 + 4 * MIN);
    // Resolved: sent at once with endsAt = resolution time.
    await write(storage, [[down, T0 + 4 * MIN, 1]]);
    await group.evaluate(T0 + 4 * MIN);
    assert.equal(rule.state, 'inactive');
    assert.deepEqual(plain(sent[2]), [{
      labels,
      annotations: {},
      startsAt: T0 + 2 * MIN,
      endsAt: T0 + 4 * MIN,
      generatorURL,
    }]);
    assert.deepEqual(rule.activeAlerts(), []);
    assert.equal(rule.active.size, 1, 'resolved alerts are kept');
    // Resolved alerts are re-sent while kept, then dropped after 15 minutes.
    await group.evaluate(T0 + 5 * MIN + 1);
    assert.equal(sent.length, 4);
    assert.equal(sent[3][0].endsAt, T0 + 4 * MIN);
    await group.evaluate(T0 + 19 * MIN);
    assert.equal(rule.active.size, 1);
    await group.evaluate(T0 + 19 * MIN + 1);
    assert.equal(rule.active.size, 0);

    const alerts = await raw(storage, 'ALERTS');
    const key = (state: string) =>
      `{__name__="ALERTS", alertname="Down", alertstate="${state}", job="j", severity="page"}`;
    assert.deepEqual(alerts[key('pending')], [[T0, 1], [T0 + MIN, 1], [T0 + 2 * MIN, 'stale']]);
    assert.deepEqual(alerts[key('firing')], [
      [T0 + 2 * MIN, 1],
      [T0 + 3 * MIN, 1],
      [T0 + 3 * MIN + 30_001, 1],
      [T0 + 4 * MIN, 'stale'],
    ]);
    const forState = await raw(storage, 'ALERTS_FOR_STATE');
    assert.deepEqual(
      forState['{__name__="ALERTS_FOR_STATE", alertname="Down", job="j", severity="page"}']
        .slice(0, 2),
      [[T0, T0 / 1000], [T0 + MIN, T0 / 1000]],
    );
  });

  test('a pending alert that clears is deleted and never sent', async () => {
    const { storage, sent, group, rule } = await alerting(`
groups:
  - name: g
    rules:
      - alert: A
        expr: x > 0
        for: 5m
`);
    await write(storage, [[{ __name__: 'x' }, T0, 1]]);
    await group.evaluate(T0);
    await write(storage, [[{ __name__: 'x' }, T0 + MIN, 0]]);
    await group.evaluate(T0 + MIN);
    assert.equal(rule.active.size, 0);
    assert.equal(sent.length, 0);
  });

  test('keep_firing_for holds a firing alert after its condition clears', async () => {
    const { storage, sent, group, rule } = await alerting(`
groups:
  - name: g
    rules:
      - alert: A
        expr: x > 0
        keep_firing_for: 2m
`);
    await write(storage, [[{ __name__: 'x' }, T0, 1]]);
    await group.evaluate(T0);
    assert.equal(rule.state, 'firing');
    await write(storage, [[{ __name__: 'x' }, T0 + MIN, 0]]);
    await group.evaluate(T0 + MIN);
    assert.equal(rule.state, 'firing');
    assert.equal(rule.activeAlerts()[0].keepFiringSince, T0 + MIN);
    await group.evaluate(T0 + 2 * MIN);
    assert.equal(rule.state, 'firing');
    await group.evaluate(T0 + 3 * MIN);
    assert.equal(rule.state, 'inactive');
    assert.equal(sent.at(-1)![0].endsAt, T0 + 3 * MIN);
  });

  test('labels and annotations are templated; errors show in the value', async () => {
    const { storage, group, rule } = await alerting(`
groups:
  - name: g
    rules:
      - alert: High
        expr: load > 1
        labels:
          severity: '{{ if gt $value 2.0 }}critical{{ else }}warning{{ end }}'
        annotations:
          summary: '{{ $labels.instance }} load is {{ $value | humanize }} in {{ $externalLabels.dc }}'
          link: '{{ $externalURL }}/x'
          broken: '{{ index $value 1 }}'
`);
    await write(storage, [
      [{ __name__: 'load', instance: 'a' }, T0, 1.5],
      [{ __name__: 'load', instance: 'b' }, T0, 3000],
    ]);
    await group.evaluate(T0);
    const byInstance = Object.fromEntries(
      rule.activeAlerts().map((a) => [a.labels.get('instance'), a]),
    );
    assert.equal(byInstance.a.labels.get('severity'), 'warning');
    assert.equal(byInstance.b.labels.get('severity'), 'critical');
    assert.equal(byInstance.b.annotations.get('summary'), 'b load is 3k in eu1');
    assert.equal(byInstance.a.annotations.get('link'), 'http://beacon.example:9090/x');
    assert.match(
      byInstance.a.annotations.get('broken'),
      /^<error expanding template: error executing template __alert_High: .+>$/,
    );
  });

  test('results that collide after alert labels are an error', async () => {
    const { storage, group, rule } = await alerting(`
groups:
  - name: g
    rules:
      - alert: A
        expr: '{__name__=~"m1|m2"}'
`);
    await write(storage, [[{ __name__: 'm1', k: 'v' }, T0, 1], [
      { __name__: 'm2', k: 'v' },
      T0,
      1,
    ]]);
    await group.evaluate(T0);
    assert.equal(rule.health, 'err');
    assert.equal(
      rule.lastError,
      'vector contains metrics with the same labelset after applying alert labels',
    );
  });

  test('limit counts active alerts', async () => {
    const { storage, group, rule } = await alerting(`
groups:
  - name: g
    limit: 1
    rules:
      - alert: A
        expr: up
`);
    await write(storage, [[{ __name__: 'up', i: '1' }, T0, 1], [
      { __name__: 'up', i: '2' },
      T0,
      1,
    ]]);
    await group.evaluate(T0);
    assert.equal(rule.lastError, 'exceeded limit of 1 with 2 alerts');
    assert.equal(rule.active.size, 0);
  });
});
