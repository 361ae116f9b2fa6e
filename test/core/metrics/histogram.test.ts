import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_BUCKETS,
  exponentialBuckets,
  Histogram,
  linearBuckets,
} from '../../../core/metrics/mod.ts';

describe('bucket layouts', () => {
  test('defaults match prom-client and client_golang', () => {
    assert.deepEqual(DEFAULT_BUCKETS, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  });
  test('linear and exponential', () => {
    assert.deepEqual(linearBuckets(0, 10, 4), [0, 10, 20, 30]);
    assert.deepEqual(exponentialBuckets(1, 2, 5), [1, 2, 4, 8, 16]);
    assert.throws(() => linearBuckets(0, 0, 3), RangeError);
    assert.throws(() => linearBuckets(0, 1, 0), RangeError);
    assert.throws(() => exponentialBuckets(0, 2, 3), RangeError);
    assert.throws(() => exponentialBuckets(1, 1, 3), RangeError);
  });
});

describe('Histogram', () => {
  test('observations land in the first bucket whose bound is >= value; output is cumulative', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 5] });
    for (const v of [0.5, 1, 1.5, 2, 4, 100]) h.observe(v);
    const p = h.snapshot().metrics[0];
    assert.deepEqual(p.buckets, [
      { le: 1, count: 2 },
      { le: 2, count: 4 },
      { le: 5, count: 5 },
      { le: Infinity, count: 6 },
    ]);
    assert.equal(p.sum, 109);
    assert.equal(p.count, 6);
  });

  test('default buckets, NaN goes to +Inf only', () => {
    const h = new Histogram({ name: 'h', help: 'h' });
    assert.deepEqual(h.buckets, DEFAULT_BUCKETS);
    h.observe(NaN);
    const b = h.snapshot().metrics[0].buckets!;
    assert.equal(b.length, DEFAULT_BUCKETS.length + 1);
    assert.equal(b[b.length - 2].count, 0);
    assert.equal(b[b.length - 1].count, 1);
  });

  test('bucket validation: trailing +Inf dropped, unsorted refused', () => {
    assert.deepEqual(new Histogram({ name: 'h', help: 'h', buckets: [1, Infinity] }).buckets, [1]);
    assert.throws(() => new Histogram({ name: 'h', help: 'h', buckets: [2, 1] }), RangeError);
    assert.throws(() => new Histogram({ name: 'h', help: 'h', buckets: [1, 1] }), RangeError);
    assert.throws(() => new Histogram({ name: 'h', help: 'h', buckets: [NaN] }), RangeError);
    assert.throws(
      () => new Histogram({ name: 'h', help: 'h', labelNames: ['le'] }),
      /reserved/,
    );
  });

  test('labelled children, zero, remove, reset', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['path'], buckets: [1] });
    h.observe({ path: '/a' }, 0.5);
    h.labels('/b').observe(3);
    h.zero({ path: '/c' });
    const fam = h.snapshot();
    assert.deepEqual(fam.metrics.map((m) => [m.labels, m.count]), [
      [{ path: '/a' }, 1],
      [{ path: '/b' }, 1],
      [{ path: '/c' }, 0],
    ]);
    h.remove('/a');
    assert.equal(h.snapshot().metrics.length, 2);
    h.reset();
    assert.equal(h.snapshot().metrics.length, 0);
  });

  test('startTimer observes the elapsed seconds (injected clock)', () => {
    let t = 0;
    const h = new Histogram({ name: 'h', help: 'h', buckets: [0.1, 1], now: () => t });
    const end = h.startTimer();
    t = 250;
    assert.equal(end(), 0.25);
    const p = h.snapshot().metrics[0];
    assert.deepEqual(p.buckets!.map((b) => b.count), [0, 1, 1]);
    assert.equal(p.sum, 0.25);
  });

  test('bucket exemplars', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1], now: () => 9 });
    h.labels({}).observe(0.3, { trace_id: 'abc' });
    const b = h.snapshot().metrics[0].buckets!;
    assert.deepEqual(b[0].exemplar, { labels: { trace_id: 'abc' }, value: 0.3, timestamp: 9 });
    assert.equal(b[1].exemplar, undefined);
  });
});
