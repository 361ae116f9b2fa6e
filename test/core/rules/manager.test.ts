import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../../core/metrics/mod.ts';
import { ManualClock } from '../../../core/notify/mod.ts';
import {
  AlertingRule,
  groupHash,
  type InstantSample,
  RuleManager,
} from '../../../core/rules/mod.ts';
import { groupsOf, MIN, raw, setup, write } from './rules_helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

const RECORD = (extra = '') => `
groups:
  - name: g
    rules:
      - record: a
        expr: vector(1)
${extra}`;

describe('rule manager', () => {
  test('groups run at interval slots shifted by the stable per-group offset', async () => {
    const { storage, queryFn } = setup();
    const clock = new ManualClock(T0);
    const times: number[] = [];
    const m = new RuleManager({
      storage,
      clock,
      queryFn: (e, t) => (times.push(t), queryFn(e, t)),
    });
    await m.update(groupsOf(RECORD(), 'f.yml'), { evaluationInterval: MIN });
    const g = m.groups()[0];
    const offset = Number((groupHash('f.yml', 'g') % BigInt(MIN * 1e6)) / 1_000_000n);
    assert.equal(g.evalTimestamp(T0), T0 - MIN + offset);
    // Prometheus's offset has nanoseconds: the slot starts just after T0 + offset ms.
    assert.equal(g.evalTimestamp(T0 + offset + 1), T0 + offset);
    assert.equal(g.evalTimestamp(T0 + offset + MIN - 1), T0 + offset);
    assert.equal(g.evalTimestamp(T0 + offset + MIN + 1), T0 + offset + MIN);
    await clock.advance(3 * MIN);
    assert.deepEqual(times, [T0 + offset, T0 + offset + MIN, T0 + offset + 2 * MIN]);
    assert.equal((await raw(storage, 'a'))['{__name__="a"}'].length, 3);
    await m.stop();
    await clock.advance(3 * MIN);
    assert.equal(times.length, 3);
  });

  test('slow evaluations skip the missed slots and count them', async () => {
    const { storage, queryFn } = setup();
    const manual = new ManualClock(T0);
    let late = 0; // how far the rule manager's clock runs ahead of the manual clock
    const clock = {
      now: () => manual.now() + late,
      setTimer: (fn: () => void, ms: number) => manual.setTimer(fn, ms),
      clearTimer: (h: { readonly id: number }) => manual.clearTimer(h),
      sleep: (ms: number) => manual.sleep(ms),
    };
    const registry = new Registry();
    const times: number[] = [];
    const m = new RuleManager({
      storage,
      clock,
      registry,
      queryFn: (e, t): Promise<readonly InstantSample[]> => {
        if (times.push(t) === 1) late = 2.5 * MIN; // the first evaluation takes 2.5 intervals
        return queryFn(e, t);
      },
    });
    await m.update(groupsOf(RECORD(), 'f.yml'), { evaluationInterval: MIN });
    await manual.advance(2 * MIN);
    assert.deepEqual(times.slice(0, 3).map((t) => t - times[0]), [0, 2 * MIN, 3 * MIN]);
    assert.match(
      await registry.metrics(),
      /beacon_rule_group_iterations_missed_total\{rule_group="f\.yml;g"\} 1\n/,
    );
    await m.stop();
  });

  test('a reload keeps alert state of unchanged rules and marks removed rules stale', async () => {
    const { storage, queryFn } = setup();
    const clock = new ManualClock(T0);
    const m = new RuleManager({ storage, queryFn, clock });
    const v1 = `
groups:
  - name: g
    rules:
      - alert: A
        expr: vector(1)
        for: 5m
      - record: gone
        expr: vector(2)
`;
    await m.update(groupsOf(v1), { evaluationInterval: MIN, start: false });
    await m.groups()[0].evaluate(T0);
    const before = (m.groups()[0].rules[0] as AlertingRule).activeAlerts()[0];
    const v2 = `
groups:
  - name: g
    interval: 30s
    rules:
      - alert: A
        expr: vector(1)
        for: 5m
`;
    await m.update(groupsOf(v2), { evaluationInterval: MIN, start: false });
    const g = m.groups()[0];
    assert.equal(g.interval, 30_000);
    const rule = g.rules[0] as AlertingRule;
    assert.equal(rule.activeAlerts()[0], before);
    await g.evaluate(T0 + MIN);
    assert.equal(rule.activeAlerts()[0].activeAt, T0);
    assert.deepEqual(await raw(storage, 'gone'), {
      '{__name__="gone"}': [[T0, 2], [T0 + MIN, 'stale']],
    });
    // Unchanged groups are kept as they are.
    await m.update(groupsOf(v2), { evaluationInterval: MIN, start: false });
    assert.equal(m.groups()[0], g);
    await m.stop();
  });

  test('a removed group writes stale markers two intervals after it stops', async () => {
    const { storage, queryFn } = setup();
    const clock = new ManualClock(T0);
    const registry = new Registry();
    const m = new RuleManager({ storage, queryFn, clock, registry });
    await m.update(groupsOf(RECORD(), 'f.yml'), { evaluationInterval: MIN, start: false });
    await m.groups()[0].evaluate(T0);
    await clock.advance(10_000);
    await m.update([], { evaluationInterval: MIN });
    assert.deepEqual(m.groups(), []);
    await clock.advance(MIN);
    assert.deepEqual(await raw(storage, 'a'), { '{__name__="a"}': [[T0, 1]] });
    await clock.advance(MIN);
    assert.deepEqual(await raw(storage, 'a'), {
      '{__name__="a"}': [[T0, 1], [T0 + 10_000, 'stale']],
    });
    assert.doesNotMatch(await registry.metrics(), /rule_group="f\.yml;g"/);
    await m.stop();
  });

  test('ALERTS of a firing alert are written through the schedule once restored', async () => {
    const { storage, queryFn } = setup();
    const clock = new ManualClock(T0);
    const m = new RuleManager({ storage, queryFn, clock });
    await write(storage, [[{ __name__: 'x' }, T0, 1]]);
    await m.update(
      groupsOf(`
groups:
  - name: g
    interval: 10s
    rules:
      - alert: X
        expr: x
`),
      { evaluationInterval: MIN },
    );
    // Rules loaded at start-up write no ALERTS until the `for` state restore, which follows
    // the second evaluation.
    await clock.advance(20_000);
    assert.deepEqual(await raw(storage, 'ALERTS'), {});
    await clock.advance(10_000);
    const series = await raw(storage, 'ALERTS');
    assert.deepEqual(Object.keys(series), [
      '{__name__="ALERTS", alertname="X", alertstate="firing"}',
    ]);
    await m.stop();
  });
});
