import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  crc32c,
  decodeChunkedReadResponse,
  decodeFrames,
  encodeChunkedReadResponse,
  encodeFrame,
  RemoteCodecError,
} from '../../../core/remote/mod.ts';

describe('streamed remote-read frames', () => {
  test('CRC-32C check values', () => {
    assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(0)), 0);
  });

  test('frames round trip, several in a row', () => {
    const a = encodeChunkedReadResponse({
      chunkedSeries: [{ labels: [{ name: '__name__', value: 'up' }], chunks: [] }],
      queryIndex: 0,
    });
    const b = new Uint8Array(300).fill(7);
    const ea = encodeFrame(a), eb = encodeFrame(b);
    assert.deepEqual([...ea.subarray(0, 1)], [a.length]);
    assert.deepEqual([...eb.subarray(0, 2)], [0xac, 0x02]); // 300 as a uvarint
    const joined = new Uint8Array([...ea, ...eb]);
    const [ma, mb] = decodeFrames(joined);
    assert.deepEqual(decodeChunkedReadResponse(ma).chunkedSeries[0].labels, [
      { name: '__name__', value: 'up' },
    ]);
    assert.deepEqual(mb, b);
  });

  test('corruption is detected', () => {
    const f = encodeFrame(new Uint8Array([1, 2, 3]));
    const bad = f.slice();
    bad[bad.length - 1] ^= 1;
    assert.throws(() => decodeFrames(bad), /checksum mismatch/);
    assert.throws(() => decodeFrames(f.subarray(0, f.length - 1)), RemoteCodecError);
    assert.throws(() => decodeFrames(new Uint8Array([0xff])), /truncated frame length/);
    assert.throws(() => decodeFrames(encodeFrame(new Uint8Array(10)), 5), /exceeds the limit/);
  });
});
