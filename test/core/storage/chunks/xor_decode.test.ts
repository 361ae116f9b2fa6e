// The bulk decoder against the sample-at-a-time iterator on random chunks: every timestamp
// bucket (including 64-bit jumps and negative delta-of-deltas), every value window, stale
// markers and NaN payloads, and [mint, maxt] windows cutting anywhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XorChunk, XorIterator } from '../../../../core/storage/chunks/mod.ts';
import { decodeXorInto } from '../../../../core/storage/chunks/xor_decode.ts';
import { STALE_NAN_HI, STALE_NAN_LO } from '../../../../core/model/stale.ts';

const step = fc.oneof(
  fc.constant(15_000),
  fc.integer({ min: 1, max: 20_000 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
);
const value = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, 1, NaN, Infinity, -Infinity, -0, 'stale' as const),
);

function build(start: number, steps: number[], values: (number | 'stale')[]): XorChunk {
  const c = new XorChunk();
  let t = start;
  for (let i = 0; i < values.length; i++) {
    t += steps[i % steps.length];
    const v = values[i];
    if (v === 'stale') c.appendBits(t, STALE_NAN_HI, STALE_NAN_LO);
    else c.append(t, v);
  }
  return c;
}

describe('decodeXorInto', () => {
  test('matches the iterator on random chunks and windows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.array(value, { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (start, steps, values, a, b) => {
          const c = build(start, steps, values);
          const span = c.maxT - c.minT;
          const mint = c.minT + Math.floor(span * Math.min(a, b));
          const maxt = c.minT + Math.floor(span * Math.max(a, b));
          const want: [number, number, boolean][] = [];
          const it = new XorIterator(c.bytes());
          while (it.next()) if (it.t >= mint && it.t <= maxt) want.push([it.t, it.v, it.stale]);
          const out = {
            t: new Float64Array(values.length + 1),
            v: new Float64Array(values.length + 1),
            stale: undefined as Uint8Array | undefined,
          };
          const n = decodeXorInto(c.bytes(), out, 1, mint, maxt) - 1;
          const got: [number, number, boolean][] = [];
          for (let i = 1; i <= n; i++) got.push([out.t[i], out.v[i], out.stale?.[i] === 1]);
          assert.deepEqual(got, want);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  test('an open chunk decodes the same through decodeInto', () => {
    const c = build(1_700_000_000_000, [15_000, 14_999, 15_001], [1, 2, 'stale', 2.5, NaN, 3]);
    assert.ok(c.open);
    const out = { t: new Float64Array(6), v: new Float64Array(6), stale: undefined };
    assert.equal(c.decodeInto(out, 0, -Infinity, Infinity), 6);
    assert.deepEqual([...out.v].map((v) => Number.isNaN(v) ? 'NaN' : v), [
      1,
      2,
      'NaN',
      2.5,
      'NaN',
      3,
    ]);
    assert.deepEqual([...(out.stale ?? [])], [0, 0, 1, 0, 0, 0]);
    assert.equal(out.t[5] - out.t[0], 14_999 + 15_001 + 15_000 + 14_999 + 15_001);
  });
});
