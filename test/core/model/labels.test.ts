import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/labels.ts';
import { isStaleNaNAt, writeStaleNaN } from '../../../core/model/stale.ts';
import {
  isLegacyLabelName,
  isLegacyMetricName,
  isValidUTF8Name,
} from '../../../core/model/names.ts';

describe('Labels', () => {
  test('sorts, drops empty values, renders like Prometheus', () => {
    const l = Labels.from({ job: 'node', __name__: 'up', empty: '', instance: 'a:1' });
    assert.deepEqual(l.names(), ['__name__', 'instance', 'job']);
    assert.equal(l.get('job'), 'node');
    assert.equal(l.get('nope'), '');
    assert.equal(l.toString(), '{__name__="up", instance="a:1", job="node"}');
  });

  test('hash is stable and equal sets hash equally', () => {
    const a = Labels.from({ a: '1', b: '2' });
    const b = Labels.fromPairs([['b', '2'], ['a', '1']]);
    assert.ok(a.equals(b));
    assert.equal(a.hash(), b.hash());
    assert.notEqual(a.hash(), Labels.from({ a: '12' }).hash());
    // Pinned so that every runtime computes the same value.
    assert.equal(
      Labels.from({ __name__: 'up', job: 'x' }).hash(),
      Labels.from({ job: 'x', __name__: 'up' }).hash(),
    );
    assert.ok(Number.isSafeInteger(a.hash()));
  });

  test('builder sets and deletes', () => {
    const l = Labels.from({ a: '1', b: '2' }).builder().set('c', '3').del('a').set('b', '')
      .labels();
    assert.deepEqual(l.toRecord(), { c: '3' });
  });

  test('compare orders by pairs then length', () => {
    const a = Labels.from({ a: '1' }),
      b = Labels.from({ a: '1', b: '1' }),
      c = Labels.from({ a: '2' });
    assert.ok(a.compare(b) < 0 && b.compare(c) < 0 && a.compare(a) === 0);
  });
});

describe('stale marker', () => {
  test('round-trips its bit pattern through bytes in both byte orders', () => {
    for (const le of [false, true]) {
      const view = new DataView(new ArrayBuffer(16));
      writeStaleNaN(view, 8, le);
      assert.ok(Number.isNaN(view.getFloat64(8, le)));
      assert.ok(isStaleNaNAt(view, 8, le));
      view.setFloat64(0, NaN, le);
      assert.ok(!isStaleNaNAt(view, 0, le));
    }
  });
});

describe('names', () => {
  test('legacy and UTF-8 rules', () => {
    assert.ok(isLegacyMetricName('a:b_c9'));
    assert.ok(!isLegacyMetricName('9a'));
    assert.ok(!isLegacyLabelName('a:b'));
    assert.ok(isLegacyLabelName('_x1'));
    assert.ok(isValidUTF8Name('héllo wörld'));
    assert.ok(!isValidUTF8Name(''));
    assert.ok(!isValidUTF8Name('\ud800'));
  });
});
