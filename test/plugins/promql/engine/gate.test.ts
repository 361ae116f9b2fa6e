import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyGate } from '../../../../plugins/promql/engine/gate.ts';
import { Engine, type Queryable, QueryError } from '../../../../plugins/promql/engine/mod.ts';
import type { Querier, SeriesSet } from '../../../../core/storage/mod.ts';

describe('ConcurrencyGate', () => {
  test('hands slots to waiters in arrival order', async () => {
    const gate = new ConcurrencyGate(1);
    const far = Date.now() + 60_000;
    await gate.acquire(far);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => gate.acquire(far).then(() => order.push(n)));
    assert.equal(gate.queued, 3);
    for (let i = 0; i < 3; i++) {
      gate.release();
      await waits[i];
    }
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(gate.running, 1);
    gate.release();
    assert.equal(gate.running, 0);
  });

  test('a waiter past its deadline fails with the queue timeout and frees its place', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire(Date.now() + 60_000);
    await assert.rejects(
      gate.acquire(Date.now() + 20),
      (e: QueryError) => e.kind === 'timeout' && e.message === 'query timed out in query queue',
    );
    assert.equal(gate.queued, 0);
    await assert.rejects(gate.acquire(Date.now() - 1), /query timed out in query queue/);
  });

  test('an aborted waiter fails with canceled in query queue', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire(Date.now() + 60_000);
    const ctl = new AbortController();
    const p = gate.acquire(Date.now() + 60_000, ctl.signal);
    ctl.abort();
    await assert.rejects(p, (e: QueryError) => e.message === 'query was canceled in query queue');
    assert.equal(gate.queued, 0);
  });
});

describe('Engine with --query.max-concurrency', () => {
  test('queries beyond the limit queue, and time out in the queue when the slot never frees', async () => {
    let unblock: () => void = () => {};
    const blocked = new Promise<void>((r) => (unblock = r));
    let selects = 0;
    const slow: Queryable = {
      querier: (mint, maxt): Querier => ({
        mint,
        maxt,
        select: async (): Promise<SeriesSet> => {
          selects++;
          await blocked;
          return { series: [], warnings: [], [Symbol.iterator]: () => [][Symbol.iterator]() };
        },
        labelNames: () => Promise.resolve([]),
        labelValues: () => Promise.resolve([]),
        close: () => {},
      }),
    };
    const engine = new Engine({ maxConcurrency: 2, timeout: 60_000 });
    const running = [engine.instantQuery(slow, 'up', 0), engine.instantQuery(slow, 'up', 0)];
    await assert.rejects(
      engine.instantQuery(slow, 'up', 0, { timeout: 30 }),
      (e: QueryError) =>
        e instanceof QueryError && e.kind === 'timeout' && /query queue/.test(e.message),
    );
    // Only the two admitted queries ever reached the storage.
    assert.equal(selects, 2);
    const queued = engine.instantQuery(slow, 'up', 0);
    unblock();
    await Promise.all([...running, queued]);
    assert.equal(selects, 3);
  });
});
