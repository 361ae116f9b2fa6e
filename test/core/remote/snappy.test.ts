import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RemoteCodecError,
  snappyCompress,
  snappyDecompress,
  uncompressedLength,
} from '../../../core/remote/mod.ts';

describe('snappy block format', () => {
  test('round trips text and binary', () => {
    const text = new TextEncoder().encode('up{job="a"} 1\n'.repeat(1000));
    const c = snappyCompress(text);
    assert.ok(c.length < text.length / 10);
    assert.deepEqual(snappyDecompress(c), text);
    const bin = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    assert.deepEqual(snappyDecompress(snappyCompress(bin)), bin);
    assert.deepEqual(snappyDecompress(snappyCompress(new Uint8Array(0))), new Uint8Array(0));
  });

  test('decodes a hand-made block: length 5, one literal "hello"', () => {
    const block = new Uint8Array([0x05, 0x10, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    assert.equal(new TextDecoder().decode(snappyDecompress(block)), 'hello');
    assert.equal(uncompressedLength(block), 5);
  });

  test('decodes what snappyjs encodes: runs, overlaps, long literals, long inputs', () => {
    const r = (i: number) => (Math.imul(i, 2654435761) >>> 24);
    const inputs = [
      new Uint8Array(100_000).fill(97),
      new Uint8Array(70_000).map((_, i) => r(i)),
      new Uint8Array(200_000).map((_, i) => (i % 1000 < 500 ? r(i) : i % 7)),
      new TextEncoder().encode('abcabcabcabd'.repeat(5000)),
    ];
    for (const input of inputs) assert.deepEqual(snappyDecompress(snappyCompress(input)), input);
  });

  test('a literal claiming gigabytes is refused at once', () => {
    const block = new Uint8Array([0x02, 0xfc, 0xff, 0xff, 0xff, 0x7f, 0x61, 0x62]);
    assert.throws(() => snappyDecompress(block), /literal runs past/);
  });

  test('returns a plain Uint8Array', () => {
    const out = snappyDecompress(snappyCompress(new Uint8Array([1, 2, 3])));
    assert.equal(out.constructor, Uint8Array);
  });

  test('refuses garbage and oversized payloads with RemoteCodecError', () => {
    const bad = [
      new Uint8Array([]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      new Uint8Array([0x05, 0x10, 0x68]), // literal runs past the input
      new Uint8Array([0x04, 0x01, 0x05]), // copy before any output
      new TextEncoder().encode('not snappy at all'),
    ];
    for (const b of bad) assert.throws(() => snappyDecompress(b), RemoteCodecError);
    const big = snappyCompress(new Uint8Array(1000));
    assert.throws(() => snappyDecompress(big, 999), /exceeds the limit of 999/);
  });
});
