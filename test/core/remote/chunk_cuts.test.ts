// Prometheus's head chunk cuts, which Beacon's streamed remote read reproduces.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_RANGE_MS, chunkStarts } from '../../../core/remote/mod.ts';

const H2 = CHUNK_RANGE_MS;

describe('chunkStarts', () => {
  test('a chunk never spans a 2h window aligned to the epoch', () => {
    const b = 1000 * H2;
    // Five samples before the boundary, one 50 minutes later just after it.
    assert.deepEqual(chunkStarts([b - 600_000, b - 585_000, b - 1, b + 2_400_000]), [0, 3]);
    assert.deepEqual(chunkStarts([b, b + 1, b + H2 - 1, b + H2]), [0, 3]);
    assert.deepEqual(chunkStarts([]), []);
  });

  test('a steady 15 s series fills chunks of 120, re-estimated at 30 samples', () => {
    const b = 1000 * H2;
    const t = Array.from({ length: 480 }, (_, i) => b + i * 15_000);
    assert.deepEqual(chunkStarts(t), [0, 120, 240, 360]);
  });

  test('the estimate spreads a window evenly, and 240 samples always cut', () => {
    const b = 1000 * H2;
    // 1 s samples: at 30 samples (29 s) the 2h window splits into 7200000 / (29001 * 4) = 62
    // chunks of 116.129 s, as Go's integer arithmetic computes it: 117 samples each.
    const t = Array.from({ length: 300 }, (_, i) => b + i * 1000);
    assert.deepEqual(chunkStarts(t), [0, 117, 234]);
    // A burst after a slow start outruns the estimate: cut at 240 samples.
    const slow = Array.from({ length: 30 }, (_, i) => b + i * 60_000);
    const burst = Array.from({ length: 400 }, (_, i) => b + 1_800_000 + i);
    const all = [...slow, ...burst];
    const starts = chunkStarts(all);
    const sizes = starts.map((s, i) => (starts[i + 1] ?? all.length) - s);
    assert.equal(sizes.reduce((a, b) => a + b), all.length);
    assert.ok(sizes.includes(240), `${sizes}`);
    assert.ok(sizes.every((n) => n <= 240), `${sizes}`);
  });
});
