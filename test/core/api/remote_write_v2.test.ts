import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteWriteApi } from '../../../core/api/remote_write.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Labels } from '../../../core/model/mod.ts';
import { snappyCompress, WriteRequestV2Encoder } from '../../../core/remote/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { apiApp, dump, put } from './api_app.ts';

const NOW = 1_700_000_000_000;
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

function setup(acceptV2?: boolean) {
  const storage = new MemoryStorage();
  const app = apiApp([remoteWriteApi({ storage, logger: nopLogger, acceptV2, now: () => NOW })]);
  const write = (enc: WriteRequestV2Encoder) =>
    app.request('/api/v1/write', {
      method: 'POST',
      body: snappyCompress(enc.finish()),
      headers: {
        'content-type': V2,
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '2.0.0',
      },
    });
  return { storage, write };
}

const written = (res: Response) => [
  res.headers.get('x-prometheus-remote-write-samples-written'),
  res.headers.get('x-prometheus-remote-write-histograms-written'),
  res.headers.get('x-prometheus-remote-write-exemplars-written'),
];

describe('POST /api/v1/write, remote write 2.0', () => {
  test('stores samples and stale markers; 204 with the written counts', async () => {
    const { storage, write } = setup();
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [NOW - 1000, NOW], [1, 0], [0, 1]);
    enc.addSeries(Labels.from({ __name__: 'up', job: 'b' }), [NOW], [3]);
    const res = await write(enc);
    assert.equal(res.status, 204);
    assert.deepEqual(written(res), ['3', '0', '0']);
    assert.deepEqual(await dump(storage), {
      '{__name__="up", job="a"}': [[NOW - 1000, 1], [NOW, 'stale']],
      '{__name__="up", job="b"}': [[NOW, 3]],
    });
    // Again with new timestamps: the series cache keyed by symbol bytes finds them.
    const again = new WriteRequestV2Encoder();
    again.addSeries(Labels.from({ __name__: 'up', job: 'b' }), [NOW + 1000], [4]);
    assert.equal((await write(again)).status, 204);
    assert.equal((await dump(storage))['{__name__="up", job="b"}'].length, 2);
  });

  test('invalid labels: 400, nothing applied, counts of 0', async () => {
    const { storage, write } = setup();
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'ok' }), [NOW], [1]);
    enc.addSeries([['job', 'a'], ['__name__', 'm']], [NOW], [1]);
    const res = await write(enc);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not sorted by name/);
    assert.deepEqual(written(res), ['0', '0', '0']);
    assert.deepEqual(await dump(storage), {});
  });

  test('out of order: 400, whole request rolled back', async () => {
    const { storage, write } = setup();
    await put(storage, { __name__: 'm' }, NOW, 1);
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'fresh' }), [NOW], [1]);
    enc.addSeries(Labels.from({ __name__: 'm' }), [NOW - 5], [1]);
    const res = await write(enc);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /^out of order sample/);
    assert.deepEqual(Object.keys(await dump(storage)), ['{__name__="m"}']);
  });

  test('refused with 415 when 2.0 is switched off', async () => {
    const { write } = setup(false);
    const enc = new WriteRequestV2Encoder();
    enc.addSeries(Labels.from({ __name__: 'up' }), [NOW], [1]);
    const res = await write(enc);
    assert.equal(res.status, 415);
    assert.match(await res.text(), /accepted \[prometheus\.WriteRequest\]/);
  });
});
