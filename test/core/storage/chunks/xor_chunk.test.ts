import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BitReader,
  BitWriter,
  floatBits,
  SAMPLES_PER_CHUNK,
  XorChunk,
} from '../../../../core/storage/mod.ts';

// A seeded generator so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

function bitsOf(v: number): [number, number] {
  floatBits(v);
  return [floatBits.hi, floatBits.lo];
}

function roundTrip(ts: number[], vs: number[]): XorChunk {
  const c = new XorChunk();
  for (let i = 0; i < ts.length; i++) c.append(ts[i], vs[i]);
  c.close();
  const it = c.iterator();
  let i = 0;
  while (it.next()) {
    assert.equal(it.t, ts[i], `t[${i}]`);
    assert.deepEqual([it.hi, it.lo], bitsOf(vs[i]), `bits of v[${i}] = ${vs[i]}`);
    assert.ok(Object.is(it.v, vs[i]) || (Number.isNaN(it.v) && Number.isNaN(vs[i])));
    i++;
  }
  assert.equal(i, ts.length);
  assert.equal(it.count, ts.length);
  return c;
}

describe('BitWriter/BitReader', () => {
  test('fields of every width round-trip', () => {
    const r = rng(1);
    const w = new BitWriter(1);
    const fields: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(r() * 32);
      const v = Math.floor(r() * 2 ** n);
      fields.push([v, n]);
      w.write(v, n);
    }
    const rd = new BitReader(w.bytes());
    for (const [v, n] of fields) assert.equal(rd.read(n), v);
    assert.equal(rd.position, w.bitLength);
  });
});

describe('XorChunk', () => {
  test('random floats and timestamps round-trip bit-exactly', () => {
    const r = rng(42);
    for (let round = 0; round < 20; round++) {
      const ts: number[] = [], vs: number[] = [];
      let t = Math.floor(r() * 2e12);
      for (let i = 0; i < SAMPLES_PER_CHUNK; i++) {
        t += 1 + Math.floor(r() * (round % 2 ? 10_000_000 : 30_000));
        ts.push(t);
        vs.push(round % 3 === 0 ? (r() - 0.5) * 1e300 : Math.round(r() * 1e6) / 100);
      }
      roundTrip(ts, vs);
    }
  });

  test('special values: NaN, ±Inf, ±0, subnormals, extremes', () => {
    const vs = [
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      5e-324,
      -5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.EPSILON,
      1,
      1,
      NaN,
      2 ** 53,
    ];
    roundTrip(vs.map((_, i) => 1000 * i), vs);
  });

  test('stale markers keep their exact bit pattern', () => {
    const c = new XorChunk();
    c.append(1000, 1.5);
    c.appendStale(2000);
    c.append(3000, NaN);
    c.appendStale(4000);
    c.close();
    const it = c.iterator();
    const got: [number, boolean, number, number][] = [];
    while (it.next()) got.push([it.t, it.stale, it.hi, it.lo]);
    assert.deepEqual(got.map((g) => g[1]), [false, true, false, true]);
    assert.deepEqual(got[1].slice(2), [0x7ff00000, 2]);
    assert.deepEqual(got[2].slice(2), bitsOf(NaN));
    // A decoded stale marker is flagged in the columns, an ordinary NaN is not.
    const out = { t: new Float64Array(4), v: new Float64Array(4), stale: undefined };
    assert.equal(c.decodeInto(out, 0, -Infinity, Infinity), 4);
    assert.deepEqual([...(out.stale as Uint8Array | undefined)!], [0, 1, 0, 1]);
  });

  test('big and negative timestamps, huge jumps', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const ts = [-(2 ** 52), -5, 0, 1, 2 ** 40, 2 ** 52, big - 10, big - 1, big];
    roundTrip(ts, ts.map((_, i) => i));
    // Every delta-of-delta bucket boundary.
    const edges = [
      0,
      1,
      -1,
      8191,
      8192,
      -8191,
      8193,
      65536,
      -65535,
      65537,
      524288,
      -524287,
      524289,
    ];
    const t2: number[] = [0, 100_000];
    for (const d of edges) t2.push(t2.at(-1)! + (t2.at(-1)! - t2.at(-2)!) + d);
    roundTrip(t2, t2.map(() => 7));
  });

  test('decodeInto keeps only the requested range', () => {
    const c = new XorChunk();
    for (let i = 0; i < 10; i++) c.append(i * 10, i);
    const out = { t: new Float64Array(10), v: new Float64Array(10), stale: undefined };
    const n = c.decodeInto(out, 0, 25, 60);
    assert.deepEqual([...out.t.subarray(0, n)], [30, 40, 50, 60]);
    assert.deepEqual([...out.v.subarray(0, n)], [3, 4, 5, 6]);
    assert.equal(out.stale, undefined);
  });

  test('the header counts samples and the iterator can seek', () => {
    const c = new XorChunk();
    for (let i = 0; i < 300; i++) c.append(i * 15_000, i);
    assert.equal((c.bytes()[0] << 8) | c.bytes()[1], 300);
    const it = c.iterator();
    assert.ok(it.seek(15_000 * 200 + 1));
    assert.equal(it.t, 15_000 * 201);
    assert.ok(!it.seek(15_000 * 300));
  });

  test('a closed chunk refuses appends', () => {
    const c = new XorChunk();
    c.append(1, 1);
    c.close();
    assert.throws(() => c.append(2, 2));
  });

  test('regular data compresses to about a byte or two per sample', () => {
    const r = rng(7);
    const c = new XorChunk();
    let v = 0;
    for (let i = 0; i < SAMPLES_PER_CHUNK; i++) {
      v += Math.floor(r() * 10);
      c.append(1_700_000_000_000 + i * 15_000, v);
    }
    c.close();
    assert.ok(c.size / SAMPLES_PER_CHUNK < 2.5, `${c.size / SAMPLES_PER_CHUNK} bytes/sample`);
  });
});
