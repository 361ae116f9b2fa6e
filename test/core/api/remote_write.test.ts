import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteWriteApi, remoteWriteDisabledApi } from '../../../core/api/remote_write.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { Labels, Matcher } from '../../../core/model/mod.ts';
import {
  encodeWriteRequest,
  type Label,
  snappyCompress,
  type TimeSeries,
  WriteRequestEncoder,
} from '../../../core/remote/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { apiApp, dump, put } from './api_app.ts';

const NOW = 1_700_000_000_000;

function setup(opts: { legacyNames?: boolean; outOfOrderWindowMs?: number } = {}) {
  const storage = new MemoryStorage({ outOfOrderWindowMs: opts.outOfOrderWindowMs });
  const registry = new Registry();
  const app = apiApp([
    remoteWriteApi({
      storage,
      logger: nopLogger,
      registry,
      legacyNames: opts.legacyNames,
      now: () => NOW,
    }),
  ]);
  const write = (body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    app.request('/api/v1/write', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
        ...headers,
      },
    });
  return { storage, registry, app, write };
}

const series = (
  labels: Record<string, string> | Label[],
  samples: [number, number | 'stale'][],
  extra: Partial<TimeSeries> = {},
): TimeSeries => ({
  labels: Array.isArray(labels)
    ? labels
    : Object.entries(labels).map(([name, value]) => ({ name, value })),
  samples: samples.map(([timestamp, v]) =>
    v === 'stale' ? { timestamp, value: NaN, stale: true } : { timestamp, value: v }
  ),
  exemplars: [],
  histograms: [],
  ...extra,
});

const body = (...ts: TimeSeries[]) =>
  snappyCompress(encodeWriteRequest({ timeseries: ts, metadata: [] }));

