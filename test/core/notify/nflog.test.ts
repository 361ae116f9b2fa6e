import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, needsUpdate, NotificationLog } from '../../../core/notify/mod.ts';

describe('notification log and dedup', () => {
  const s = (...x: string[]) => new Set(x);
  const H = 3_600_000;

  test("Alertmanager's needsUpdate cases", () => {
    const e = {
      groupKey: 'g',
      receiver: 'r',
      integration: 'webhook[0]',
      firing: ['a'],
      resolved: ['z'],
      timestamp: 0,
      expiresAt: 0,
    };
    assert.equal(needsUpdate(undefined, s('a'), s(), true, H, 10), true, 'first notification');
    assert.equal(needsUpdate(undefined, s(), s('a'), true, H, 10), false, 'nothing fires');
    assert.equal(needsUpdate(e, s('a', 'b'), s(), false, H, 10), true, 'new firing alert');
    assert.equal(needsUpdate(e, s('a'), s('z'), true, H, 10), false, 'nothing new');
    assert.equal(needsUpdate(e, s(), s('a'), false, H, 10), true, 'all resolved');
    assert.equal(
      needsUpdate({ ...e, firing: [] }, s(), s('a'), true, H, 10),
      false,
      'already cleared',
    );
    assert.equal(needsUpdate(e, s('a'), s('y'), true, H, 10), true, 'new resolved, send_resolved');
    assert.equal(needsUpdate(e, s('a'), s('y'), false, H, 10), false, 'new resolved, not sent');
    assert.equal(needsUpdate(e, s('a'), s(), false, H, H), false, 'exactly repeat_interval');
    assert.equal(needsUpdate(e, s('a'), s(), false, H, H + 1), true, 'after repeat_interval');
  });

  test('entries by key, expiry and snapshot', async () => {
    const clock = new ManualClock(0);
    const log = new NotificationLog({ clock, retentionMs: 1000 });
    const k = { groupKey: 'g', receiver: 'r', integration: 'slack[0]' };
    log.log(k, ['a'], []);
    assert.deepEqual(log.get(k)?.firing, ['a']);
    assert.equal(log.get({ ...k, integration: 'slack[1]' }), undefined);
    const copy = new NotificationLog({ clock });
    copy.restore(log.snapshot());
    assert.deepEqual(copy.get(k)?.firing, ['a']);
    await clock.advance(1001);
    assert.equal(log.gc(), 1);
    assert.equal(log.get(k), undefined);
  });
});
