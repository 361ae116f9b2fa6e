import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pushRemoteWrite } from '../../../adapters/edge/mod.ts';
import { parseConfig } from '../../../core/config/mod.ts';
import { Labels } from '../../../core/model/mod.ts';
import {
  decodeWriteRequest,
  snappyDecompress,
  type WriteRequest,
} from '../../../core/remote/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';

const config = parseConfig(
  `global:
  external_labels: { site: edge, job: ignored }
remote_write:
  - url: http://rw.test/write
    headers: { X-Scope-OrgID: tenant }
    queue_config: { max_samples_per_send: 3 }
    write_relabel_configs:
      - source_labels: [__name__]
        regex: dropped.*
        action: drop
`,
  'test.yml',
);

async function storageWith(): Promise<MemoryStorage> {
  const s = new MemoryStorage();
  const app = s.appender();
  for (const t of [1000, 2000, 3000, 4000]) {
    app.append(0, Labels.from({ __name__: 'a', job: 'j' }), t, t / 1000);
    app.append(0, Labels.from({ __name__: 'dropped_x' }), t, 0);
  }
  app.append(0, Labels.from({ __name__: 'b' }), 2000, 7);
  app.appendStale(0, Labels.from({ __name__: 'b' }), 3000);
  await app.commit();
  return s;
}

function recorder(status = 204) {
  const requests: { headers: Headers; body: WriteRequest }[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const body = new Uint8Array(await new Response(init!.body).arrayBuffer());
    requests.push({
      headers: new Headers(init!.headers),
      body: decodeWriteRequest(snappyDecompress(body)),
    });
    return new Response(null, { status });
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

describe('one-shot remote write', () => {
  test('pushes the samples after the cursor in batches, relabelled, with external labels', async () => {
    const storage = await storageWith();
    const rec = recorder();
    const cursors: Record<string, number> = { 'http://rw.test/write': 1000 };
    const [r] = await pushRemoteWrite({ storage, config, cursors, until: 3000, fetch: rec.fetch });
    assert.equal(r.error, undefined);
    assert.equal(r.samples, 4);
    assert.equal(r.cursor, 3000);
    assert.equal(cursors['http://rw.test/write'], 3000);
    assert.equal(r.requests, rec.requests.length);
    assert.ok(rec.requests.every((q) => q.body.timeseries.flatMap((s) => s.samples).length <= 3));
    const h = rec.requests[0].headers;
    assert.equal(h.get('content-encoding'), 'snappy');
    assert.equal(h.get('x-prometheus-remote-write-version'), '0.1.0');
    assert.equal(h.get('x-scope-orgid'), 'tenant');
    const series = rec.requests.flatMap((q) => q.body.timeseries);
    const labels = (i: number) =>
      Object.fromEntries(series[i].labels.map((l) => [l.name, l.value]));
    assert.deepEqual(labels(0), { __name__: 'a', job: 'j', site: 'edge' });
    assert.deepEqual(series[0].samples.map((s) => s.timestamp), [2000, 3000]);
    assert.deepEqual(labels(1), { __name__: 'b', job: 'ignored', site: 'edge' });
    assert.equal(series[1].samples[0].value, 7);
    assert.equal(series[1].samples[1].stale, true);
    assert.ok(!series.some((s) => s.labels.some((l) => l.value === 'dropped_x')));

    // The next push starts after the cursor.
    const [next] = await pushRemoteWrite({
      storage,
      config,
      cursors,
      until: 5000,
      fetch: rec.fetch,
    });
    assert.equal(next.samples, 1);
  });

  test('a failed push keeps the cursor, so the next tick sends the range again', async () => {
    const storage = await storageWith();
    const cursors: Record<string, number> = { 'http://rw.test/write': 0 };
    const failing = recorder(500);
    const [r] = await pushRemoteWrite({
      storage,
      config,
      cursors,
      until: 4000,
      fetch: failing.fetch,
    });
    assert.match(r.error ?? '', /answered 500/);
    assert.equal(cursors['http://rw.test/write'], 0);
    const ok = recorder();
    const [again] = await pushRemoteWrite({
      storage,
      config,
      cursors,
      until: 4000,
      fetch: ok.fetch,
    });
    assert.equal(again.samples, 6);
  });

  test('the first push of an endpoint looks back a bounded time', async () => {
    const storage = await storageWith();
    const rec = recorder();
    const [r] = await pushRemoteWrite({
      storage,
      config,
      cursors: {},
      until: 4000,
      initialLookbackMs: 1500,
      fetch: rec.fetch,
    });
    // From 2500: a at 3000 and 4000, and b's stale marker at 3000.
    assert.equal(r.samples, 3);
  });
});
