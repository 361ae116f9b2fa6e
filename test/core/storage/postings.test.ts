import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  insertSorted,
  intersect,
  intersectAll,
  lowerBound,
  removeSorted,
  subtract,
  union,
} from '../../../core/storage/mod.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

function randomList(r: () => number, n: number, max: number): number[] {
  const set = new Set<number>();
  while (set.size < n) set.add(1 + Math.floor(r() * max));
  return [...set].sort((a, b) => a - b);
}

describe('postings', () => {
  test('intersect, subtract and union agree with Set arithmetic', () => {
    const r = rng(3);
    for (let round = 0; round < 50; round++) {
      // Mixed sizes exercise the galloping path too.
      const a = randomList(r, Math.floor(r() * 40), 5000);
      const b = randomList(r, Math.floor(r() * 4000), 5000);
      const c = randomList(r, Math.floor(r() * 300), 5000);
      const sb = new Set(b), sc = new Set(c);
      assert.deepEqual(intersect(a, b), a.filter((x) => sb.has(x)));
      assert.deepEqual(intersect(b, a), a.filter((x) => sb.has(x)));
      assert.deepEqual(intersectAll([b, a, c]), a.filter((x) => sb.has(x) && sc.has(x)));
      assert.deepEqual(subtract(b, a), b.filter((x) => !new Set(a).has(x)));
      const all = [...new Set([...a, ...b, ...c])].sort((x, y) => x - y);
      assert.deepEqual(union([a, b, c]), all);
      assert.deepEqual(union([a, c]), [...new Set([...a, ...c])].sort((x, y) => x - y));
    }
  });

  test('edge cases', () => {
    assert.deepEqual(intersectAll([]), []);
    assert.deepEqual(union([]), []);
    assert.deepEqual(intersect([], [1, 2]), []);
    assert.deepEqual(subtract([1, 2, 3], []), [1, 2, 3]);
    assert.equal(lowerBound([1, 3, 5], 4), 2);
    assert.equal(lowerBound([1, 3, 5], 9), 3);
  });

  test('insertSorted and removeSorted keep lists sorted and unique', () => {
    const l: number[] = [];
    for (const x of [5, 1, 9, 5, 3, 10]) insertSorted(l, x);
    assert.deepEqual(l, [1, 3, 5, 9, 10]);
    assert.ok(removeSorted(l, 5));
    assert.ok(!removeSorted(l, 4));
    assert.deepEqual(l, [1, 3, 9, 10]);
  });
});
