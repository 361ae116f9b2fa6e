import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import { ManualClock, SilenceError, Silences } from '../../../core/notify/mod.ts';

const M = (name: string, value: string, isRegex = false) => ({ name, value, isRegex });

describe('silences', () => {
  const setup = () => {
    const clock = new ManualClock(1_000_000);
    let n = 0;
    return { clock, s: new Silences({ clock, newId: () => `s${++n}` }) };
  };
  const base = (clock: ManualClock) => ({
    matchers: [M('alertname', 'Down')],
    startsAt: clock.now(),
    endsAt: clock.now() + 3_600_000,
    createdBy: 'me',
    comment: 'maintenance',
  });

  test('states follow the clock; only active silences mute', async () => {
    const { clock, s } = setup();
    const id = s.set({ ...base(clock), startsAt: clock.now() + 60_000 });
    const lbl = Labels.from({ alertname: 'Down', job: 'x' });
    assert.equal(s.list()[0].state, 'pending');
    assert.deepEqual(s.mutes(lbl), []);
    await clock.advance(60_000);
    assert.equal(s.list()[0].state, 'active');
    assert.deepEqual(s.mutes(lbl), [id]);
    assert.deepEqual(s.mutes(Labels.from({ alertname: 'Up' })), []);
    await clock.advance(3_600_001);
    assert.equal(s.list()[0].state, 'expired');
    assert.deepEqual(s.mutes(lbl), []);
  });

  test('regex matchers and negative matchers', () => {
    const { clock, s } = setup();
    s.set({
      ...base(clock),
      matchers: [M('job', 'node|db', true), {
        name: 'env',
        value: 'prod',
        isRegex: false,
        isEqual: false,
      }],
    });
    assert.equal(s.mutes(Labels.from({ job: 'db', env: 'dev' })).length, 1);
    assert.equal(s.mutes(Labels.from({ job: 'db', env: 'prod' })).length, 0);
    assert.equal(s.mutes(Labels.from({ job: 'dbx' })).length, 0);
  });

  test('update rules: active may move its end; other changes make a new silence', () => {
    const { clock, s } = setup();
    const id = s.set(base(clock));
    const same = s.set({ ...base(clock), id, endsAt: clock.now() + 7_200_000, comment: 'longer' });
    assert.equal(same, id);
    assert.equal(s.get(id)?.comment, 'longer');
    const moved = s.set({ ...base(clock), id, matchers: [M('alertname', 'Other')] });
    assert.notEqual(moved, id);
    assert.equal(s.list().find((x) => x.id === id)?.state, 'expired');
    assert.equal(s.list().find((x) => x.id === moved)?.state, 'active');
  });

  test('expire, and the validation errors', () => {
    const { clock, s } = setup();
    const id = s.set(base(clock));
    s.expire(id);
    assert.throws(() => s.expire(id), /already expired/);
    assert.throws(() => s.expire('nope'), (e: SilenceError) => e.status === 404);
    assert.throws(() => s.set({ ...base(clock), matchers: [] }), /at least one matcher/);
    assert.throws(
      () => s.set({ ...base(clock), matchers: [M('a', '.*', true)] }),
      /must not match the empty string/,
    );
    assert.throws(() => s.set({ ...base(clock), endsAt: clock.now() - 10 }), /before start|past/);
    assert.throws(
      () => s.set({ ...base(clock), startsAt: clock.now() - 7_200_000, endsAt: clock.now() - 1 }),
      /can't be in the past/,
    );
  });

  test('a start in the past becomes now; gc drops old expired silences', async () => {
    const { clock, s } = setup();
    const id = s.set({ ...base(clock), startsAt: clock.now() - 5000 });
    assert.equal(s.get(id)?.startsAt, clock.now());
    s.expire(id);
    await clock.advance(121 * 3_600_000);
    assert.equal(s.gc(), 1);
    assert.equal(s.list().length, 0);
  });

  test('snapshot and restore', () => {
    const { clock, s } = setup();
    s.set(base(clock));
    const t = new Silences({ clock });
    t.restore(s.snapshot());
    assert.equal(t.mutes(Labels.from({ alertname: 'Down' })).length, 1);
  });
});
