import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { Engine } from '../../../../plugins/promql/engine/mod.ts';
import { promqlApi } from '../../../../plugins/promql/api/mod.ts';
import { every, storageWith } from '../engine/helpers.ts';

const storage = await storageWith([
  [{ __name__: 'up', job: 'api', instance: 'a:1' }, every(15_000, [1, 1, 1, 1, 1])],
  [{ __name__: 'up', job: 'web', instance: 'b:1' }, every(15_000, [0, 0, 1, 1, 1])],
  [{ __name__: 'odd', 'my.label': 'x<y' }, every(15_000, [NaN, Infinity, -Infinity, 0.1, 1e21])],
]);

function app(): Hono {
  const api = new Hono();
  promqlApi({ engine: new Engine(), storage, now: () => 60_000 })(api);
  return api;
}

// deno-lint-ignore no-explicit-any
type Json = any;

async function get(path: string): Promise<{ status: number; text: string; body: Json }> {
  const res = await app().request(path);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

async function post(path: string, form: Record<string, string>) {
  const res = await app().request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

describe('query API', () => {
  test("/query returns a vector in Prometheus's JSON", async () => {
    const r = await get('/query?query=up{job="api"}&time=30.5');
    assert.equal(r.status, 200);
    assert.equal(
      r.text,
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[30.500,"1"]}]}}',
    );
  });

  test('POST form and RFC 3339 times work as GET does', async () => {
    const r = await post('/query', { query: 'sum(up)', time: '1970-01-01T00:01:00Z' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.result, [{ metric: {}, value: [60, '2'] }]);
  });

  test('special float values, HTML escaping and default time', async () => {
    const r = await get('/query_range?query=odd&start=0&end=60&step=15');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('"x\\u003cy"'));
    assert.deepEqual(r.body.data.result[0].values, [
      [0, 'NaN'],
      [15, '+Inf'],
      [30, '-Inf'],
      [45, '0.1'],
      [60, '1000000000000000000000'],
    ]);
    const now = await get('/query?query=time()');
    assert.deepEqual(now.body.data, { resultType: 'scalar', result: [60, '60'] });
  });

  test('/query_range with a fractional step', async () => {
    const r = await get('/query_range?query=up{job="web"}&start=30&end=33&step=1.5');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('"values":[[30,"1"],[31.500,"1"],[33,"1"]]'), r.text);
  });

  test("parameter errors are bad_data with Prometheus's messages", async () => {
    const cases: [string, string][] = [
      [
        '/query?query=sum(',
        'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
      ],
      [
        '/query?query=up&time=abc',
        'invalid parameter "time": cannot parse "abc" to a valid timestamp',
      ],
      [
        '/query_range?query=up&start=10&end=0&step=1',
        'end timestamp must not be before start time',
      ],
      [
        '/query_range?query=up&start=0&end=10&step=0',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      ],
      [
        '/query_range?query=up&start=0&end=11001&step=1',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      ],
      [
        '/query_range?query=up&start=0&end=1&step=x',
        'invalid parameter "step": cannot parse "x" to a valid duration',
      ],
      ['/series', 'no match[] parameter provided'],
    ];
    for (const [path, msg] of cases) {
      const r = await get(path);
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.body, { status: 'error', errorType: 'bad_data', error: msg }, path);
    }
  });

  test('execution errors are 422, timeouts 503', async () => {
    const dup = await get(
      '/query?query=label_replace(label_replace(up,"job","x","",""),"instance","x","","")&time=60',
    );
    assert.equal(dup.status, 422);
    assert.equal(dup.body.errorType, 'execution');
    const slow = await get('/query?query=up&time=60&timeout=-1');
    assert.equal(slow.status, 503);
    assert.deepEqual(slow.body, {
      status: 'error',
      errorType: 'timeout',
      error: 'query timed out in query execution',
    });
  });

  test('annotations and limit', async () => {
    const r = await get('/query?query=rate(up[1m])&time=60&limit=1');
    assert.equal(r.body.data.result.length, 1);
    assert.deepEqual(r.body.warnings, ['results truncated due to limit']);
    assert.deepEqual(r.body.infos, [
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)',
    ]);
  });

  test('/format_query, /parse_query, /query_exemplars', async () => {
    const f = await get('/format_query?query=sum by(job)(up)');
    assert.deepEqual(f.body, { status: 'success', data: 'sum by (job) (up)' });
    const p = await get('/parse_query?query=up');
    assert.equal(p.body.data.type, 'vectorSelector');
    const e = await get('/query_exemplars?query=up');
    assert.deepEqual(e.body, { status: 'success', data: [] });
  });

  test('/series, /labels, /label/:name/values with U__ escaping', async () => {
    const s = await get('/series?match[]=up&match[]=up{job="api"}');
    assert.deepEqual(s.body.data, [
      { __name__: 'up', instance: 'a:1', job: 'api' },
      { __name__: 'up', instance: 'b:1', job: 'web' },
    ]);
    const l = await post('/labels', { 'match[]': 'odd' });
    assert.deepEqual(l.body.data, ['__name__', 'my.label']);
    const v = await get('/label/U__my_2e_label/values');
    assert.deepEqual(v.body.data, ['x<y']);
    const jobs = await get('/label/job/values?limit=1');
    assert.deepEqual(jobs.body, {
      status: 'success',
      data: ['api'],
      warnings: ['results truncated due to limit'],
    });
  });
});
