import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../../plugins/promql/engine/mod.ts';
import { every, storageWith } from './helpers.ts';

const storage = await storageWith([
  [{ __name__: 'temp', zone: 'a' }, every(15_000, [38, 42, 39, 43, 37])],
  [{ __name__: 'temp', zone: 'b' }, every(15_000, [41, 41, 36, 40, 44])],
]);

describe('or in range queries (found by the differential test)', () => {
  test('left and right series with one label set are one result series', async () => {
    const r = await new Engine().rangeQuery(storage, 'temp > 40 or temp < 39', 0, 60_000, 15_000);
    assert.equal(r.resultType, 'matrix');
    if (r.resultType !== 'matrix') return;
    const got = Object.fromEntries(r.result.map((s) => [s.labels.toString(), [...s.v]]));
    assert.deepEqual(got, {
      '{__name__="temp", zone="a"}': [38, 42, 43, 37],
      '{__name__="temp", zone="b"}': [41, 41, 36, 44],
    });
  });

  test('a series whose name is dropped stays apart from one that keeps it', async () => {
    const r = await new Engine().rangeQuery(
      storage,
      '(temp{zone="a"} + 0 > 40) or temp{zone="a"}',
      0,
      60_000,
      15_000,
    );
    assert.equal(r.resultType, 'matrix');
    if (r.resultType !== 'matrix') return;
    assert.deepEqual(r.result.map((s) => [s.labels.toString(), [...s.v]]), [
      ['{__name__="temp", zone="a"}', [38, 39, 37]],
      ['{zone="a"}', [42, 43]],
    ]);
  });
});
