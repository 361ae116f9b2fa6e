import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import {
  decodeChunkedReadResponse,
  decodeReadRequest,
  decodeReadResponse,
  decodeWriteRequest,
  encodeReadRequest,
  RemoteCodecError,
  scanWriteRequestV2,
  snappyCompress,
  snappyDecompress,
  WriteRequestEncoder,
  WriteRequestV2Encoder,
} from '../../../core/remote/mod.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

function valid(): Uint8Array {
  const enc = new WriteRequestEncoder();
  for (let i = 0; i < 5; i++) {
    enc.addSeries(
      Labels.from({ __name__: 'm', i: String(i), u: 'é😀' }),
      [1000, 2000, -5],
      [1, NaN, 3],
      [0, 0, 1],
    );
  }
  enc.addTimeSeries({
    labels: [{ name: 'z', value: 'a' }],
    samples: [],
    exemplars: [{ labels: [{ name: 't', value: 'x' }], value: 1, timestamp: 2 }],
    histograms: [new Uint8Array([0x08, 0x03])],
  });
  enc.addMetadata({ type: 'counter', metricFamilyName: 'm', help: 'h', unit: '' });
  return enc.finish();
}

// Only RemoteCodecError may escape; anything else (RangeError, TypeError) is a decoder bug.
function onlyCodecErrors(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RemoteCodecError)) throw e;
  }
}

describe('fuzzed input', () => {
  test('mutated protobuf never throws anything but RemoteCodecError', () => {
    const base = valid();
    const r = rng(42);
    for (let n = 0; n < 3000; n++) {
      const b = base.slice(0, r() < 0.2 ? Math.floor(r() * base.length) : base.length);
      const flips = 1 + Math.floor(r() * 4);
      for (let k = 0; k < flips && b.length > 0; k++) {
        b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      }
      onlyCodecErrors(() => decodeWriteRequest(b));
    }
  });

  test('mutated 2.0 requests never throw anything but RemoteCodecError', () => {
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'm', a: 'é😀' }), [1000, -5], [1, 3], [0, 1]);
    enc.addSeries(Labels.from({ __name__: 'm', a: 'b' }), [7], [NaN]);
    const base = enc.finish();
    const r = rng(5);
    for (let n = 0; n < 3000; n++) {
      const b = base.slice(0, r() < 0.2 ? Math.floor(r() * base.length) : base.length);
      for (let k = 0; k < 3 && b.length > 0; k++) {
        b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      }
      onlyCodecErrors(() =>
        scanWriteRequestV2(b, {
          series(v) {
            for (let i = 0; i < v.labelCount; i++) v.labelName(i), v.labelValue(i);
          },
        })
      );
    }
  });

  test('random bytes never throw anything but RemoteCodecError', () => {
    const r = rng(7);
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(Math.floor(r() * 64)).map(() => Math.floor(r() * 256));
      onlyCodecErrors(() => decodeWriteRequest(b));
      onlyCodecErrors(() => snappyDecompress(b));
      onlyCodecErrors(() => decodeReadRequest(b));
      onlyCodecErrors(() => decodeReadResponse(b));
      onlyCodecErrors(() => decodeChunkedReadResponse(b));
    }
  });

  test('mutated read messages never throw anything but RemoteCodecError', () => {
    const base = encodeReadRequest({
      queries: [{
        startTimestampMs: 1,
        endTimestampMs: 2,
        matchers: [{ type: '=~', name: 'job', value: 'a|b' }],
        hints: {
          stepMs: 1,
          func: 'f',
          startMs: 1,
          endMs: 2,
          grouping: ['x'],
          by: true,
          rangeMs: 3,
        },
      }],
      acceptedResponseTypes: ['samples'],
    });
    const r = rng(11);
    for (let n = 0; n < 2000; n++) {
      const b = base.slice();
      b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      onlyCodecErrors(() => decodeReadRequest(b));
      const w = valid().slice();
      w[Math.floor(r() * w.length)] = Math.floor(r() * 256);
      onlyCodecErrors(() => decodeReadResponse(w));
      onlyCodecErrors(() => decodeChunkedReadResponse(w));
    }
  });

  test('mutated snappy never throws anything but RemoteCodecError', () => {
    const base = snappyCompress(valid());
    const r = rng(9);
    let decoded = 0;
    for (let n = 0; n < 2000; n++) {
      const b = base.slice();
      b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      onlyCodecErrors(() => {
        decodeWriteRequest(snappyDecompress(b));
        decoded++;
      });
    }
    assert.ok(decoded < 2000);
  });
});
