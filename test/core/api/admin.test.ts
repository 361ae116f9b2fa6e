import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminApi, parseTimeParam } from '../../../core/api/admin.ts';
import type { Matcher } from '../../../core/model/mod.ts';
import type { Storage } from '../../../core/storage/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { apiApp, dump, put } from './api_app.ts';

function parseSelector(s: string): Matcher[] {
  const e = parseExpr(s);
  if (e.type !== 'VectorSelector') throw new Error(`${s} is not a series selector`);
  return e.matchers;
}

function setup(enabled: boolean, storage: Storage = new MemoryStorage()) {
  let cleaned = 0;
  const app = apiApp([adminApi({
    storage,
    enabled,
    parseSelector,
    cleanTombstones: () => {
      cleaned++;
      return Promise.resolve();
    },
  })]);
  return { app, storage, cleaned: () => cleaned };
}

const form = (body: string) => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('admin API', () => {
  test('disabled: every endpoint answers as Prometheus does (unavailable, 500)', async () => {
    const { app } = setup(false);
    for (const ep of ['delete_series?match[]=up', 'clean_tombstones', 'snapshot']) {
      for (const method of ['POST', 'PUT']) {
        const res = await app.request(`/api/v1/admin/tsdb/${ep}`, { method });
        assert.equal(res.status, 500, `${method} ${ep}`);
        assert.deepEqual(await res.json(), {
          status: 'error',
          errorType: 'unavailable',
          error: 'admin APIs disabled',
        });
      }
    }
  });

  test('delete_series removes the matched series in the range; 204', async () => {
    const { app, storage } = setup(true);
    for (const t of [1000, 2000, 3000]) {
      await put(storage, { __name__: 'up', job: 'a' }, t, 1);
      await put(storage, { __name__: 'up', job: 'b' }, t, 2);
    }
    const res = await app.request(
      '/api/v1/admin/tsdb/delete_series?start=1.5&end=2',
      form('match[]=up{job="a"}'),
    );
    assert.equal(res.status, 204);
    assert.deepEqual(await dump(storage), {
      '{__name__="up", job="a"}': [[1000, 1], [3000, 1]],
      '{__name__="up", job="b"}': [[1000, 2], [2000, 2], [3000, 2]],
    });
    const all = await app.request('/api/v1/admin/tsdb/delete_series?match[]=up', { method: 'PUT' });
    assert.equal(all.status, 204);
    assert.deepEqual(await dump(storage), {});
  });

  test('delete_series parameter errors', async () => {
    const { app } = setup(true);
    const cases: [string, string][] = [
      ['', 'no match[] parameter provided'],
      [
        'match[]=up&start=yesterday',
        'invalid parameter "start": cannot parse "yesterday" to a valid timestamp',
      ],
      ['match[]=up&end=x', 'invalid parameter "end": cannot parse "x" to a valid timestamp'],
      [
        'match[]=rate(up[5m])',
        'invalid parameter "match[]": rate(up[5m]) is not a series selector',
      ],
    ];
    for (const [q, error] of cases) {
      const res = await app.request(`/api/v1/admin/tsdb/delete_series?${q}`, { method: 'POST' });
      assert.equal(res.status, 400, q);
      assert.deepEqual(await res.json(), { status: 'error', errorType: 'bad_data', error });
    }
  });

  test('clean_tombstones: 204 after the engine hook ran', async () => {
    const { app, cleaned } = setup(true);
    const res = await app.request('/api/v1/admin/tsdb/clean_tombstones', { method: 'POST' });
    assert.equal(res.status, 204);
    assert.equal(cleaned(), 1);
  });

  test('snapshot: the engine names it; skip_head must be a boolean', async () => {
    const storage = new MemoryStorage();
    const withSnapshot = Object.assign(storage, {
      snapshot: () => Promise.resolve('20260101T000000Z-0000000000000001'),
    });
    const { app } = setup(true, withSnapshot);
    const res = await app.request('/api/v1/admin/tsdb/snapshot', form('skip_head=true'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'success',
      data: { name: '20260101T000000Z-0000000000000001' },
    });
    const bad = await app.request('/api/v1/admin/tsdb/snapshot?skip_head=maybe', {
      method: 'POST',
    });
    assert.equal(bad.status, 400);
    assert.match(
      (await bad.json()).error,
      /^invalid parameter "skip_head": unable to parse boolean/,
    );
  });

  test('snapshot on an engine without snapshots is an internal error', async () => {
    const { app } = setup(true);
    const res = await app.request('/api/v1/admin/tsdb/snapshot', { method: 'POST' });
    assert.equal(res.status, 500);
    assert.equal((await res.json()).errorType, 'internal');
  });

  test("time parameters: float seconds, RFC 3339, and Prometheus's open bounds", () => {
    assert.equal(parseTimeParam('1.5', 0), 1500);
    assert.equal(parseTimeParam('-2.0005', 0), -2001);
    assert.equal(parseTimeParam('1e3', 0), 1_000_000);
    assert.equal(
      parseTimeParam('2024-01-02T03:04:05.123456Z', 0),
      Date.UTC(2024, 0, 2, 3, 4, 5, 123),
    );
    assert.equal(parseTimeParam('2024-01-02T03:04:05+01:00', 0), Date.UTC(2024, 0, 2, 2, 4, 5));
    assert.equal(parseTimeParam('-292273086-05-16T16:47:06Z', 0), Number.MIN_SAFE_INTEGER);
    assert.equal(parseTimeParam('292277025-08-18T07:12:54.999999999Z', 0), Number.MAX_SAFE_INTEGER);
    assert.equal(parseTimeParam(null, 42), 42);
    assert.equal(typeof parseTimeParam('0x10', 0), 'string');
  });
});
