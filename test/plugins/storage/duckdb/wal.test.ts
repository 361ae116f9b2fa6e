import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../../core/model/mod.ts';
import { crc32 } from '../../../../plugins/storage/duckdb/mod.ts';
import { frame, scanFrames } from '../../../../plugins/storage/duckdb/wal.ts';
import {
  ByteWriter,
  decodeRecords,
  encodeDelete,
  encodeSamples,
  encodeSeries,
} from '../../../../plugins/storage/duckdb/wal_record.ts';

describe('duckdb storage: WAL format', () => {
  test('CRC-32 check values', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    // Continuing a checksum equals checksumming the whole.
    const b = new TextEncoder().encode('hello, world');
    assert.equal(crc32(b, 5, b.length, crc32(b, 0, 5)), crc32(b));
  });

  test('records round-trip, several per frame', () => {
    const w = new ByteWriter(4);
    const l = Labels.from({ __name__: 'up', job: 'é' });
    encodeSeries(w, [7, 2 ** 40], [l, Labels.from({ a: 'b' })]);
    encodeSamples(w, 3, [7, 7, 9], [2 ** 52, 2 ** 52 - 15_000, 0], [1, 2, 3], [4, 5, 0xffffffff]);
    encodeDelete(w, [7], [-Infinity], [5]);
    const got: unknown[] = [];
    const [payload] = [w.bytes()];
    const frames = [...frame(payload), ...frame(payload)];
    const end = scanFrames(Uint8Array.from(frames), (p) =>
      decodeRecords(p, {
        series: (id, labels) => got.push(['s', id, labels.toString()]),
        sample: (id, t, hi, lo) => got.push(['x', id, t, hi, lo]),
        deletion: (id, mint, maxt) => got.push(['d', id, mint, maxt]),
      }));
    assert.equal(end, frames.length);
    const one = [
      ['s', 7, '{__name__="up", job="é"}'],
      ['s', 2 ** 40, '{a="b"}'],
      ['x', 7, 2 ** 52, 1, 4],
      ['x', 7, 2 ** 52 - 15_000, 2, 5],
      ['x', 9, 0, 3, 0xffffffff],
      ['d', 7, -Infinity, 5],
    ];
    assert.deepEqual(got, [...one, ...one]);
  });

  test('scanning stops at a torn or corrupt frame', () => {
    const w = new ByteWriter();
    encodeSamples(w, 1, [1], [1000], [0], [0]);
    const f = frame(w.bytes());
    const two = new Uint8Array(f.length * 2);
    two.set(f);
    two.set(f, f.length);
    let n = 0;
    assert.equal(scanFrames(two.subarray(0, two.length - 1), () => n++), f.length);
    const bad = two.slice();
    bad[f.length + 9] ^= 1;
    assert.equal(scanFrames(bad, () => n++), f.length);
    assert.equal(n, 2);
  });
});
