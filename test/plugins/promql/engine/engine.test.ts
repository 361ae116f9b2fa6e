import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  QueryError,
  type QueryLogEntry,
  type QueryResult,
} from '../../../../plugins/promql/engine/mod.ts';
import { PromQLParseError } from '../../../../plugins/promql/parser/mod.ts';
import { every, storageWith } from './helpers.ts';

const M = 60_000;

const data = await storageWith([
  [{ __name__: 'http_requests_total', job: 'api' }, every(15_000, [0, 10, 20, 30, 40, 50, 60])],
  [{ __name__: 'http_requests_total', job: 'web' }, every(15_000, [5, 5, 5, 5, 5, 5, 5])],
  [{ __name__: 'temperature', room: 'a' }, every(M, [20, 21, 'stale', 23])],
]);

function vector(r: QueryResult): Record<string, number> {
  assert.equal(r.resultType, 'vector');
  const out: Record<string, number> = {};
  if (r.resultType === 'vector') { for (const s of r.result) out[s.labels.toString()] = s.v; }
  return out;
}

describe('Engine', () => {
  const engine = new Engine();

  test('instant selector: newest sample within the lookback, none after a stale marker', async () => {
    assert.deepEqual(vector(await engine.instantQuery(data, 'temperature', 90_000)), {
      '{__name__="temperature", room="a"}': 21,
    });
    assert.deepEqual(vector(await engine.instantQuery(data, 'temperature', 2 * M + 1)), {});
    // Lookback is left-open: a sample exactly 5m old is gone.
    assert.deepEqual(vector(await engine.instantQuery(data, 'temperature', 3 * M + 5 * M)), {});
    assert.deepEqual(vector(await engine.instantQuery(data, 'temperature', 8 * M - 1)), {
      '{__name__="temperature", room="a"}': 23,
    });
  });

  test('rate extrapolates as Prometheus does and drops the metric name', async () => {
    const r = vector(await engine.instantQuery(data, 'rate(http_requests_total[1m])', 90_000));
    // Window (30s, 90s]: samples at 45, 60, 75, 90 s; 30 over 45 s, extrapolated to the start.
    assert.deepEqual(Object.keys(r).sort(), ['{job="api"}', '{job="web"}']);
    assert.ok(Math.abs(r['{job="api"}'] - 40 / 60) < 1e-12);
    assert.equal(r['{job="web"}'], 0);
  });

  test('non-counter info carries the position of the range selector', async () => {
    const r = await engine.instantQuery(data, 'rate(temperature[5m])', 4 * M);
    assert.deepEqual(r.infos, [
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temperature" (1:6)',
    ]);
    assert.deepEqual(r.warnings, []);
  });

  test('range query: one point per step, series sorted by labels', async () => {
    const r = await engine.rangeQuery(
      data,
      'sum by (job) (http_requests_total)',
      0,
      60_000,
      30_000,
    );
    assert.equal(r.resultType, 'matrix');
    if (r.resultType !== 'matrix') return;
    assert.deepEqual(r.result.map((s) => s.labels.toString()), ['{job="api"}', '{job="web"}']);
    assert.deepEqual([...r.result[0].t], [0, 30_000, 60_000]);
    assert.deepEqual([...r.result[0].v], [0, 20, 40]);
  });

  test('scalars, strings and range vectors', async () => {
    const s = await engine.instantQuery(data, '1 + 2 * 3', 1000);
    assert.deepEqual(s.resultType === 'scalar' && s.result, { t: 1000, v: 7 });
    const str = await engine.instantQuery(data, '"hi"', 1000);
    assert.deepEqual(str.resultType === 'string' && str.result, { t: 1000, v: 'hi' });
    const m = await engine.instantQuery(data, 'http_requests_total{job="api"}[30s]', 90_000);
    assert.equal(m.resultType, 'matrix');
    if (m.resultType === 'matrix') assert.deepEqual([...m.result[0].t], [75_000, 90_000]);
    const sr = await engine.rangeQuery(data, 'time()', 0, 2000, 1000);
    assert.equal(sr.resultType, 'matrix');
    if (sr.resultType === 'matrix') assert.deepEqual([...sr.result[0].v], [0, 1, 2]);
  });

  test('a range query of a range vector is bad data', async () => {
    await assert.rejects(
      engine.rangeQuery(data, 'http_requests_total[1m]', 0, 1000, 1000),
      (e: QueryError) =>
        e.kind === 'bad_data' &&
        e.message ===
          'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
  });

  test('parse errors surface as PromQLParseError', async () => {
    await assert.rejects(engine.instantQuery(data, 'sum(', 0), PromQLParseError);
  });

  test('duplicate label sets after dropping the name are an execution error', async () => {
    await assert.rejects(
      engine.instantQuery(data, 'label_replace(http_requests_total, "job", "x", "", "")', 0),
      (e: QueryError) =>
        e.kind === 'execution' &&
        e.message === 'vector cannot contain metrics with the same labelset',
    );
  });

  test("max_samples gives Prometheus's error", async () => {
    const small = new Engine({ maxSamples: 3 });
    await assert.rejects(
      small.rangeQuery(data, 'http_requests_total', 0, 90_000, 15_000),
      (e: QueryError) =>
        e.kind === 'execution' &&
        e.message === 'query processing would load too many samples into memory in query execution',
    );
  });

  test('timeout and cancellation', async () => {
    await assert.rejects(
      engine.instantQuery(data, 'http_requests_total', 0, { timeout: -1 }),
      (e: QueryError) => e.kind === 'timeout' && e.message === 'query timed out in query execution',
    );
    const ctl = new AbortController();
    ctl.abort();
    await assert.rejects(
      engine.instantQuery(data, 'http_requests_total', 0, { signal: ctl.signal }),
      (e: QueryError) =>
        e.kind === 'canceled' && e.message === 'query was canceled in query execution',
    );
  });

  test('queries beyond max_concurrency wait their turn', async () => {
    const one = new Engine({ maxConcurrency: 1 });
    const rs = await Promise.all([1, 2, 3].map((n) => one.instantQuery(data, `vector(${n})`, 0)));
    assert.deepEqual(rs.map((r) => r.resultType === 'vector' && r.result[0].v), [1, 2, 3]);
  });

  test('subqueries are aligned to absolute time', async () => {
    // Inner steps strictly after 100s - 60s = 40s, every 20s: 60s, 80s, 100s.
    const r = await engine.instantQuery(
      data,
      'count_over_time(http_requests_total{job="api"}[60s:20s])',
      100_000,
    );
    assert.deepEqual(vector(r), { '{job="api"}': 3 });
  });

  test('@ and negative offset', async () => {
    assert.deepEqual(
      vector(await engine.instantQuery(data, 'http_requests_total{job="api"} @ 30', 1_000_000)),
      { '{__name__="http_requests_total", job="api"}': 20 },
    );
    assert.deepEqual(
      vector(await engine.instantQuery(data, 'http_requests_total{job="api"} offset -15s', 30_000)),
      { '{__name__="http_requests_total", job="api"}': 30 },
    );
  });

  test('queries that could only exhaust memory or the stack fail cleanly', async () => {
    await assert.rejects(
      engine.instantQuery(data, 'count_over_time(vector(1)[1y:1ms])', 0),
      (e: QueryError) => e.kind === 'execution' && /too many samples/.test(e.message),
    );
    await assert.rejects(
      engine.instantQuery(data, '('.repeat(50_000) + '1' + ')'.repeat(50_000), 0),
      (e: QueryError) => e.kind === 'bad_data' && e.message === 'query is too deeply nested',
    );
    await assert.rejects(
      engine.rangeQuery(data, 'up', 0, 1000, 0),
      (e: QueryError) => e.kind === 'bad_data' && /zero or negative/.test(e.message),
    );
  });

  test('duration expressions and fill modifiers (experimental)', async () => {
    const exp = new Engine({
      parseOptions: { durationExpressions: true, binopFillModifiers: true },
    });
    const r = await exp.instantQuery(data, 'count_over_time(temperature[2m + 1m])', 3 * M);
    assert.deepEqual(vector(r), { '{room="a"}': 2 });
    const f = await exp.instantQuery(
      data,
      'http_requests_total{job="api"} + on (job) fill (0) http_requests_total{job="web"}',
      0,
    );
    assert.deepEqual(vector(f), { '{job="api"}': 0, '{job="web"}': 5 });
  });

  test('the query log gets one entry per query, errors included', async () => {
    const entries: QueryLogEntry[] = [];
    const logged = new Engine({ queryLog: (e) => entries.push(e) });
    await logged.rangeQuery(data, 'up', 0, 60_000, 15_000, {
      logContext: { httpRequest: { path: '/api/v1/query_range' } },
    });
    await assert.rejects(logged.instantQuery(data, 'label_replace(up, "a", "b", "c", "(")', 0));
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[0].params, {
      end: '1970-01-01T00:01:00Z',
      query: 'up',
      start: '1970-01-01T00:00:00Z',
      step: 15,
    });
    assert.deepEqual(entries[0].httpRequest, { path: '/api/v1/query_range' });
    assert.ok(entries[0].stats.timings.execTotalTime >= 0);
    assert.equal(entries[1].params.step, 0);
    assert.match(entries[1].error ?? '', /invalid regular expression in label_replace/);
  });

  test('lookback delta per query', async () => {
    const r = await engine.instantQuery(data, 'http_requests_total', 90_000 + 60_000, {
      lookbackDelta: 30_000,
    });
    assert.deepEqual(vector(r), {});
  });
});
