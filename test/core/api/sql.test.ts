import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sqlApi, type SqlApiOptions } from '../../../core/api/mod.ts';
import { SqlError, type SqlLimits, type SqlRunner } from '../../../core/state/mod.ts';
import { apiApp } from './api_app.ts';

/** A runner that records what it was asked and answers `rows` rows of one column. */
function fakeRunner(rows = 3) {
  const asked: { sql: string; limits?: SqlLimits }[] = [];
  const runner: SqlRunner = {
    query(sql, limits) {
      asked.push({ sql, limits });
      if (sql === 'bad') {
        return Promise.reject(new SqlError('only a read-only SELECT query is allowed'));
      }
      if (sql === 'slow') return Promise.reject(new SqlError('query timed out', 'timeout'));
      const n = Math.min(rows, limits?.maxRows ?? rows);
      return Promise.resolve({
        columns: [{ name: 'n', type: 'BIGINT' }],
        rows: Array.from({ length: n }, (_, i) => [i]),
        truncated: rows > n,
      });
    },
  };
  return { runner, asked };
}

function app(opts: Partial<SqlApiOptions>) {
  return apiApp([
    sqlApi({ enabled: true, engine: 'duckdb', maxRows: 100, timeoutMs: 5000, ...opts }),
  ]);
}

describe('GET|POST /api/v1/sql', () => {
  test('disabled: 404 with a not_found error naming the flag', async () => {
    const res = await app({ enabled: false }).request('/api/v1/sql?query=SELECT%201');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      status: 'error',
      errorType: 'not_found',
      error: 'the SQL API is disabled: start Beacon with --web.enable-sql',
    });
  });

  test('an engine without SQL (memory) answers unavailable', async () => {
    const res = await app({ engine: 'memory' }).request('/api/v1/sql?query=SELECT%201');
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.errorType, 'unavailable');
    assert.match(body.error, /not available with storage engine "memory"/);
  });

  test('GET, POST form and POST text bodies run the query with the limits', async () => {
    const { runner, asked } = fakeRunner();
    const a = app({ runner: () => Promise.resolve(runner) });
    const get = await a.request('/api/v1/sql?query=SELECT%201');
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), {
      status: 'success',
      data: { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[0], [1], [2]] },
    });
    await a.request('/api/v1/sql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=SELECT+2&limit=2',
    });
    await a.request('/api/v1/sql', {
      method: 'POST',
      headers: { 'content-type': 'application/sql' },
      body: 'SELECT 3',
    });
    assert.deepEqual(asked, [
      { sql: 'SELECT 1', limits: { maxRows: 100, timeoutMs: 5000 } },
      { sql: 'SELECT 2', limits: { maxRows: 2, timeoutMs: 5000 } },
      { sql: 'SELECT 3', limits: { maxRows: 100, timeoutMs: 5000 } },
    ]);
  });

  test('a cut answer carries a warning; a limit above the maximum is capped', async () => {
    const { runner, asked } = fakeRunner(500);
    const res = await app({ runner: () => Promise.resolve(runner) }).request(
      '/api/v1/sql?query=x&limit=1000',
    );
    const body = await res.json();
    assert.equal(body.data.rows.length, 100);
    assert.deepEqual(body.warnings, ['result truncated to 100 rows']);
    assert.equal(asked[0].limits?.maxRows, 100);
  });

  test('start and end (RFC 3339 or unix seconds) narrow the samples view', async () => {
    const { runner, asked } = fakeRunner();
    const a = app({ runner: () => Promise.resolve(runner) });
    const ok = await a.request('/api/v1/sql?query=x&start=1700000000&end=2023-11-14T22:15:00Z');
    assert.equal(ok.status, 200);
    assert.deepEqual(asked[0].limits, {
      maxRows: 100,
      timeoutMs: 5000,
      start: 1_700_000_000_000,
      end: 1_700_000_100_000,
    });
    for (const q of ['start=yesterday', 'end=x', 'start=20&end=10']) {
      const res = await a.request(`/api/v1/sql?query=x&${q}`);
      assert.equal(res.status, 400, q);
      assert.equal((await res.json()).errorType, 'bad_data', q);
    }
  });

  test('errors: empty query and bad limit 400; rejected query 400; timeout 503', async () => {
    const { runner } = fakeRunner();
    const a = app({ runner: () => Promise.resolve(runner) });
    const cases: [string, number, string][] = [
      ['/api/v1/sql', 400, 'bad_data'],
      ['/api/v1/sql?query=%20', 400, 'bad_data'],
      ['/api/v1/sql?query=x&limit=0', 400, 'bad_data'],
      ['/api/v1/sql?query=x&limit=abc', 400, 'bad_data'],
      ['/api/v1/sql?query=bad', 400, 'bad_data'],
      ['/api/v1/sql?query=slow', 503, 'timeout'],
    ];
    for (const [url, status, type] of cases) {
      const res = await a.request(url);
      assert.equal(res.status, status, url);
      assert.equal((await res.json()).errorType, type, url);
    }
  });

  test('the runner is made once, on first use', async () => {
    const { runner } = fakeRunner();
    let made = 0;
    const a = app({
      runner: () => {
        made++;
        return Promise.resolve(runner);
      },
    });
    assert.equal(made, 0);
    await a.request('/api/v1/sql?query=a');
    await a.request('/api/v1/sql?query=b');
    assert.equal(made, 1);
  });
});
