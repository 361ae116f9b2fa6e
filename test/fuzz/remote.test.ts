/** Property tests of the remote-write codecs: bad input ends in `RemoteCodecError` only. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeWriteRequest,
  encodeWriteRequest,
  RemoteCodecError,
  scanWriteRequestV2,
  snappyCompress,
  snappyDecompress,
  type WriteRequest,
} from '../../core/remote/mod.ts';
import { mutatedBytes, onlyThrows, params } from './fuzz_helpers.ts';

// -0 is sent as an omitted field and reads back as 0, as Go's proto3 encoder does (by design,
// see core/remote/write_request.ts), so the round trip is over other numbers.
const value = fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d));
const label = fc.record({ name: fc.string({ maxLength: 8 }), value: fc.string({ maxLength: 8 }) });
const request: fc.Arbitrary<WriteRequest> = fc.record({
  timeseries: fc.array(
    fc.record({
      labels: fc.array(label, { maxLength: 4 }),
      samples: fc.array(
        fc.record({
          value,
          timestamp: fc.integer({ min: -(2 ** 40), max: 2 ** 42 }),
        }),
        { maxLength: 4 },
      ),
      exemplars: fc.array(
        fc.record({
          labels: fc.array(label, { maxLength: 2 }),
          value,
          timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
        }),
        { maxLength: 1 },
      ),
      histograms: fc.constant([]),
    }),
    { maxLength: 4 },
  ),
  metadata: fc.array(
    fc.record({
      type: fc.constantFrom('unknown', 'counter', 'gauge', 'histogram', 'summary') as fc.Arbitrary<
        'unknown' | 'counter' | 'gauge' | 'histogram' | 'summary'
      >,
      metricFamilyName: fc.string({ maxLength: 8 }),
      help: fc.string({ maxLength: 8 }),
      unit: fc.string({ maxLength: 4 }),
    }),
    { maxLength: 2 },
  ),
});

/** `req` with ordinary prototypes (fast-check builds records without one). */
function plain<T>(x: T): T {
  if (Array.isArray(x)) return x.map(plain) as T;
  if (x !== null && typeof x === 'object' && !(x instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
  }
  return x;
}

/** Every decoder over `bytes`, raw and as a snappy block. */
function clean(bytes: Uint8Array): void {
  onlyThrows(() => decodeWriteRequest(bytes), RemoteCodecError);
  onlyThrows(() => scanWriteRequestV2(bytes, { series() {} }), RemoteCodecError);
  onlyThrows(() => decodeWriteRequest(snappyDecompress(bytes, 1 << 20)), RemoteCodecError);
}

/** A valid request, encoded, and then damaged. */
const damaged = request.chain((req) => mutatedBytes(encodeWriteRequest(req)));
/** A valid request, encoded and compressed, and then damaged. */
const damagedBlock = request.chain((req) => mutatedBytes(snappyCompress(encodeWriteRequest(req))));

describe('remote-write decoder (fuzz)', () => {
  test('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), clean), params());
  });

  test('mutated valid WriteRequests', () => {
    fc.assert(fc.property(damaged, clean), params());
  });

  test('mutated valid snappy blocks', () => {
    fc.assert(
      fc.property(damagedBlock, (block) => {
        onlyThrows(() => decodeWriteRequest(snappyDecompress(block, 1 << 20)), RemoteCodecError);
      }),
      params(),
    );
  });

  test('valid requests round-trip through the codec and snappy', () => {
    fc.assert(
      fc.property(request, (req) => {
        const back = decodeWriteRequest(snappyDecompress(snappyCompress(encodeWriteRequest(req))));
        assert.deepEqual(back, plain(req));
      }),
      params(2),
    );
  });
});
