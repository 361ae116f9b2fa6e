import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PERCENTILES,
  defaultEpsilon,
  QuantileStream,
  Summary,
} from '../../../core/metrics/mod.ts';

// A small deterministic PRNG (mulberry32), so that the data sets are the same on every run.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i + 1);
  const r = rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe('QuantileStream', () => {
  test('default objectives equal client_golang classic ones', () => {
    assert.equal(defaultEpsilon(0.5), 0.05);
    assert.ok(Math.abs(defaultEpsilon(0.9) - 0.01) < 1e-12);
    assert.ok(Math.abs(defaultEpsilon(0.99) - 0.001) < 1e-12);
  });

  test('empty is NaN; small streams are exact nearest-rank', () => {
    const qs = [0.5, 0.9, 0.99].map((q) => ({ quantile: q, epsilon: defaultEpsilon(q) }));
    const s = new QuantileStream(qs);
    assert.ok(Number.isNaN(s.query(0.5)));
    s.insertSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(s.query(0.5), 5);
    assert.equal(s.query(0.9), 9);
    assert.equal(s.query(0.99), 10);
    assert.equal(s.query(0), 1);
    assert.equal(s.query(1), 10);
    s.reset();
    assert.equal(s.count, 0);
    assert.ok(Number.isNaN(s.query(0.5)));
  });

  test('large streams stay within the rank error and in bounded memory', () => {
    const n = 200_000;
    const data = shuffled(n, 42);
    const targets = DEFAULT_PERCENTILES.map((q) => ({ quantile: q, epsilon: defaultEpsilon(q) }));
    const s = new QuantileStream(targets);
    for (let i = 0; i < n; i += 500) {
      s.insertSorted(Float64Array.from(data.slice(i, i + 500)).sort());
    }
    assert.equal(s.count, n);
    for (const { quantile: q, epsilon: e } of targets) {
      // Values are 1..n, so a value is its own rank.
      const got = s.query(q);
      assert.ok(Math.abs(got - q * n) <= e * n + 1, `q=${q}: ${got} vs ${q * n} ± ${e * n}`);
    }
    assert.ok(s.size < 5000, `holds ${s.size} tuples for ${n} values`);
    assert.equal(s.query(0), 1);
    assert.equal(s.query(1), n);
  });

  test('rejects bad targets', () => {
    assert.throws(() => new QuantileStream([{ quantile: 1.5, epsilon: 0.01 }]), RangeError);
    assert.throws(() => new QuantileStream([{ quantile: 0.5, epsilon: -1 }]), RangeError);
  });
});

describe('Summary', () => {
  test('quantiles, sum and count on known data', () => {
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5, 0.9, 0.99] });
    for (const v of shuffled(1000, 7)) s.observe(v);
    const p = s.snapshot().metrics[0];
    assert.equal(p.count, 1000);
    assert.equal(p.sum, 500500);
    const qs = p.quantiles!;
    assert.deepEqual(qs.map((q) => q.quantile), [0.5, 0.9, 0.99]);
    for (const { quantile, value } of qs) {
      const e = defaultEpsilon(quantile) * 1000;
      assert.ok(Math.abs(value - quantile * 1000) <= e + 1, `q=${quantile}: ${value}`);
    }
  });

  test('default percentiles are prom-client defaults', () => {
    const s = new Summary({ name: 's', help: 'h' });
    assert.deepEqual(s.percentiles, [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);
    assert.ok(s.snapshot().metrics[0].quantiles!.every((q) => Number.isNaN(q.value)));
  });

  test('observations expire with the sliding window; sum and count do not', () => {
    let t = 0;
    const s = new Summary({
      name: 's',
      help: 'h',
      percentiles: [0.5],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      now: () => t,
    });
    s.observe(100);
    const median = () => s.snapshot().metrics[0].quantiles![0].value;
    t = 7999;
    assert.equal(median(), 100);
    t = 9999;
    assert.equal(median(), 100);
    t = 10_000;
    assert.ok(Number.isNaN(median()));
    s.observe(5);
    assert.equal(median(), 5);
    t = 10_000 + 3_600_000;
    assert.ok(Number.isNaN(median()));
    const p = s.snapshot().metrics[0];
    assert.equal(p.count, 2);
    assert.equal(p.sum, 105);
  });

  test('the window keeps at least maxAge·(1 − 1/ageBuckets) of history', () => {
    let t = 0;
    const s = new Summary({
      name: 's',
      help: 'h',
      percentiles: [1],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      now: () => t,
    });
    const max = () => s.snapshot().metrics[0].quantiles![0].value;
    for (t = 0; t < 60_000; t += 1000) {
      s.observe(t);
      // The newest observation is always in the window, whatever the phase.
      assert.equal(max(), t);
    }
    // An observation 8 s old (= 10·(1 − 1/5)) is still in the window's minimum.
    t = 0;
    const min = new Summary({
      name: 'm',
      help: 'h',
      percentiles: [0],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      now: () => t,
    });
    const low = () => min.snapshot().metrics[0].quantiles![0].value;
    for (t = 0; t < 60_000; t += 1000) {
      min.observe(t);
      assert.ok(low() <= Math.max(0, t - 8000), `at ${t}: oldest ${low()}`);
      assert.ok(low() >= t - 10_000, `at ${t}: oldest ${low()} is too old`);
    }
  });

  test('NaN observations count but do not affect quantiles', () => {
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5] });
    s.observe(NaN);
    s.observe(3);
    const p = s.snapshot().metrics[0];
    assert.equal(p.count, 2);
    assert.ok(Number.isNaN(p.sum));
    assert.equal(p.quantiles![0].value, 3);
  });

  test('labels, startTimer, reset, validation', () => {
    let t = 0;
    const s = new Summary({
      name: 's',
      help: 'h',
      labelNames: ['op'],
      percentiles: [0.5],
      now: () => t,
    });
    const end = s.startTimer({ op: 'x' });
    t = 2000;
    assert.equal(end(), 2);
    s.observe({ op: 'y' }, 1);
    assert.deepEqual(s.snapshot().metrics.map((m) => [m.labels, m.sum]), [
      [{ op: 'x' }, 2],
      [{ op: 'y' }, 1],
    ]);
    s.reset();
    assert.equal(s.snapshot().metrics.length, 0);
    assert.throws(
      () => new Summary({ name: 's', help: 'h', labelNames: ['quantile'] }),
      /reserved/,
    );
    assert.throws(() => new Summary({ name: 's', help: 'h', percentiles: [2] }), RangeError);
    assert.throws(() => new Summary({ name: 's', help: 'h', maxAgeSeconds: 0 }), RangeError);
    assert.throws(() => new Summary({ name: 's', help: 'h', ageBuckets: 0 }), RangeError);
  });

  test('objectives override the default rank error', () => {
    const s = new Summary({
      name: 's',
      help: 'h',
      percentiles: [0.5],
      objectives: { 0.5: 0.001 },
    });
    for (const v of shuffled(10_000, 3)) s.observe(v);
    const v = s.snapshot().metrics[0].quantiles![0].value;
    assert.ok(Math.abs(v - 5000) <= 11, `median ${v}`);
  });
});
