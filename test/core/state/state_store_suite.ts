/**
 * The StateStore contract, run against every implementation (memory here, DuckDB under
 * test/plugins/storage/duckdb): `open` gives a store, `reopen` (when the store persists) a new
 * store over the same data.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateStore, StoredNflogEntry, StoredSilence } from '../../../core/state/mod.ts';

/** How the suite gets stores. */
export interface SuiteTarget {
  open(): Promise<StateStore>;
  /** Closes the last store and opens another on its data; absent for non-persistent stores. */
  reopen?(): Promise<StateStore>;
  close(): Promise<void>;
}

const T = 1_760_000_000_000;

/** A silence fixture. */
export const silence = (id: string, endsAt = T + 3_600_000): StoredSilence => ({
  id,
  matchers: [{ name: 'alertname', value: 'Down', isRegex: false, isEqual: true }, {
    name: 'job',
    value: 'a|b',
    isRegex: true,
    isEqual: false,
  }],
  startsAt: T,
  endsAt,
  updatedAt: T,
  createdBy: 'ops',
  comment: "it's fine — ünïcode",
});

const entry = (groupKey: string, expiresAt: number, firing = ['f1']): StoredNflogEntry => ({
  groupKey,
  receiver: 'team',
  integration: 'webhook[0]',
  firing,
  resolved: ['r1', 'r2'],
  timestamp: T,
  expiresAt,
});

const byId = <X extends { id: string }>(xs: X[]) => xs.sort((a, b) => (a.id < b.id ? -1 : 1));

/** Runs the contract. */
export function stateStoreSuite(name: string, target: () => SuiteTarget): void {
  describe(`StateStore contract: ${name}`, () => {
    test('silences: put inserts then replaces, list returns them, delete removes', async () => {
      const t = target();
      try {
        const s = await t.open();
        assert.deepEqual(await s.listSilences(), []);
        await s.putSilence(silence('a'));
        await s.putSilence(silence('b'));
        await s.putSilence({ ...silence('a'), endsAt: T + 1, comment: 'changed' });
        assert.deepEqual(byId(await s.listSilences()), [
          { ...silence('a'), endsAt: T + 1, comment: 'changed' },
          silence('b'),
        ]);
        await s.deleteSilences(['b', 'unknown']);
        assert.deepEqual((await s.listSilences()).map((x) => x.id), ['a']);
      } finally {
        await t.close();
      }
    });

    test('the notification log: one entry per key, expired entries deleted', async () => {
      const t = target();
      try {
        const s = await t.open();
        await s.putNflog(entry('{}:{a="1"}', T + 10));
        await s.putNflog(entry('{}:{a="2"}', T + 20));
        await s.putNflog(entry('{}:{a="1"}', T + 30, ['f1', 'f2']));
        const list = (await s.listNflog()).sort((a, b) => (a.groupKey < b.groupKey ? -1 : 1));
        assert.deepEqual(list, [
          entry('{}:{a="1"}', T + 30, ['f1', 'f2']),
          entry('{}:{a="2"}', T + 20),
        ]);
        assert.equal(await s.deleteExpiredNflog(T + 25), 1);
        assert.deepEqual((await s.listNflog()).map((e) => e.groupKey), ['{}:{a="1"}']);
        assert.equal(await s.deleteExpiredNflog(T + 25), 0);
      } finally {
        await t.close();
      }
    });

    test('registrations: put, replace, list, delete says whether it existed', async () => {
      const t = target();
      try {
        const s = await t.open();
        const r = {
          id: 'r1',
          job: 'apps',
          index: 1,
          targets: ['10.0.0.1:9100', 'host:9100'],
          labels: { env: 'prod', team: 'a' },
          ttlMs: 60_000,
          createdAt: T,
          expiresAt: T + 60_000,
        };
        await s.putRegistration(r);
        await s.putRegistration({ ...r, id: 'r2', labels: {} });
        await s.putRegistration({ ...r, targets: ['only:1'] });
        assert.deepEqual(byId(await s.listRegistrations()), [
          { ...r, targets: ['only:1'] },
          { ...r, id: 'r2', labels: {} },
        ]);
        assert.equal(await s.deleteRegistration('r2'), true);
        assert.equal(await s.deleteRegistration('r2'), false);
        assert.deepEqual((await s.listRegistrations()).map((x) => x.id), ['r1']);
      } finally {
        await t.close();
      }
    });

    test('the store keeps copies: mutating a returned or given object changes nothing', async () => {
      const t = target();
      try {
        const s = await t.open();
        const given = silence('a');
        await s.putSilence(given);
        (given.matchers[0] as { value: string }).value = 'mutated';
        const [got] = await s.listSilences();
        (got.matchers[0] as { value: string }).value = 'mutated too';
        assert.deepEqual(await s.listSilences(), [silence('a')]);
      } finally {
        await t.close();
      }
    });

    test('what was written is there after a reopen (persistent stores)', async (ctx) => {
      const t = target();
      if (!t.reopen) {
        ctx.skip('not a persistent store');
        return;
      }
      try {
        const s = await t.open();
        await s.putSilence(silence('a'));
        await s.putNflog(entry('g', T + 10));
        await s.putRegistration({
          id: 'r',
          job: 'j',
          index: 0,
          targets: ['x:1'],
          labels: {},
          ttlMs: 60_000,
          createdAt: T,
          expiresAt: T + 60_000,
        });
        const again = await t.reopen();
        assert.deepEqual(await again.listSilences(), [silence('a')]);
        assert.deepEqual(await again.listNflog(), [entry('g', T + 10)]);
        assert.deepEqual((await again.listRegistrations()).map((r) => r.id), ['r']);
      } finally {
        await t.close();
      }
    });
  });
}
