import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import { hashBytes, SeriesCache } from '../../../core/remote/mod.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('SeriesCache', () => {
  test('finds entries by bytes, not by hash alone', () => {
    const c = new SeriesCache(100);
    const a = bytes('xxaaxx'), b = bytes('bb');
    const la = Labels.from({ __name__: 'a' });
    c.add(a, 2, 4, 7, la).ref = 11;
    // Same hash, different bytes: a miss, then its own entry.
    assert.equal(c.get(b, 0, 2, 7), undefined);
    c.add(b, 0, 2, 7, Labels.from({ __name__: 'b' }));
    const hit = c.get(bytes('aa'), 0, 2, 7);
    assert.equal(hit?.labels, la);
    assert.equal(hit?.ref, 11);
    assert.equal(c.get(bytes('aaa'), 0, 3, 7), undefined);
    assert.equal(c.size, 2);
  });

  test('keeps at most its capacity; recently used entries survive rotation', () => {
    const c = new SeriesCache(4);
    const key = (i: number) => bytes(`k${i}`);
    const h = (i: number) => hashBytes(key(i), 0, key(i).length);
    for (let i = 0; i < 2; i++) c.add(key(i), 0, key(i).length, h(i), Labels.EMPTY).ref = i + 1;
    // The third add rotates: 0 and 1 become old; a hit on 0 promotes it with its ref.
    c.add(key(2), 0, key(2).length, h(2), Labels.EMPTY);
    assert.equal(c.get(key(0), 0, 2, h(0))?.ref, 1);
    c.add(key(3), 0, key(3).length, h(3), Labels.EMPTY); // rotates again: 1 is dropped
    assert.equal(c.get(key(1), 0, 2, h(1)), undefined);
    assert.equal(c.get(key(0), 0, 2, h(0))?.ref, 1);
    assert.ok(c.size <= 4);
    c.clear();
    assert.equal(c.size, 0);
  });

  test('hashBytes depends on every byte and on the length', () => {
    const a = hashBytes(bytes('abcdefgh'), 0, 8);
    assert.notEqual(a, hashBytes(bytes('abcdefgi'), 0, 8));
    assert.notEqual(a, hashBytes(bytes('abcdefgh\0'), 0, 9));
    assert.equal(a, hashBytes(bytes('__abcdefgh'), 2, 10));
    assert.ok(a >= 0 && a < 2 ** 30);
  });
});
