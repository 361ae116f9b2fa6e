/**
 * The behaviour every storage engine must show, written against the `Storage` interface only.
 * An engine's test file calls `storageSuite('name', factory)`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels, Matcher, matchLabels, type MatchType } from '../../../core/model/mod.ts';
import {
  DuplicateSampleError,
  OutOfOrderSampleError,
  type SampleColumns,
  type Storage,
  TooOldSampleError,
} from '../../../core/storage/mod.ts';

/** Options a suite passes to the factory; durations in ms. */
export interface StorageFactoryOptions {
  outOfOrderWindowMs?: number;
}

/** Creates a fresh, empty storage. */
export type StorageFactory = (opts: StorageFactoryOptions) => Storage | Promise<Storage>;

const m = (type: MatchType, name: string, value: string) => Matcher.create(type, name, value);
const L = (r: Record<string, string>) => Labels.from(r);

/** Selects and returns `[labels string, t[], v[], stale[]]` rows, for compact assertions. */
export async function dump(
  s: Storage,
  matchers: Matcher[],
  mint = -1e15,
  maxt = 1e15,
): Promise<[string, number[], number[], number[]][]> {
  const q = s.querier(mint, maxt);
  try {
    const set = await q.select(matchers);
    return set.series.map((se) => {
      const c: SampleColumns = se.samples();
      return [
        se.labels.toString(),
        [...c.t],
        [...c.v],
        c.stale ? [...c.stale] : new Array(c.t.length).fill(0),
      ];
    });
  } finally {
    q.close();
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

const FIXTURE: Record<string, string>[] = [
  { __name__: 'up', job: 'api', instance: 'a:1' },
  { __name__: 'up', job: 'api', instance: 'b:1' },
  { __name__: 'up', job: 'db', instance: 'c:1', env: 'prod' },
  { __name__: 'http_requests_total', job: 'api', code: '200' },
  { __name__: 'http_requests_total', job: 'api', code: '500' },
  { __name__: 'x', env: 'dev' },
];

async function withFixture(s: Storage): Promise<Labels[]> {
  const app = s.appender();
  const sets = FIXTURE.map(L);
  sets.forEach((l, i) => {
    app.append(0, l, 1000, i);
    app.append(0, l, 2000, i + 0.5);
  });
  await app.commit();
  return sets;
}

/** Registers the shared storage tests under `describe(name)`. */
export function storageSuite(name: string, factory: StorageFactory): void {
  const open = (opts: StorageFactoryOptions = {}) => Promise.resolve(factory(opts));

  describe(`storage suite: ${name}`, () => {
    test('samples become visible on commit; refs skip the lookup', async () => {
      const s = await open();
      const up = L({ __name__: 'up', job: 'a' });
      const app = s.appender();
      const ref = app.append(0, up, 1000, 1);
      assert.ok(ref > 0);
      assert.equal(app.append(ref, up, 2000, 2), ref);
      // An unknown ref falls back to the labels.
      assert.equal(app.append(987654, up, 3000, 3), ref);
      assert.deepEqual(await dump(s, [m('=', '__name__', 'up')]), []);
      await app.commit();
      assert.deepEqual(await dump(s, [m('=', '__name__', 'up')]), [
        ['{__name__="up", job="a"}', [1000, 2000, 3000], [1, 2, 3], [0, 0, 0]],
      ]);
      // A later appender keeps using the ref.
      const app2 = s.appender();
      assert.equal(app2.append(ref, up, 4000, 4), ref);
      await app2.commit();
      assert.equal((await dump(s, []))[0][1].length, 4);
      await s.close();
    });

    test('rollback drops staged samples and new series', async () => {
      const s = await open();
      const app = s.appender();
      app.append(0, L({ __name__: 'a' }), 1000, 1);
      await app.commit();
      const app2 = s.appender();
      app2.append(0, L({ __name__: 'a' }), 2000, 2);
      app2.append(0, L({ __name__: 'b' }), 2000, 2);
      app2.rollback();
      assert.deepEqual(await dump(s, [m('=~', '__name__', '.+')]), [
        ['{__name__="a"}', [1000], [1], [0]],
      ]);
      const q = s.querier(0, 5000);
      assert.deepEqual(await q.labelValues('__name__'), ['a']);
      q.close();
      // After a rollback, the rolled-back timestamp is free again.
      const app3 = s.appender();
      app3.append(0, L({ __name__: 'a' }), 2000, 5);
      await app3.commit();
      assert.deepEqual((await dump(s, []))[0][2], [1, 5]);
      await s.close();
    });

    test('select: every matcher type, empty-value semantics, sorted output', async () => {
      const s = await open();
      const sets = await withFixture(s);
      const cases: Matcher[][] = [
        [m('=', '__name__', 'up')],
        [m('!=', '__name__', 'up')],
        [m('=~', 'job', 'api|db'), m('=', '__name__', 'up')],
        [m('=~', 'instance', '[ab]:.*')],
        [m('!~', 'instance', 'a.*'), m('=~', '__name__', '.+')],
        [m('=', 'env', ''), m('=~', '__name__', '.+')],
        [m('!=', 'env', '')],
        [m('=~', 'env', '.*'), m('=', 'job', 'api')],
        [m('=~', 'env', 'prod|')],
        [m('!~', 'env', 'prod|')],
        [m('!=', 'env', 'prod'), m('=~', 'job', '.+')],
        [m('=', 'missing', ''), m('=', '__name__', 'x')],
        [m('=', 'missing', 'v')],
        [m('=~', 'code', '5..')],
        [m('=~', '__name__', 'UP')],
      ];
      for (const ms of cases) {
        const want = sets.filter((l) => matchLabels(ms, l)).sort((a, b) => a.compare(b));
        const got = await dump(s, ms);
        assert.deepEqual(got.map((g) => g[0]), want.map(String), ms.map(String).join(','));
      }
      await s.close();
    });

    test('select honours the inclusive time range', async () => {
      const s = await open();
      await withFixture(s);
      const up = [m('=', '__name__', 'up'), m('=', 'instance', 'a:1')];
      assert.deepEqual((await dump(s, up, 1000, 1000))[0][1], [1000]);
      assert.deepEqual((await dump(s, up, 1001, 2000))[0][1], [2000]);
      assert.deepEqual((await dump(s, up, 1000, 2000))[0][1], [1000, 2000]);
      // No samples in range: the series is not returned.
      assert.deepEqual(await dump(s, up, 2001, 3000), []);
      assert.deepEqual(await dump(s, up, 0, 999), []);
      await s.close();
    });

    test('label names and values, with matchers and limits', async () => {
      const s = await open();
      await withFixture(s);
      const q = s.querier(0, 10_000);
      assert.deepEqual(await q.labelNames(), ['__name__', 'code', 'env', 'instance', 'job']);
      assert.deepEqual(await q.labelNames([], 3), ['__name__', 'code', 'env']);
      assert.deepEqual(await q.labelNames([m('=', 'job', 'db')]), [
        '__name__',
        'env',
        'instance',
        'job',
      ]);
      assert.deepEqual(await q.labelValues('job'), ['api', 'db']);
      assert.deepEqual(await q.labelValues('__name__', [m('=', 'job', 'api')]), [
        'http_requests_total',
        'up',
      ]);
      assert.deepEqual(await q.labelValues('instance', [m('=', 'job', 'api')], 1), ['a:1']);
      assert.deepEqual(await q.labelValues('nope'), []);
      assert.deepEqual(await q.labelValues('env', [m('=', 'env', '')]), []);
      q.close();
      await s.close();
    });

    test('stale markers and NaN are told apart', async () => {
      const s = await open();
      const l = L({ __name__: 'g' });
      const app = s.appender();
      const ref = app.append(0, l, 1000, 1);
      app.append(ref, l, 2000, NaN);
      app.appendStale(ref, l, 3000);
      app.append(ref, l, 4000, 2);
      await app.commit();
      const [[, t, v, stale]] = await dump(s, []);
      assert.deepEqual(t, [1000, 2000, 3000, 4000]);
      assert.deepEqual(stale, [0, 0, 1, 0]);
      assert.ok(Number.isNaN(v[1]) && Number.isNaN(v[2]));
      await s.close();
    });

    test('many samples across chunks round-trip, with special values', async () => {
      const s = await open();
      const r = rng(11);
      const n = 1000;
      const ts: number[] = [], vs: number[] = [];
      let t = 1_700_000_000_000;
      const specials = [Infinity, -Infinity, -0, Number.MAX_VALUE, 5e-324];
      for (let i = 0; i < n; i++) {
        t += 1 + Math.floor(r() * 30_000);
        ts.push(t);
        vs.push(i % 97 === 0 ? specials[(i / 97) % specials.length] : Math.round(r() * 1e6) / 100);
      }
      const l = L({ __name__: 'big' });
      let app = s.appender();
      let ref = 0;
      for (let i = 0; i < n; i++) {
        ref = app.append(ref, l, ts[i], vs[i]);
        if (i % 100 === 99) {
          await app.commit();
          app = s.appender();
        }
      }
      await app.commit();
      const [[, gt, gv]] = await dump(s, []);
      assert.deepEqual(gt, ts);
      assert.deepEqual(gv, vs);
      const mid = await dump(s, [], ts[300], ts[700]);
      assert.deepEqual(mid[0][1], ts.slice(300, 701));
      await s.close();
    });

    test('duplicates: same value is ignored, a different value is an error', async () => {
      const s = await open();
      const l = L({ __name__: 'd' });
      const app = s.appender();
      const ref = app.append(0, l, 1000, 1);
      app.append(ref, l, 1000, 1);
      assert.throws(() => app.append(ref, l, 1000, 2), DuplicateSampleError);
      await app.commit();
      const app2 = s.appender();
      app2.append(ref, l, 1000, 1);
      assert.throws(() => app2.append(ref, l, 1000, 3), DuplicateSampleError);
      assert.throws(() => app2.appendStale(ref, l, 1000), DuplicateSampleError);
      await app2.commit();
      assert.deepEqual(await dump(s, []), [['{__name__="d"}', [1000], [1], [0]]]);
      await s.close();
    });

    test('out-of-order samples are rejected without a window', async () => {
      const s = await open();
      const l = L({ __name__: 'o' });
      const app = s.appender();
      const ref = app.append(0, l, 2000, 1);
      // Checked against samples staged in the same appender too.
      assert.throws(() => app.append(ref, l, 1000, 1), OutOfOrderSampleError);
      await app.commit();
      const app2 = s.appender();
      assert.throws(() => app2.append(ref, l, 1999, 1), OutOfOrderSampleError);
      // Other series are independent.
      app2.append(0, L({ __name__: 'p' }), 500, 1);
      await app2.commit();
      assert.deepEqual((await dump(s, [m('=', '__name__', 'o')]))[0][1], [2000]);
      await s.close();
    });

    test('out-of-order window: inside accepted in place, outside too old', async () => {
      const s = await open({ outOfOrderWindowMs: 10_000 });
      const l = L({ __name__: 'w' });
      const app = s.appender();
      let ref = 0;
      for (let t = 0; t <= 100_000; t += 10_000) ref = app.append(ref, l, t, t);
      await app.commit();
      const app2 = s.appender();
      app2.append(ref, l, 95_000, 95);
      app2.append(ref, l, 91_000, 91);
      app2.appendStale(ref, l, 99_000);
      assert.throws(() => app2.append(ref, l, 89_999, 1), TooOldSampleError);
      await app2.commit();
      const [[, t, v, stale]] = await dump(s, [], 80_000, 100_000);
      assert.deepEqual(t, [80_000, 90_000, 91_000, 95_000, 99_000, 100_000]);
      assert.deepEqual(v.slice(0, 4), [80_000, 90_000, 91, 95]);
      assert.deepEqual(stale, [0, 0, 0, 0, 1, 0]);
      // Many out-of-order samples (more than one buffer's worth) stay ordered and unique.
      const app3 = s.appender();
      for (let t = 92_000; t < 95_000; t += 50) app3.append(ref, l, t, -t);
      app3.append(ref, l, 110_000, 110);
      await app3.commit();
      const [[, t2, v2]] = await dump(s, [], 90_000, 200_000);
      assert.equal(t2.length, new Set(t2).size);
      assert.deepEqual(t2, [...t2].sort((a, b) => a - b));
      // 90s, 100s, 110s in order; 91s, 95s, 99s (stale) and 60 more out of order.
      assert.equal(t2.length, 3 + 3 + 60);
      assert.equal(v2[t2.indexOf(92_050)], -92_050);
      assert.equal(v2[t2.indexOf(95_000)], 95);
      await s.close();
    });

    test('deletion by matchers and time range', async () => {
      const s = await open();
      await withFixture(s);
      await s.deleteSeries([m('=', '__name__', 'up'), m('=', 'job', 'api')], 1500, 5000);
      const up = await dump(s, [m('=', '__name__', 'up')]);
      assert.deepEqual(up.map((u) => [u[0], u[1]]), [
        ['{__name__="up", env="prod", instance="c:1", job="db"}', [1000, 2000]],
        ['{__name__="up", instance="a:1", job="api"}', [1000]],
        ['{__name__="up", instance="b:1", job="api"}', [1000]],
      ]);
      // Deleting everything of a series removes it from the label index.
      await s.deleteSeries([m('=', '__name__', 'x')], 0, 5000);
      assert.deepEqual(await dump(s, [m('=', '__name__', 'x')]), []);
      const q = s.querier(0, 5000);
      assert.deepEqual(await q.labelValues('env'), ['prod']);
      q.close();
      const st = await s.stats();
      assert.equal(st.numSeries, 5);
      assert.equal(st.numSamples, 12 - 2 - 2);
      // The series can be written again.
      const app = s.appender();
      app.append(0, L(FIXTURE[5]), 7000, 1);
      await app.commit();
      assert.deepEqual((await dump(s, [m('=', '__name__', 'x')]))[0][1], [7000]);
      await s.close();
    });

    test('stats: counts, time bounds and top lists', async () => {
      const s = await open();
      const empty = await s.stats();
      assert.equal(empty.numSeries, 0);
      assert.equal(empty.numSamples, 0);
      await withFixture(s);
      const st = await s.stats(2);
      assert.equal(st.numSeries, 6);
      assert.equal(st.numSamples, 12);
      assert.equal(st.minTime, 1000);
      assert.equal(st.maxTime, 2000);
      assert.deepEqual(st.seriesCountByMetricName, [
        { name: 'up', value: 3 },
        { name: 'http_requests_total', value: 2 },
      ]);
      assert.deepEqual(st.labelValueCountByLabelName, [
        { name: '__name__', value: 3 },
        { name: 'instance', value: 3 },
      ]);
      assert.deepEqual(st.seriesCountByLabelValuePair, [
        { name: 'job=api', value: 4 },
        { name: '__name__=up', value: 3 },
      ]);
      assert.deepEqual(st.memoryInBytesByLabelName[0], { name: '__name__', value: 45 });
      await s.close();
    });
  });
}
