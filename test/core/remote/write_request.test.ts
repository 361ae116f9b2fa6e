import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import {
  decodeWriteRequest,
  encodeWriteRequest,
  RemoteCodecError,
  scanWriteRequest,
  type WriteRequest,
  WriteRequestEncoder,
} from '../../../core/remote/mod.ts';

const hex = (s: string) => new Uint8Array(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16)).join(' ');
const toHex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, '0')).join(' ');

// {__name__="up", job="a"} 1 @1000, written out by hand from the .proto field numbers.
const GOLDEN = hex(`
  0a 28
    0a 0e 0a 08 ${ascii('__name__')} 12 02 ${ascii('up')}
    0a 08 0a 03 ${ascii('job')} 12 01 ${ascii('a')}
    12 0c 09 00 00 00 00 00 00 f0 3f 10 e8 07
`);

describe('WriteRequest golden bytes', () => {
  test('decodes a hand-constructed request', () => {
    assert.deepEqual(decodeWriteRequest(GOLDEN), {
      timeseries: [{
        labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a' }],
        samples: [{ value: 1, timestamp: 1000 }],
        exemplars: [],
        histograms: [],
      }],
      metadata: [],
    });
  });

  test('encodes to the same bytes as Go would', () => {
    const enc = new WriteRequestEncoder();
    enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [1000], [1]);
    assert.equal(toHex(enc.finish()), toHex(GOLDEN));
  });

  test('the stale marker keeps its bits both ways', () => {
    const bytes = hex(`0a 0d 12 0b 09 02 00 00 00 00 00 f0 7f 10 01`);
    const req = decodeWriteRequest(bytes);
    assert.equal(req.timeseries[0].samples[0].stale, true);
    assert.ok(Number.isNaN(req.timeseries[0].samples[0].value));
    assert.equal(toHex(encodeWriteRequest(req)), toHex(bytes));
    // An ordinary NaN is not stale.
    const nan = decodeWriteRequest(hex(`0a 0d 12 0b 09 01 00 00 00 00 00 f8 7f 10 01`));
    assert.equal(nan.timeseries[0].samples[0].stale, undefined);
  });

  test('zero values are omitted and default to zero', () => {
    const bytes = hex(`0a 02 12 00`);
    assert.deepEqual(decodeWriteRequest(bytes).timeseries[0].samples, [{ value: 0, timestamp: 0 }]);
    assert.equal(toHex(encodeWriteRequest(decodeWriteRequest(bytes))), toHex(bytes));
  });

  test('negative and large timestamps', () => {
    const neg = hex(`0a 0d 12 0b 10 ff ff ff ff ff ff ff ff ff 01`);
    assert.equal(decodeWriteRequest(neg).timeseries[0].samples[0].timestamp, -1);
    assert.equal(toHex(encodeWriteRequest(decodeWriteRequest(neg))), toHex(neg));
    for (
      const t of [2 ** 31, 2 ** 32 + 5, 1_700_000_000_123, Number.MAX_SAFE_INTEGER, -(2 ** 40)]
    ) {
      const req: WriteRequest = {
        timeseries: [{
          labels: [],
          samples: [{ value: 2, timestamp: t }],
          exemplars: [],
          histograms: [],
        }],
        metadata: [],
      };
      assert.equal(
        decodeWriteRequest(encodeWriteRequest(req)).timeseries[0].samples[0].timestamp,
        t,
      );
    }
  });

  test('a timestamp beyond 2^53 is refused by name', () => {
    const big = hex(`0a 0c 12 0a 10 ff ff ff ff ff ff ff ff 7f`); // 2^63 - 1
    assert.throws(
      () => decodeWriteRequest(big),
      (e) => e instanceof RemoteCodecError && /2\^53/.test(e.message),
    );
    let unsafe = 0;
    scanWriteRequest(big, { series: (v) => (unsafe += v.unsafeTimestamps) });
    assert.equal(unsafe, 1);
  });

  test('metadata', () => {
    const bytes = hex(
      `1a 0f 08 01 12 02 ${ascii('up')} 22 01 ${ascii('h')} 2a 04 ${ascii('secs')}`,
    );
    const req = decodeWriteRequest(bytes);
    assert.deepEqual(req.metadata, [{
      type: 'counter',
      metricFamilyName: 'up',
      help: 'h',
      unit: 'secs',
    }]);
    assert.equal(toHex(encodeWriteRequest(req)), toHex(bytes));
    const types = ['histogram', 'gaugehistogram', 'summary', 'info', 'stateset'] as const;
    for (const [i, type] of types.entries()) {
      const m = decodeWriteRequest(hex(`1a 02 08 0${i + 3}`)).metadata[0];
      assert.equal(m.type, type);
    }
  });

  test('unknown fields are skipped', () => {
    // field 15 varint, field 14 fixed32, field 13 bytes at top level; field 9 inside a sample.
    const bytes = hex(`78 05 75 01 02 03 04 6a 01 00 0a 06 12 04 48 07 10 02`);
    const req = decodeWriteRequest(bytes);
    assert.deepEqual(req.timeseries[0].samples, [{ value: 0, timestamp: 2 }]);
  });
});