describe('POST /api/v1/write', () => {
  test('stores the samples, stale markers as such, and answers 204', async () => {
    const { storage, write } = setup();
    const res = await write(body(
      series({ __name__: 'up', instance: 'a:9100', job: 'node' }, [[NOW - 30_000, 1], [
        NOW - 15_000,
        0,
      ], [NOW, 'stale']]),
      series({ __name__: 'temp', room: 'x' }, [[NOW, -2.5]]),
    ));
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.deepEqual(await dump(storage), {
      '{__name__="temp", room="x"}': [[NOW, -2.5]],
      '{__name__="up", instance="a:9100", job="node"}': [[NOW - 30_000, 1], [NOW - 15_000, 0], [
        NOW,
        'stale',
      ]],
    });
  });

  test('an ordinary NaN stays a value, not a stale marker', async () => {
    const { storage, write } = setup();
    assert.equal((await write(body(series({ __name__: 'n' }, [[NOW, NaN]])))).status, 204);
    const [[, v]] = Object.values(await dump(storage))[0];
    assert.ok(typeof v === 'number' && Number.isNaN(v));
  });

  test('empty label values are dropped, as Beacon never stores them', async () => {
    const { storage, write } = setup();
    const res = await write(body(series({ __name__: 'm', a: '', b: 'x' }, [[NOW, 1]])));
    assert.equal(res.status, 204);
    assert.deepEqual(Object.keys(await dump(storage)), ['{__name__="m", b="x"}']);
  });

  test('the series cache survives repeated writes and series deletion', async () => {
    const { storage, write } = setup();
    const l = { __name__: 'c', job: 'j' };
    for (let i = 0; i < 3; i++) {
      assert.equal((await write(body(series(l, [[NOW - 60_000 + i * 1000, i]])))).status, 204);
    }
    await storage.deleteSeries([Matcher.create('=', '__name__', 'c')], -1e15, 1e15);
    assert.equal((await write(body(series(l, [[NOW, 9]])))).status, 204);
    assert.deepEqual(await dump(storage), { '{__name__="c", job="j"}': [[NOW, 9]] });
  });

  test('headers: missing ones default to protobuf and snappy; others get 415', async () => {
    const { write } = setup();
    const b = body(series({ __name__: 'up' }, [[NOW, 1]]));
    assert.equal((await write(b, { 'content-type': '', 'content-encoding': '' })).status, 204);
    const bad: [Record<string, string>, RegExp][] = [
      [{ 'content-type': 'application/json' }, /expected application\/x-protobuf/],
      [
        { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v3.Request' },
        /^io\.prometheus\.write\.v3\.Request protobuf message is not accepted by this server; accepted \[prometheus\.WriteRequest io\.prometheus\.write\.v2\.Request\]/,
      ],
      [{ 'content-type': 'application/x-protobuf;proto' }, /key-values/],
      [{ 'content-encoding': 'gzip' }, /gzip encoding \(compression\) is not accepted/],
    ];
    for (const [headers, re] of bad) {
      const res = await write(b, headers);
      assert.equal(res.status, 415, JSON.stringify(headers));
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(await res.text(), re);
    }
    const v1 = 'application/x-protobuf; proto=prometheus.WriteRequest';
    assert.equal((await write(b, { 'content-type': v1 })).status, 204);
  });

  test('not snappy, or not the protobuf: 400 with the reason', async () => {
    const { write } = setup();
    const notSnappy = await write(new TextEncoder().encode('up 1\n'));
    assert.equal(notSnappy.status, 400);
    assert.match(await notSnappy.text(), /^snappy: corrupt input/);
    const notProto = await write(snappyCompress(new Uint8Array([0x0a, 0x05, 0x01])));
    assert.equal(notProto.status, 400);
    assert.match(await notProto.text(), /runs past/);
  });

  const invalid: [string, TimeSeries, RegExp][] = [
    [
      'unsorted labels',
      series([{ name: 'job', value: 'a' }, { name: '__name__', value: 'm' }], [[NOW, 1]]),
      /not sorted by name: "__name__" after "job"/,
    ],
    [
      'duplicate labels',
      series([{ name: '__name__', value: 'm' }, { name: 'a', value: '1' }, {
        name: 'a',
        value: '2',
      }], [[NOW, 1]]),
      /duplicate label name "a"/,
    ],
    [
      'empty metric name',
      series([{ name: '__name__', value: '' }, { name: 'a', value: '1' }], [[NOW, 1]]),
      /empty metric name/,
    ],
    ['missing metric name', series({ job: 'x' }, [[NOW, 1]]), /missing metric name/],
    [
      'empty label name',
      series([{ name: '', value: 'x' }, { name: '__name__', value: 'm' }], [[NOW, 1]]),
      /empty label name/,
    ],
    ['no labels at all', series([], [[NOW, 1]]), /missing metric name/],
    [
      'a timestamp 10 minutes ahead',
      series({ __name__: 'm' }, [[NOW + 600_001, 1]]),
      /out of bounds: timestamp is too far in the future/,
    ],
  ];
  for (const [name, bad, re] of invalid) {
    test(`${name}: 400, and no part of the request is applied`, async () => {
      const { storage, write, registry } = setup();
      const good = series({ __name__: 'good' }, [[NOW, 1]]);
      const res = await write(body(good, bad, good));
      assert.equal(res.status, 400);
      assert.match(await res.text(), re);
      assert.deepEqual(await dump(storage), {});
      assert.match(
        await registry.metrics(),
        /beacon_remote_write_rejected_requests_total\{reason="(invalid_labels|out_of_bounds)"\} 1/,
      );
    });
  }

  test('invalid UTF-8 in a label: 400', async () => {
    const { storage, write } = setup();
    // {__name__="m", a="\xc3("}, hand-built because the encoder writes only valid strings.
    const ts = [
      0x0a,
      0x0d,
      0x0a,
      0x08,
      ...'__name__'.split('').map((c) => c.charCodeAt(0)),
      0x12,
      0x01,
      0x6d,
      0x0a,
      0x07,
      0x0a,
      0x01,
      0x61,
      0x12,
      0x02,
      0xc3,
      0x28,
    ];
    const res = await write(snappyCompress(new Uint8Array([0x0a, ts.length, ...ts])));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not valid UTF-8/);
    assert.deepEqual(await dump(storage), {});
  });

  test('timestamps beyond 2^53 ms: 400', async () => {
    const { write } = setup();
    const ts = [0x12, 0x0a, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f];
    const named = [
      0x0a,
      0x0d,
      0x0a,
      0x08,
      ...'__name__'.split('').map((c) => c.charCodeAt(0)),
      0x12,
      0x01,
      0x6d,
      ...ts,
    ];
    const res = await write(snappyCompress(new Uint8Array([0x0a, named.length, ...named])));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /timestamp outside ±2\^53 ms/);
  });

  test('legacy names, when asked for', async () => {
    const { write } = setup({ legacyNames: true });
    const res = await write(body(series({ __name__: 'm', 'la.bel': 'x' }, [[NOW, 1]])));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /invalid label name "la.bel"/);
    const utf8 = setup();
    assert.equal(
      (await utf8.write(body(series({ __name__: 'm.x', 'la.bel': 'x' }, [[NOW, 1]])))).status,
      204,
    );
  });

  test('out-of-order samples: 400 and the whole request rolled back, as Prometheus', async () => {
    const { storage, write, registry } = setup();
    await put(storage, { __name__: 'm' }, NOW, 1);
    const res = await write(body(
      series({ __name__: 'fresh' }, [[NOW, 1]]),
      series({ __name__: 'm' }, [[NOW - 1000, 2]]),
    ));
    assert.equal(res.status, 400);
    assert.match(
      await res.text(),
      /^out of order sample for series \{__name__="m"\} at 1699999999000/,
    );
    assert.deepEqual(await dump(storage), { '{__name__="m"}': [[NOW, 1]] });
    const metrics = await registry.metrics();
    assert.match(metrics, /beacon_remote_write_rejected_requests_total\{reason="out_of_order"\} 1/);
    assert.match(metrics, /beacon_remote_write_requests_total\{code="400"\} 1/);
  });

  test('duplicate samples: 400; an identical repeat is accepted', async () => {
    const { storage, write } = setup();
    await put(storage, { __name__: 'm' }, NOW, 1);
    assert.equal((await write(body(series({ __name__: 'm' }, [[NOW, 1]])))).status, 204);
    const res = await write(body(series({ __name__: 'm' }, [[NOW, 2]])));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /^duplicate sample for timestamp/);
  });

  test('inside the out-of-order window, older samples are stored', async () => {
    const { storage, write } = setup({ outOfOrderWindowMs: 60_000 });
    await put(storage, { __name__: 'm' }, NOW, 1);
    assert.equal((await write(body(series({ __name__: 'm' }, [[NOW - 30_000, 0]])))).status, 204);
    assert.deepEqual(await dump(storage), { '{__name__="m"}': [[NOW - 30_000, 0], [NOW, 1]] });
  });

  test('exemplars and native histograms are accepted, not stored, and counted', async () => {
    const { storage, write, registry } = setup();
    const res = await write(body(series({ __name__: 'h' }, [[NOW, 1]], {
      exemplars: [{ labels: [{ name: 'trace_id', value: 'x' }], value: 1, timestamp: NOW }],
      histograms: [new Uint8Array([0x08, 0x01, 0x78, 0x01])],
    })));
    assert.equal(res.status, 204);
    assert.deepEqual(Object.keys(await dump(storage)), ['{__name__="h"}']);
    const metrics = await registry.metrics();
    assert.match(metrics, /beacon_remote_write_ignored_total\{kind="exemplar"\} 1/);
    assert.match(metrics, /beacon_remote_write_ignored_total\{kind="histogram"\} 1/);
    assert.match(metrics, /beacon_remote_write_received_samples_total 1/);
  });

  test('metadata is accepted', async () => {
    const { write } = setup();
    const enc = new WriteRequestEncoder();
    enc.addSeries(Labels.from({ __name__: 'up' }), [NOW], [1]);
    enc.addMetadata({ type: 'gauge', metricFamilyName: 'up', help: 'Up.', unit: '' });
    assert.equal((await write(snappyCompress(enc.finish()))).status, 204);
  });

  test('bodies over the limit: 413, with or without Content-Length', async () => {
    const storage = new MemoryStorage();
    const app = apiApp([remoteWriteApi({ storage, logger: nopLogger, maxBodyBytes: 100 })]);
    const big = new Uint8Array(101);
    const res = await app.request('/api/v1/write', { method: 'POST', body: big });
    assert.equal(res.status, 413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(30));
        c.close();
      },
    });
    const chunked = await app.request('/api/v1/write', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.match(await chunked.text(), /exceeds 100 bytes/);
  });

  test('a second receiver on the same registry keeps the same counters', async () => {
    const { registry, write } = setup();
    assert.equal((await write(body(series({ __name__: 'a' }, [[NOW, 1]])))).status, 204);
    const storage = new MemoryStorage();
    const again = apiApp([
      remoteWriteApi({ storage, logger: nopLogger, registry, now: () => NOW }),
    ]);
    const res = await again.request('/api/v1/write', {
      method: 'POST',
      body: body(series({ __name__: 'b' }, [[NOW, 1]])),
    });
    assert.equal(res.status, 204);
    assert.match(await registry.metrics(), /beacon_remote_write_received_samples_total 2/);
  });

  test('disabled, it answers as Prometheus does', async () => {
    const app = apiApp([remoteWriteDisabledApi()]);
    const res = await app.request('/api/v1/write', { method: 'POST', body: 'x' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(
      await res.text(),
      'remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n',
    );
  });

  test('GET is not the receiver', async () => {
    const { app } = setup();
    const res = await app.request('/api/v1/write');
    assert.equal(res.status, 404);
  });
});
