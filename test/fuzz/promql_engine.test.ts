/**
 * Property tests of the PromQL evaluator: well-typed and loose queries over a small store end
 * in a result or in the engine's own errors, never in a TypeError or RangeError.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as v from 'valibot';
import { Labels } from '../../core/model/mod.ts';
import {
  type Engine,
  engineFromConfig,
  promqlConfigSchema,
  QueryError,
} from '../../plugins/promql/mod.ts';
import { PromQLParseError } from '../../plugins/promql/parser/mod.ts';
import { MemoryStorage } from '../../plugins/storage/memory/mod.ts';
import { onlyRejects, params } from './fuzz_helpers.ts';
import { tokenSoup, wellTyped } from './promql_gen.ts';

const STEP = 15_000;
const END = 40 * STEP;

async function smallStore(): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  const series: [Record<string, string>, (i: number) => number][] = [
    [{ __name__: 'up', job: 'api', instance: 'a' }, () => 1],
    [{ __name__: 'up', job: 'db', instance: 'b' }, (i) => (i % 7 === 0 ? 0 : 1)],
    [{ __name__: 'http_requests_total', job: 'api', code: '200' }, (i) => i * 10],
    [{ __name__: 'http_requests_total', job: 'api', code: '500' }, (i) => (i % 13) * 2],
    [{ __name__: 'latency_bucket', job: 'api', le: '0.1' }, (i) => i],
    [{ __name__: 'latency_bucket', job: 'api', le: '1' }, (i) => i * 3],
    [{ __name__: 'latency_bucket', job: 'api', le: '+Inf' }, (i) => i * 4],
    [{ __name__: 'temp', job: 'db', instance: 'b' }, (i) => [NaN, Infinity, -3.5, 0, 1e308][i % 5]],
  ];
  for (const [rec, f] of series) {
    const labels = Labels.from(rec);
    let ref = 0;
    for (let i = 0; i <= 40; i++) {
      if (rec.__name__ === 'temp' && i === 20) ref = app.appendStale(ref, labels, i * STEP);
      else ref = app.append(ref, labels, i * STEP, f(i));
    }
  }
  await app.commit();
  return storage;
}

describe('PromQL evaluator (fuzz)', () => {
  let storage: MemoryStorage;
  let engine: Engine;
  before(async () => {
    storage = await smallStore();
    engine = engineFromConfig(
      v.parse(promqlConfigSchema, {
        lookback_delta: '5m',
        query_timeout: '10s',
        max_samples: 200_000,
        max_concurrency: 4,
        subquery_step: '1m',
        experimental_functions: true,
      }),
    );
  });

  async function clean(q: string, time: number, step: number | undefined): Promise<void> {
    const e = await onlyRejects(
      () =>
        step !== undefined
          ? engine.rangeQuery(storage, q, time - 10 * STEP, time, step)
          : engine.instantQuery(storage, q, time),
      QueryError,
      PromQLParseError,
    );
    if (e instanceof QueryError) assert.ok(e.message.length > 0);
  }

  const step = fc.option(
    fc.oneof(fc.constantFrom(STEP, 1000, 60_000, 0, -1), fc.double({ min: 100, max: 1e6 })),
    { nil: undefined },
  );
  const when = fc.constantFrom(0, 5 * STEP, END / 2, END, END + 10 * 60_000);

  test('well-typed instant and range queries', async () => {
    await fc.assert(
      fc.asyncProperty(wellTyped, when, step, clean),
      params(2),
    );
  });

  test('token soup queries', async () => {
    await fc.assert(fc.asyncProperty(tokenSoup, when, step, clean), params(4));
  });
});
