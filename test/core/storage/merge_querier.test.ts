import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels, Matcher } from '../../../core/model/mod.ts';
import {
  DecodedSeries,
  FanoutStorage,
  mergeColumns,
  mergeQueriers,
  type Querier,
  type SampleColumns,
  seriesSetOf,
} from '../../../core/storage/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';

const cols = (t: number[], v: number[], stale?: number[]): SampleColumns => ({
  t: Float64Array.from(t),
  v: Float64Array.from(v),
  ...(stale ? { stale: Uint8Array.from(stale) } : {}),
});

function fixed(series: [Record<string, string>, SampleColumns][], fail?: string): Querier {
  return {
    mint: 0,
    maxt: 100,
    select: () =>
      fail ? Promise.reject(new Error(fail)) : Promise.resolve(
        seriesSetOf(series.map(([l, c]) => new DecodedSeries(Labels.from(l), c))),
      ),
    labelNames: () => (fail ? Promise.reject(new Error(fail)) : Promise.resolve(['b', 'z'])),
    labelValues: () => Promise.resolve(['v2']),
    close: () => {},
  };
}

describe('mergeColumns', () => {
  test('interleaves by time; on equal timestamps the first input wins', () => {
    const m = mergeColumns([cols([1, 3, 5], [10, 30, 50]), cols([2, 3, 6], [20, 99, 60])]);
    assert.deepEqual([...m.t], [1, 2, 3, 5, 6]);
    assert.deepEqual([...m.v], [10, 20, 30, 50, 60]);
    assert.equal(m.stale, undefined);
  });

  test('stale markers travel with their samples', () => {
    const m = mergeColumns([cols([1], [1]), cols([1, 2], [7, NaN], [0, 1])]);
    assert.deepEqual([...m.t], [1, 2]);
    assert.deepEqual([...m.stale!], [0, 1]);
  });

  test('an empty input returns the other unchanged', () => {
    const a = cols([1], [1]);
    assert.equal(mergeColumns([cols([], []), a]), a);
  });
});

describe('mergeQueriers', () => {
  test('no secondaries: the primary itself', () => {
    const p = fixed([]);
    assert.equal(mergeQueriers(p, []), p);
  });

  test('same labels merge, others are added in label order; a failed secondary warns', async () => {
    const q = mergeQueriers(fixed([[{ a: '2' }, cols([1, 2], [1, 2])]]), [
      fixed([[{ a: '1' }, cols([5], [5])], [{ a: '2' }, cols([2, 3], [9, 3])]]),
      fixed([], 'remote_read: down'),
    ]);
    const set = await q.select([Matcher.create('=~', 'a', '.+')]);
    assert.deepEqual(set.series.map((s) => s.labels.get('a')), ['1', '2']);
    assert.deepEqual([...set.series[1].samples().v], [1, 2, 3]);
    assert.deepEqual(set.warnings, ['remote_read: down']);
    assert.deepEqual(await q.labelNames(), ['b', 'z']);
  });

  test('a failed primary fails the select', async () => {
    const q = mergeQueriers(fixed([], 'disk on fire'), [fixed([])]);
    await assert.rejects(q.select([]), /disk on fire/);
  });

  test('FanoutStorage writes locally and reads through the secondaries', async () => {
    const local = new MemoryStorage();
    const fan = new FanoutStorage(
      local,
      () => [{ querier: () => fixed([[{ a: '9' }, cols([4], [4])]]) }],
    );
    const app = fan.appender();
    app.append(0, Labels.from({ a: '1' }), 4, 1);
    await app.commit();
    assert.equal((await local.stats()).numSeries, 1);
    const q = fan.querier(0, 10);
    const set = await q.select([Matcher.create('=~', 'a', '.+')]);
    assert.deepEqual(set.series.map((s) => s.labels.get('a')), ['1', '9']);
    q.close();
    assert.equal(typeof fan.onCommit, typeof local.onCommit);
  });
});
