import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tsdbStatusApi } from '../../../core/api/tsdb.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { apiApp, put } from './api_app.ts';

describe('GET /api/v1/status/tsdb', () => {
  test("head statistics and the top lists, in Prometheus's shape", async () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < 3; i++) {
      await put(storage, { __name__: 'up', job: 'node', i: `${i}` }, 1000 * (i + 1), 1);
    }
    await put(storage, { __name__: 'go_goroutines', job: 'api' }, 500, 7);
    const app = apiApp([tsdbStatusApi({ storage })]);
    const res = await app.request('/api/v1/status/tsdb');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.equal(body.status, 'success');
    const d = body.data;
    assert.deepEqual(Object.keys(d), [
      'headStats',
      'seriesCountByMetricName',
      'labelValueCountByLabelName',
      'memoryInBytesByLabelName',
      'seriesCountByLabelValuePair',
    ]);
    assert.deepEqual(Object.keys(d.headStats), [
      'numSeries',
      'numLabelPairs',
      'chunkCount',
      'minTime',
      'maxTime',
    ]);
    assert.equal(d.headStats.numSeries, 4);
    assert.equal(d.headStats.minTime, 500);
    assert.equal(d.headStats.maxTime, 3000);
    assert.equal(d.headStats.chunkCount, 4);
    // __name__ ×2, job ×2, i ×3.
    assert.equal(d.headStats.numLabelPairs, 7);
    assert.deepEqual(d.seriesCountByMetricName, [{ name: 'up', value: 3 }, {
      name: 'go_goroutines',
      value: 1,
    }]);
    assert.deepEqual(d.labelValueCountByLabelName[0], { name: 'i', value: 3 });
    assert.deepEqual(d.seriesCountByLabelValuePair.slice(0, 2), [
      { name: '__name__=up', value: 3 },
      { name: 'job=node', value: 3 },
    ]);
    assert.ok(d.memoryInBytesByLabelName.some((e: { name: string }) => e.name === '__name__'));
  });

  test('limit cuts the lists; bad limits are bad_data as in Prometheus', async () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < 5; i++) await put(storage, { __name__: `m${i}` }, 1, 1);
    const app = apiApp([tsdbStatusApi({ storage })]);
    const ok = await (await app.request('/api/v1/status/tsdb?limit=2')).json();
    assert.equal(ok.data.seriesCountByMetricName.length, 2);
    for (
      const [q, msg] of [
        ['0', 'limit must be a positive number'],
        ['x', 'limit must be a positive number'],
        ['1.5', 'limit must be a positive number'],
        ['10001', 'limit must not exceed 10000'],
      ]
    ) {
      const res = await app.request(`/api/v1/status/tsdb?limit=${q}`);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { status: 'error', errorType: 'bad_data', error: msg });
    }
  });

  test('an empty head reports the int64 bounds Prometheus starts from', async () => {
    const app = apiApp([tsdbStatusApi({ storage: new MemoryStorage() })]);
    const text = await (await app.request('/api/v1/status/tsdb')).text();
    assert.match(text, /"minTime":9223372036854775807,"maxTime":-9223372036854775808/);
    assert.match(text, /"seriesCountByMetricName":\[\]/);
  });
});
