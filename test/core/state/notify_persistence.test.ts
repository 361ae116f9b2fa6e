/**
 * Silences and the notification log written through to a StateStore, and restored from it:
 * a restarted dispatcher does not notify again within repeat_interval.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import {
  buildRoute,
  Dispatcher,
  DispatcherMetrics,
  ManualClock,
  newAlert,
  NotificationLog,
  type Notifier,
  routeSchema,
  Silences,
} from '../../../core/notify/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { Labels } from '../../../core/model/mod.ts';
import { MemoryStateStore, type StateStore } from '../../../core/state/mod.ts';

const S = 1000, M = 60 * S, H = 60 * M;
const down = [{ name: 'alertname', value: 'Down', isRegex: false }];

describe('silences persist through the state store', () => {
  test('every change is written in order; settled() waits for the writes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryStateStore();
    const silences = new Silences({ clock, store });
    const id = silences.set({
      matchers: down,
      startsAt: clock.now(),
      endsAt: clock.now() + H,
      createdBy: 'ops',
      comment: 'deploy',
    });
    await silences.settled();
    assert.deepEqual(await store.listSilences(), [silences.get(id)]);
    // An in-place update, then an expiry.
    silences.set({
      id,
      matchers: down,
      startsAt: clock.now(),
      endsAt: clock.now() + 2 * H,
      createdBy: 'ops',
      comment: 'longer',
    });
    await clock.advance(M);
    silences.expire(id);
    await silences.settled();
    const [stored] = await store.listSilences();
    assert.equal(stored.comment, 'longer');
    assert.equal(stored.endsAt, clock.now());
    // A new store object over the same state mutes like the old one.
    const again = new Silences({ clock, store });
    again.restore(await store.listSilences());
    assert.deepEqual(again.list(), silences.list());
    // Retention drops it from the store too.
    await clock.advance(121 * H);
    assert.equal(again.gc(), 1);
    await again.settled();
    assert.deepEqual(await store.listSilences(), []);
  });

  test('a failing store is reported and does not block later writes', async () => {
    const errors: unknown[] = [];
    const store = new MemoryStateStore();
    let fail = true;
    const flaky: StateStore = Object.assign(Object.create(store), {
      putSilence: (s: Parameters<StateStore['putSilence']>[0]) =>
        fail ? Promise.reject(new Error('disk full')) : store.putSilence(s),
    });
    const silences = new Silences({ store: flaky, onStoreError: (e) => errors.push(e) });
    const input = {
      matchers: down,
      startsAt: Date.now(),
      endsAt: Date.now() + H,
      createdBy: 'x',
      comment: '',
    };
    silences.set(input);
    await silences.settled();
    assert.deepEqual(errors.map((e) => (e as Error).message), ['disk full']);
    fail = false;
    const id = silences.set(input);
    await silences.settled();
    assert.deepEqual((await store.listSilences()).map((s) => s.id), [id]);
  });
});

describe('the notification log persists through the state store', () => {
  test('entries are written and expired ones deleted', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryStateStore();
    const log = new NotificationLog({ clock, store, retentionMs: H });
    const key = { groupKey: 'g', receiver: 'r', integration: 'webhook[0]' };
    log.log(key, ['f1'], []);
    await log.settled();
    assert.deepEqual(await store.listNflog(), [log.get(key)]);
    await clock.advance(2 * H);
    assert.equal(log.gc(), 1);
    await log.settled();
    assert.deepEqual(await store.listNflog(), []);
  });

  test('a dispatcher restarted on the stored log does not notify again within repeat_interval', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryStateStore();
    const sent: string[] = [];
    const notifier: Notifier = {
      sendResolved: true,
      notify(ctx, alerts) {
        sent.push(`${ctx.groupKey} ${alerts.length}`);
        return Promise.resolve();
      },
    };
    const start = clock.now();
    const alert = (name: string) =>
      newAlert({
        labels: Labels.from({ alertname: name }).toRecord(),
        startsAt: start,
        endsAt: clock.now() + H,
        generatorURL: '',
      });
    const dispatcher = async () => {
      const nflog = new NotificationLog({ clock, store });
      nflog.restore(await store.listNflog());
      const d = new Dispatcher({
        route: buildRoute(
          v.parse(routeSchema, { receiver: 'r', group_by: ['alertname'], repeat_interval: '4h' })!,
        ),
        receivers: new Map([['r', [{ type: 'test', index: 0, notifier }]]]),
        inhibitRules: [],
        clock,
        nflog,
        metrics: new DispatcherMetrics(new Registry()),
      });
      return { d, nflog };
    };
    let { d, nflog } = await dispatcher();
    d.send([alert('Down')]);
    await clock.advance(30 * S);
    assert.deepEqual(sent, ['{}:{alertname="Down"} 1']);
    await d.stop();
    await nflog.settled();

    // "Restart": a new dispatcher and log, from the store only.
    ({ d, nflog } = await dispatcher());
    d.send([alert('Down'), alert('Other')]);
    await clock.advance(30 * S);
    assert.deepEqual(sent, ['{}:{alertname="Down"} 1', '{}:{alertname="Other"} 1']);
    // After repeat_interval the unchanged group is notified again.
    await clock.advance(4 * H);
    d.send([alert('Down')]);
    await clock.advance(5 * M);
    assert.ok(sent.filter((s) => s.startsWith('{}:{alertname="Down"}')).length >= 2);
    await d.stop();
  });
});