describe('WriteRequest round trips', () => {
  test('series, unicode labels, exemplars, histograms and metadata', () => {
    const req: WriteRequest = {
      timeseries: [
        {
          labels: [{ name: '__name__', value: 'http_requests_total' }, {
            name: 'path',
            value: '/ünï/😀',
          }],
          samples: [
            { value: 1.5, timestamp: 1_700_000_000_000 },
            { value: -Infinity, timestamp: 1_700_000_015_000 },
            { value: NaN, timestamp: 1_700_000_030_000, stale: true },
          ],
          exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 0.25, timestamp: 17 }],
          histograms: [new Uint8Array([0x08, 0x05, 0x78, 0x01])],
        },
        {
          labels: [{ name: 'b', value: 'x'.repeat(300) }, { name: 'a', value: '' }],
          samples: [],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [{ type: 'gauge', metricFamilyName: 'x', help: 'long '.repeat(100), unit: '' }],
    };
    const back = decodeWriteRequest(encodeWriteRequest(req));
    assert.deepEqual(back, req);
  });

  test('many series in one request grow the buffers', () => {
    const enc = new WriteRequestEncoder(16);
    const t = Array.from({ length: 500 }, (_, i) => i * 15_000);
    const v = t.map((x) => x / 7);
    for (let s = 0; s < 100; s++) enc.addSeries(Labels.from({ __name__: 'm', i: String(s) }), t, v);
    const req = decodeWriteRequest(enc.finish());
    assert.equal(req.timeseries.length, 100);
    assert.deepEqual(req.timeseries[99].samples.map((s) => s.value), v);
    assert.deepEqual(req.timeseries[42].labels, [{ name: '__name__', value: 'm' }, {
      name: 'i',
      value: '42',
    }]);
  });

  test('the scanner reports contiguous label bytes and equal keys for equal label sets', () => {
    const enc = new WriteRequestEncoder();
    enc.addSeries(Labels.from({ __name__: 'a', x: '1' }), [1], [1]);
    enc.addSeries(Labels.from({ __name__: 'a', x: '1' }), [2], [2]);
    const bytes = enc.finish();
    const keys: string[] = [];
    scanWriteRequest(bytes, {
      series(v) {
        assert.ok(v.labelsContiguous);
        keys.push(toHex(v.buf.subarray(v.labelsStart, v.labelsEnd)));
      },
    });
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
  });
});

describe('malformed requests', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated length', '0a 05 0a', /runs past/],
    ['truncated varint', '0a 02 12 80', /truncated|runs past/],
    ['truncated double', '0a 05 12 03 09 00 00', /truncated|runs past/],
    ['wrong wire type for timeseries', '08 01', /WriteRequest\.timeseries.*wire type 0/],
    ['wrong wire type for sample value', '0a 04 12 02 08 01', /Sample\.value/],
    ['field number zero', '00 01', /field number 0/],
    ['wire type 3 (groups)', '0b', /wire type 3/],
    ['invalid UTF-8 label', '0a 07 0a 05 0a 03 c3 28 61', /UTF-8/],
    ['overlong varint', '78 ff ff ff ff ff ff ff ff ff 7f', /overflows|too long/],
  ];
  for (const [name, bytes, re] of cases) {
    test(name, () => {
      assert.throws(
        () => decodeWriteRequest(hex(bytes)),
        (e) => e instanceof RemoteCodecError && re.test(e.message),
      );
    });
  }
});
