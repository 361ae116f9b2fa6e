import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, MemoryStateStore, parseState } from '../../../adapters/edge/mod.ts';
import { restoreAlert, storeAlert } from '../../../adapters/edge/state.ts';
import { Labels } from '../../../core/model/mod.ts';
import type { RuleAlert } from '../../../core/rules/mod.ts';

const alert: RuleAlert = {
  state: 'pending',
  labels: Labels.from({ alertname: 'A', job: 'x' }),
  annotations: Labels.from({ summary: 'it is high' }),
  value: 3.5,
  activeAt: 1000,
  firedAt: 0,
  resolvedAt: 0,
  lastSentAt: 0,
  validUntil: 0,
  keepFiringSince: 0,
};

describe('edge state', () => {
  test('an alert survives a JSON round trip', () => {
    const stored = JSON.parse(JSON.stringify(storeAlert('k', alert)));
    assert.equal(stored.key, 'k');
    const back = restoreAlert(stored);
    assert.ok(back.labels.equals(alert.labels));
    assert.ok(back.annotations.equals(alert.annotations));
    assert.deepEqual({ ...back, labels: 0, annotations: 0 }, {
      ...alert,
      labels: 0,
      annotations: 0,
    });
  });

  test('anything but a version 1 document reads as an empty state', () => {
    assert.deepEqual(parseState('not json'), emptyState());
    assert.deepEqual(parseState({ version: 2 }), emptyState());
    assert.deepEqual(parseState(null), emptyState());
    const s = parseState(JSON.stringify({ version: 1, targets: { a: 1 } }));
    assert.deepEqual(s.targets, { a: 1 });
    assert.deepEqual(s.alerts, {});
  });

  test('the memory store returns a copy of what was saved', async () => {
    const store = new MemoryStateStore();
    assert.equal(await store.load(), undefined);
    const s = emptyState();
    s.groups.g = 5;
    await store.save(s);
    s.groups.g = 6;
    assert.equal((await store.load())?.groups.g, 5);
  });
});
