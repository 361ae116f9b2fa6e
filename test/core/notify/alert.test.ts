import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import { fingerprint, isResolved, newAlert, toPostableAlert } from '../../../core/notify/mod.ts';

describe('alert model', () => {
  test('resolved iff endsAt is set and not after now', () => {
    const a = newAlert({ labels: { alertname: 'A' }, startsAt: 1000, endsAt: 5000 });
    assert.equal(isResolved(a, 4999), false);
    assert.equal(isResolved(a, 5000), true);
    assert.equal(isResolved(newAlert({ labels: { alertname: 'A' } }), 1e15), false);
  });

  test('fingerprint is FNV-64a of sorted labels, independent of insertion order', () => {
    // Alertmanager's fingerprint of the empty label set is the FNV-64a offset basis.
    assert.equal(fingerprint(Labels.from({})), 'cbf29ce484222325');
    const a = fingerprint(Labels.from({ alertname: 'Down', job: 'node' }));
    const b = fingerprint(Labels.fromPairs([['job', 'node'], ['alertname', 'Down']]));
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.notEqual(a, fingerprint(Labels.from({ alertname: 'Down', job: 'nodf' })));
  });

  test('postable form leaves unset times out', () => {
    const p = toPostableAlert(newAlert({
      labels: { alertname: 'A' },
      annotations: { summary: 's' },
      startsAt: Date.UTC(2026, 0, 1),
      generatorURL: 'http://x/graph',
    }));
    assert.deepEqual(p, {
      labels: { alertname: 'A' },
      annotations: { summary: 's' },
      startsAt: '2026-01-01T00:00:00.000Z',
      generatorURL: 'http://x/graph',
    });
  });
});
