import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { Labels } from '../../../core/model/mod.ts';
import {
  type Alert,
  compileInhibitRules,
  fingerprint,
  Inhibitor,
  inhibitRulesSchema,
  newAlert,
} from '../../../core/notify/mod.ts';

const rules = compileInhibitRules(v.parse(inhibitRulesSchema, [
  {
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ['cluster'],
  },
  {
    source_match: { alertname: 'NodeDown' },
    target_match_re: { alertname: '.+' },
    equal: ['instance'],
  },
]));

describe('inhibition', () => {
  const now = 1_000_000;
  const crit = newAlert({
    labels: { alertname: 'A', severity: 'critical', cluster: 'c1' },
    startsAt: 1,
  });
  const setup = (alerts: Alert[]) => new Inhibitor(rules, () => alerts, () => now);

  test('a firing source mutes targets with equal labels', () => {
    const inh = setup([crit]);
    const warn = Labels.from({ alertname: 'B', severity: 'warning', cluster: 'c1' });
    assert.deepEqual(inh.mutedBy(warn), [fingerprint(crit.labels)]);
    assert.deepEqual(
      inh.mutedBy(Labels.from({ alertname: 'B', severity: 'warning', cluster: 'c2' })),
      [],
    );
    assert.deepEqual(
      inh.mutedBy(Labels.from({ alertname: 'B', severity: 'info', cluster: 'c1' })),
      [],
    );
  });

  test('a resolved source mutes nothing', () => {
    const inh = setup([{ ...crit, endsAt: now - 1 }]);
    assert.deepEqual(inh.mutedBy(Labels.from({ severity: 'warning', cluster: 'c1' })), []);
  });

  test('an alert matching both sides does not inhibit itself or its twin', () => {
    const a = newAlert({ labels: { alertname: 'NodeDown', instance: 'i1' } });
    const b = newAlert({ labels: { alertname: 'NodeDown', instance: 'i1', extra: 'x' } });
    const inh = setup([a, b]);
    assert.deepEqual(inh.mutedBy(a.labels), []);
    assert.deepEqual(inh.mutedBy(b.labels), []);
    assert.equal(inh.mutedBy(Labels.from({ alertname: 'DiskFull', instance: 'i1' })).length, 1);
  });

  test('a missing equal label counts as equal emptiness', () => {
    const inh = setup([newAlert({ labels: { severity: 'critical' } })]);
    assert.equal(inh.mutedBy(Labels.from({ severity: 'warning' })).length, 1);
  });
});
