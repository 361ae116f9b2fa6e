import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Registry } from '../../../core/metrics/mod.ts';

describe('Counter', () => {
  test('unlabelled: starts at 0, inc by 1 or more, exposes one point', async () => {
    const c = new Counter({ name: 'c_total', help: 'h', now: () => 5000 });
    assert.equal(c.value(), 0);
    c.inc();
    c.inc(2.5);
    assert.equal(c.value(), 3.5);
    const fam = await c.get();
    assert.deepEqual(fam, {
      name: 'c_total',
      help: 'h',
      type: 'counter',
      metrics: [{ labels: {}, value: 3.5, created: 5000, exemplar: undefined }],
    });
  });

  test('rejects negative and NaN increments', () => {
    const c = new Counter({ name: 'c_total', help: 'h' });
    assert.throws(() => c.inc(-1), RangeError);
    assert.throws(() => c.inc(NaN), RangeError);
    assert.equal(c.value(), 0);
  });

  test('labels by object and by position address the same child', () => {
    const c = new Counter({ name: 'req_total', help: 'h', labelNames: ['method', 'code'] });
    c.inc({ method: 'GET', code: 200 });
    c.labels('GET', '200').inc(2);
    c.labels({ code: '200', method: 'GET' }).inc();
    c.inc({ method: 'POST' }, 5);
    assert.equal(c.value({ method: 'GET', code: '200' }), 4);
    assert.equal(c.value({ method: 'POST' }), 5);
    assert.equal(c.value({ method: 'PUT' }), 0);
    const fam = c.snapshot();
    assert.deepEqual(fam.metrics.map((m) => [m.labels, m.value]), [
      [{ method: 'GET', code: '200' }, 4],
      [{ method: 'POST' }, 5],
    ]);
  });

  test('value() does not create children', () => {
    const c = new Counter({ name: 'x_total', help: 'h', labelNames: ['a'] });
    c.value({ a: 'nope' });
    assert.equal(c.snapshot().metrics.length, 0);
  });

  test('label values cannot collide through separators', () => {
    const c = new Counter({ name: 'x_total', help: 'h', labelNames: ['a', 'b'] });
    c.labels('1:x', '').inc();
    c.labels('1', ':x').inc(10);
    assert.equal(c.snapshot().metrics.length, 2);
  });

  test('wrong label names or counts throw', () => {
    const c = new Counter({ name: 'x_total', help: 'h', labelNames: ['a', 'b'] });
    // deno-lint-ignore no-explicit-any
    assert.throws(() => c.inc({ z: '1' } as any), /unknown label name "z"/);
    assert.throws(() => c.labels('only-one'), /expected 2 label values, got 1/);
    assert.throws(() => c.labels('1', '2', '3'), /expected 2/);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => c.labels('1', null as any), /not a string/);
  });

  test('invalid metric and label names throw', () => {
    assert.throws(() => new Counter({ name: '', help: 'h' }), /invalid metric name/);
    assert.throws(() => new Counter({ name: 'a\ud800', help: 'h' }), /invalid metric name/);
    assert.throws(
      () => new Counter({ name: 'a', help: 'h', labelNames: ['__reserved'] }),
      /invalid label name/,
    );
    assert.throws(() => new Counter({ name: 'a', help: 'h', labelNames: ['x', 'x'] }), /duplicate/);
    // UTF-8 names are allowed (and quoted on output).
    assert.doesNotThrow(() => new Counter({ name: 'a.b', help: 'h', labelNames: ['c.d'] }));
  });

  test('remove and reset', () => {
    const c = new Counter({ name: 'x_total', help: 'h', labelNames: ['a'] });
    c.inc({ a: '1' });
    c.inc({ a: '2' });
    assert.equal(c.remove('1'), true);
    assert.equal(c.remove({ a: '1' }), false);
    assert.deepEqual(c.snapshot().metrics.map((m) => m.labels), [{ a: '2' }]);
    c.reset();
    assert.equal(c.snapshot().metrics.length, 0);
    const u = new Counter({ name: 'u_total', help: 'h' });
    u.inc(3);
    u.reset();
    assert.deepEqual(u.snapshot().metrics.map((m) => m.value), [0]);
  });

  test('exemplars are kept per child with the clock time', () => {
    const c = new Counter({ name: 'x_total', help: 'h', now: () => 1234 });
    c.labels({}).inc(2, { trace_id: 't1' });
    const p = c.snapshot().metrics[0];
    assert.deepEqual(p.exemplar, { labels: { trace_id: 't1' }, value: 2, timestamp: 1234 });
    assert.throws(() => c.labels({}).inc(1, { id: 'x'.repeat(200) }), RangeError);
  });

  test('collect hook (sync and async) runs before output, with this bound', async () => {
    let calls = 0;
    const c = new Counter({
      name: 'h_total',
      help: 'h',
      collect() {
        calls++;
        this.inc();
      },
    });
    const a = new Counter({
      name: 'a_total',
      help: 'h',
      async collect(m) {
        await Promise.resolve();
        m.inc(10);
      },
    });
    const r = new Registry();
    r.register(c);
    r.register(a);
    const text = await r.metrics();
    assert.equal(calls, 1);
    assert.match(text, /^h_total 1$/m);
    assert.match(text, /^a_total 10$/m);
  });

  test('registers with the given registries and refuses duplicates', () => {
    const r1 = new Registry(), r2 = new Registry();
    const c = new Counter({ name: 'd_total', help: 'h', registers: [r1, r2] });
    assert.equal(r1.get('d_total'), c);
    assert.equal(r2.getSingleMetric('d_total'), c);
    assert.throws(
      () => new Counter({ name: 'd_total', help: 'h', registers: [r1] }),
      /already registered/,
    );
  });
});
