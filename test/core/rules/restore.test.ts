import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Alert, ManualClock } from '../../../core/notify/mod.ts';
import {
  type AlertingRule,
  RuleManager,
  type RuleManagerOptions,
} from '../../../core/rules/mod.ts';
import { groupsOf, MIN, raw, setup } from './rules_helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

const RULES = (forDuration: string) => `
groups:
  - name: g
    rules:
      - alert: Up
        expr: vector(1)
        for: ${forDuration}
        labels: { severity: page }
`;

type Tuning = Pick<RuleManagerOptions, 'forGracePeriodMs' | 'forOutageToleranceMs'>;

/**
 * Runs a manager whose alert is active for `activeMin` minutes after its first evaluation,
 * stops it, lets `downMin` minutes pass, and starts a second manager on the same storage. It
 * returns once the second manager has evaluated twice and restored (at `f2`).
 */
async function restart(forDuration: string, activeMin: number, downMin: number, tuning: Tuning) {
  const { storage, queryFn } = setup();
  const clock = new ManualClock(T0);
  const evals: number[] = [];
  const sent: Alert[][] = [];
  const manager = () =>
    new RuleManager({
      storage,
      clock,
      queryFn: (e, t) => (evals.push(t), queryFn(e, t)),
      onAlerts: (a) => sent.push(a),
      ...tuning,
    });
  const m1 = manager();
  await m1.update(groupsOf(RULES(forDuration)), { evaluationInterval: MIN });
  await clock.advance(MIN);
  const e1 = evals[0];
  await clock.advance(activeMin * MIN);
  assert.equal(evals.at(-1), e1 + activeMin * MIN);
  const before = (m1.groups()[0].rules[0] as AlertingRule).activeAlerts()[0];
  assert.equal(before.activeAt, e1);
  await m1.stop();
  await clock.advance(downMin * MIN);
  const sentBefore = sent.length;
  const m2 = manager();
  await m2.update(groupsOf(RULES(forDuration)), { evaluationInterval: MIN });
  await clock.advance(2 * MIN);
  const f2 = evals.at(-1)!;
  assert.equal(f2, e1 + (activeMin + downMin + 2) * MIN);
  const rule = m2.groups()[0].rules[0] as AlertingRule;
  /** Advances to the evaluation `min` minutes after the restore; the rule's state there. */
  const at = async (min: number) => {
    await clock.advance(f2 + min * MIN - clock.now());
    assert.equal(evals.at(-1), f2 + min * MIN);
    return rule.state;
  };
  const forState = async () =>
    (await raw(storage, 'ALERTS_FOR_STATE'))[
      '{__name__="ALERTS_FOR_STATE", alertname="Up", severity="page"}'
    ];
  return { m2, e1, f2, rule, at, forState, sent, sentBefore, storage };
}

const sec = (ms: number) => Math.floor(ms / 1000);

describe("restoring alerts' for state after a restart", () => {
  test('the time already spent pending counts, the outage does not', async () => {
    // Pending 6m of 10m when stopped; 4m left exceeds the 1m grace period.
    const { m2, e1, f2, rule, at, forState, sent, sentBefore } = await restart('10m', 6, 2, {
      forGracePeriodMs: MIN,
    });
    // The downtime (last write before the stop to the restore) pushes activeAt forward.
    const activeAt = sec(e1) * 1000 + (f2 - sec(e1 + 6 * MIN) * 1000);
    assert.equal(activeAt, f2 - 6 * MIN);
    assert.equal(rule.activeAlerts()[0].activeAt, activeAt);
    assert.equal(await at(3), 'pending');
    assert.equal(sent.length, sentBefore);
    assert.equal(await at(4), 'firing');
    assert.equal(sent.length, sentBefore + 1);
    assert.equal(sent.at(-1)![0].startsAt, f2 + 4 * MIN);
    // The restored activeAt is what ALERTS_FOR_STATE records from then on.
    const samples = await forState();
    assert.deepEqual(samples.at(-1), [f2 + 4 * MIN, sec(activeAt)]);
    // The new manager wrote nothing before its restore.
    assert.equal(samples.filter(([t]) => t > e1 + 6 * MIN && t <= f2).length, 0);
    await m2.stop();
  });

  test('an alert left with less than the grace period waits the grace period', async () => {
    // 4m left of 10m is under the default 10m grace: it fires 10m after the restore, not
    // 10m after the new manager's first evaluation (which was one minute earlier).
    const { m2, f2, rule, at } = await restart('10m', 6, 2, {});
    assert.equal(rule.activeAlerts()[0].activeAt, f2);
    assert.equal(await at(9), 'pending');
    assert.equal(await at(10), 'firing');
    await m2.stop();
  });

  test('an alert that was firing keeps its activeAt and fires straight away', async () => {
    const { m2, e1, f2, rule, at, storage } = await restart('2m', 6, 2, { forGracePeriodMs: MIN });
    assert.equal(rule.activeAlerts()[0].activeAt, sec(e1) * 1000);
    assert.equal(await at(1), 'firing');
    const alerts = await raw(storage, 'ALERTS');
    assert.deepEqual(
      alerts['{__name__="ALERTS", alertname="Up", alertstate="firing", severity="page"}'].at(-1),
      [f2 + MIN, 1],
    );
    await m2.stop();
  });

  test('nothing is restored after an outage longer than the tolerance', async () => {
    const { m2, f2, rule } = await restart('10m', 6, 2, {
      forGracePeriodMs: MIN,
      forOutageToleranceMs: 3 * MIN,
    });
    assert.equal(rule.activeAlerts()[0].activeAt, f2 - MIN);
    await m2.stop();
  });

  test('a for shorter than the grace period is waited in full', async () => {
    const { m2, f2, rule, at } = await restart('5m', 3, 2, {});
    assert.equal(rule.activeAlerts()[0].activeAt, f2 - MIN);
    assert.equal(await at(3), 'pending');
    assert.equal(await at(4), 'firing');
    await m2.stop();
  });
});
