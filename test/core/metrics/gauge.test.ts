import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Gauge } from '../../../core/metrics/mod.ts';

describe('Gauge', () => {
  test('set, inc, dec', () => {
    const g = new Gauge({ name: 'g', help: 'h' });
    g.set(10);
    g.inc();
    g.inc(4);
    g.dec();
    g.dec(0.5);
    assert.equal(g.value(), 13.5);
    g.set(-3);
    assert.equal(g.value(), -3);
    assert.throws(() => g.set('1' as unknown as number), TypeError);
  });

  test('labelled operations', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['pool'] });
    g.set({ pool: 'a' }, 2);
    g.inc({ pool: 'a' }, 3);
    g.dec({ pool: 'b' });
    g.labels('c').set(7);
    assert.equal(g.value({ pool: 'a' }), 5);
    assert.equal(g.value({ pool: 'b' }), -1);
    assert.equal(g.value({ pool: 'c' }), 7);
  });

  test('setToCurrentTime uses the clock, in seconds', () => {
    const g = new Gauge({ name: 'g', help: 'h', now: () => 1_700_000_000_250 });
    g.setToCurrentTime();
    assert.equal(g.value(), 1_700_000_000.25);
  });

  test('startTimer sets the elapsed seconds, merging start and end labels', () => {
    let t = 1000;
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['op', 'result'], now: () => t });
    const end = g.startTimer({ op: 'load' });
    t += 1500;
    assert.equal(end({ result: 'ok' }), 1.5);
    assert.equal(g.value({ op: 'load', result: 'ok' }), 1.5);
  });

  test('startTimer with the default clock gives a non-negative duration', () => {
    const g = new Gauge({ name: 'g', help: 'h' });
    const s = g.startTimer()();
    assert.ok(s >= 0);
    assert.equal(g.value(), s);
  });
});
