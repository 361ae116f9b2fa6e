import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { Engine } from '../../../../plugins/promql/engine/mod.ts';
import { promqlApi } from '../../../../plugins/promql/api/mod.ts';
import { every, storageWith } from '../engine/helpers.ts';

const storage = await storageWith([
  [{ __name__: 'up', job: 'api' }, every(15_000, [1, 1, 1, 1, 1])],
  [{ __name__: 'up', job: 'web' }, every(15_000, [0, 0, 1, 1, 1])],
]);

// deno-lint-ignore no-explicit-any
async function get(path: string): Promise<{ text: string; body: any }> {
  const api = new Hono();
  promqlApi({ engine: new Engine(), storage })(api);
  const res = await api.request(path);
  assert.equal(res.status, 200);
  const text = await res.text();
  return { text, body: JSON.parse(text) };
}

const TIMINGS = [
  'evalTotalTime',
  'resultSortTime',
  'queryPreparationTime',
  'innerEvalTime',
  'execQueueTime',
  'execTotalTime',
];

describe('query stats', () => {
  test('no stats unless asked for', async () => {
    const r = await get('/query?query=up&time=60');
    assert.equal(r.body.data.stats, undefined);
  });

  test('stats=1: timings in Prometheus order and sample totals, no per-step counts', async () => {
    const r = await get('/query?query=up&time=60&stats=1');
    const stats = r.body.data.stats;
    assert.deepEqual(Object.keys(stats), ['timings', 'samples']);
    assert.deepEqual(Object.keys(stats.timings), TIMINGS);
    for (const k of TIMINGS) assert.ok(stats.timings[k] >= 0, k);
    assert.ok(stats.timings.execTotalTime >= stats.timings.execQueueTime);
    assert.deepEqual(Object.keys(stats.samples), ['totalQueryableSamples', 'peakSamples']);
    assert.equal(stats.samples.totalQueryableSamples, 2);
  });

  test('stats=all adds samples per step of a range query', async () => {
    const r = await get('/query_range?query=up&start=0&end=60&step=15&stats=all');
    assert.deepEqual(r.body.data.stats.samples, {
      totalQueryableSamplesPerStep: [[0, 2], [15, 2], [30, 2], [45, 2], [60, 2]],
      totalQueryableSamples: 10,
      peakSamples: 10,
    });
  });

  test('a range selector counts its window at every step', async () => {
    const r = await get('/query?query=sum_over_time(up[30s])&time=60&stats=all');
    assert.deepEqual(r.body.data.stats.samples.totalQueryableSamplesPerStep, [[60, 4]]);
    const q = await get(
      '/query_range?query=sum_over_time(up[30s])&start=30&end=60&step=30&stats=all',
    );
    // (0, 30] holds two samples per series, (30, 60] two.
    assert.deepEqual(q.body.data.stats.samples.totalQueryableSamplesPerStep, [[30, 4], [60, 4]]);
  });

  test('a subquery read by a function counts its windows; returned, its inner reads', async () => {
    // Inner steps 30, 45 and 60 read two series each (6); the windows hold one series' 3 points.
    const f = await get('/query?query=max_over_time(sum(up)[45s:15s])&time=60&stats=all');
    assert.deepEqual(f.body.data.stats.samples.totalQueryableSamplesPerStep, [[60, 3]]);
    const r = await get('/query?query=sum(up)[45s:15s]&time=60&stats=all');
    assert.deepEqual(r.body.data.stats.samples.totalQueryableSamplesPerStep, [[60, 6]]);
  });

  test('an instant query of a range selector counts the points it returns', async () => {
    const r = await get('/query?query=up[1m]&time=60&stats=1');
    // (0, 60]: four points per series.
    assert.equal(r.body.data.stats.samples.totalQueryableSamples, 8);
  });
});
