import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ChunkedReadResponse,
  decodeChunkedReadResponse,
  decodeReadRequest,
  decodeReadResponse,
  encodeChunkedReadResponse,
  encodeReadRequest,
  encodeReadResponse,
  type ReadRequest,
  type ReadResponse,
  RemoteCodecError,
} from '../../../core/remote/mod.ts';

const hex = (s: string) => new Uint8Array(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16)).join(' ');
const toHex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('remote read messages', () => {
  test('ReadRequest golden bytes, both ways', () => {
    const bytes = hex(`
      0a 16 08 e8 07 10 d0 0f 1a 0e 12 08 ${ascii('__name__')} 1a 02 ${ascii('up')}
      12 01 01`);
    const req: ReadRequest = {
      queries: [{
        startTimestampMs: 1000,
        endTimestampMs: 2000,
        matchers: [{ type: '=', name: '__name__', value: 'up' }],
      }],
      acceptedResponseTypes: ['streamed_xor_chunks'],
    };
    assert.deepEqual(decodeReadRequest(bytes), req);
    assert.equal(toHex(encodeReadRequest(req)), toHex(bytes));
  });

  test('ReadRequest round trip with hints and every matcher type', () => {
    const req: ReadRequest = {
      queries: [{
        startTimestampMs: -5,
        endTimestampMs: 1_700_000_000_000,
        matchers: [
          { type: '!=', name: 'a', value: '' },
          { type: '=~', name: 'b', value: 'x.*' },
          { type: '!~', name: 'c', value: 'ü' },
        ],
        hints: {
          stepMs: 15_000,
          func: 'rate',
          startMs: 1,
          endMs: 2,
          grouping: ['job', 'instance'],
          by: true,
          rangeMs: 300_000,
        },
      }, { startTimestampMs: 0, endTimestampMs: 0, matchers: [] }],
      acceptedResponseTypes: ['samples', 'streamed_xor_chunks'],
    };
    assert.deepEqual(decodeReadRequest(encodeReadRequest(req)), req);
  });

  test('ReadResponse and ChunkedReadResponse round trips', () => {
    const res: ReadResponse = {
      results: [{
        timeseries: [{
          labels: [{ name: '__name__', value: 'up' }],
          samples: [{ value: 1, timestamp: 5 }, { value: NaN, timestamp: 6, stale: true }],
          exemplars: [],
          histograms: [],
        }],
      }, { timeseries: [] }],
    };
    assert.deepEqual(decodeReadResponse(encodeReadResponse(res)), res);
    const chunked: ChunkedReadResponse = {
      chunkedSeries: [{
        labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a' }],
        chunks: [{ minTimeMs: 1, maxTimeMs: 99, type: 1, data: new Uint8Array([0, 1, 2, 250]) }],
      }],
      queryIndex: 3,
    };
    assert.deepEqual(decodeChunkedReadResponse(encodeChunkedReadResponse(chunked)), chunked);
  });

  test('malformed input is a RemoteCodecError', () => {
    for (const bytes of ['0a 05 08', '0a 02 1a 02 08 09', '12 01 07']) {
      assert.throws(() => decodeReadRequest(hex(bytes)), RemoteCodecError, bytes);
    }
    assert.throws(() => decodeReadResponse(hex('0a 03 0a 05 00')), RemoteCodecError);
  });
});
