import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import {
  RemoteCodecError,
  scanWriteRequestV2,
  type TimeSeriesView,
  WriteRequestV2Encoder,
} from '../../../core/remote/mod.ts';

const hex = (s: string) => new Uint8Array(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16)).join(' ');
const toHex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function collect(bytes: Uint8Array) {
  const out: { labels: string[]; samples: [number, number | 'stale'][] }[] = [];
  scanWriteRequestV2(bytes, {
    series(v: TimeSeriesView) {
      const labels: string[] = [];
      for (let i = 0; i < v.labelCount; i++) labels.push(`${v.labelName(i)}=${v.labelValue(i)}`);
      const samples: [number, number | 'stale'][] = [];
      for (let i = 0; i < v.sampleCount; i++) {
        samples.push([v.timestamps[i], v.stale[i] ? 'stale' : v.values[i]]);
      }
      out.push({ labels, samples });
    },
  });
  return out;
}

// symbols ["", "__name__", "up", "job", "a"]; series refs [1,2,3,4]; sample 1 @1000.
const GOLDEN = hex(`
  22 00 22 08 ${ascii('__name__')} 22 02 ${ascii('up')} 22 03 ${ascii('job')} 22 01 ${ascii('a')}
  2a 14 0a 04 01 02 03 04 12 0c 09 00 00 00 00 00 00 f0 3f 10 e8 07
`);

describe('remote write 2.0 Request', () => {
  test('decodes hand-constructed golden bytes', () => {
    assert.deepEqual(collect(GOLDEN), [{ labels: ['__name__=up', 'job=a'], samples: [[1000, 1]] }]);
  });

  test('the encoder writes the same bytes', () => {
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [1000], [1]);
    assert.equal(toHex(enc.finish()), toHex(GOLDEN));
  });

  test('round trip with shared symbols, stale markers, unpacked refs', () => {
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [1, 2], [1, 0], [0, 1]);
    enc.addSeries(Labels.from({ __name__: 'up', job: 'b' }), [3], [-2]);
    assert.deepEqual(collect(enc.finish()), [
      { labels: ['__name__=up', 'job=a'], samples: [[1, 1], [2, 'stale']] },
      { labels: ['__name__=up', 'job=b'], samples: [[3, -2]] },
    ]);
    // Refs as separate varint fields (unpacked) are accepted as well.
    const unpacked = hex(`22 00 22 01 ${ascii('x')} 2a 04 08 01 08 01`);
    assert.deepEqual(collect(unpacked), [{ labels: ['x=x'], samples: [] }]);
  });

  test('bad symbol tables and references are RemoteCodecErrors', () => {
    const cases: [string, RegExp][] = [
      [`22 01 ${ascii('x')}`, /symbols\[0\] must be the empty string/],
      [`22 00 2a 04 0a 02 00 05`, /symbol reference 5 outside the table of 1/],
      [`22 00 2a 03 0a 01 00`, /odd length/],
      [`2a 02 0a 05`, /runs past/],
    ];
    for (const [bytes, re] of cases) {
      assert.throws(
        () => collect(hex(bytes)),
        (e) => e instanceof RemoteCodecError && re.test(e.message),
      );
    }
  });
});
