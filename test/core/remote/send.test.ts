/**
 * The remote-write sender against a local recording receiver: request format and headers,
 * external labels and write relabelling, stale-marker bits, batching, retries and backoff on
 * 5xx/429 (Retry-After), dropping on other 4xx, metrics, and durability across a storage
 * restart with the DuckDB engine's log.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../core/config/mod.ts';
import { remoteWriteHandler } from '../../../core/api/remote_write.ts';
import type { HostServer } from '../../../core/host.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { Labels, Matcher } from '../../../core/model/mod.ts';
import {
  decodeWriteRequest,
  snappyDecompress,
  type WriteRequest,
} from '../../../core/remote/mod.ts';
import { parseRetryAfter, RemoteWriteManager } from '../../../core/remote/send/mod.ts';
import type { Storage } from '../../../core/storage/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { DuckdbStorage } from '../../../plugins/storage/duckdb/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';
import { eventually } from '../../helpers/process.ts';

/** `eventually` for a synchronous condition. */
const until = (f: () => boolean) => eventually(() => Promise.resolve(f()));

interface Received {
  headers: Headers;
  req: WriteRequest;
}

/** A receiver that records every request; `status()` picks each answer. */
async function receiver(
  status: () => { code: number; headers?: Record<string, string> } = () => ({ code: 204 }),
): Promise<{ server: HostServer; got: Received[]; url: string; attempts: () => number }> {
  const got: Received[] = [];
  let attempts = 0;
  const server = await host.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (r) => {
      const body = new Uint8Array(await r.arrayBuffer());
      attempts++;
      const s = status();
      if (s.code < 300) {
        got.push({ headers: r.headers, req: decodeWriteRequest(snappyDecompress(body)) });
      }
      return new Response(s.code < 300 ? null : 'nope\n', { status: s.code, headers: s.headers });
    },
  });
  return { server, got, url: `http://${server.address}/api/v1/write`, attempts: () => attempts };
}

function config(url: string, extra = '', global = '') {
  return parseConfig(
    `global: { external_labels: { replica: r1 } ${global} }
remote_write:
  - url: ${url}
    name: test
    queue_config: { batch_send_deadline: 50ms, min_backoff: 10ms, max_backoff: 40ms, max_samples_per_send: 10 }
${extra}`,
    'prometheus.yml',
    { baseDir: '/' },
  );
}

async function append(storage: Storage, from: number, n: number, series = 3): Promise<void> {
  const app = storage.appender();
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < series; s++) {
      app.append(0, Labels.from({ __name__: 'm', s: String(s) }), from + i * 1000, i + s / 10);
    }
  }
  await app.commit();
}

function samplesOf(got: Received[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const g of got) {
    for (const ts of g.req.timeseries) {
      const key = ts.labels.map((l) => `${l.name}=${l.value}`).join(',');
      const list = out.get(key) ?? [];
      for (const s of ts.samples) list.push([s.timestamp, s.stale ? -1 : s.value]);
      out.set(key, list);
    }
  }
  return out;
}

describe('remote-write sender', () => {
  test('sends remote write 1.0 with headers, external labels, relabelling and stale markers', async () => {
    const rx = await receiver();
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger, registry });
    try {
      await sender.apply(config(
        rx.url,
        `    headers: { X-Scope-OrgID: tenant-1 }
    basic_auth: { username: u, password: p }
    write_relabel_configs:
      - { source_labels: [s], regex: '2', action: drop }`,
      ));
      await append(storage, 1000, 5);
      const app = storage.appender();
      app.appendStale(0, Labels.from({ __name__: 'm', s: '0' }), 10_000);
      await app.commit();
      await until(() => (samplesOf(rx.got).get('__name__=m,replica=r1,s=0')?.length ?? 0) === 6);
      const h = rx.got[0].headers;
      assert.equal(h.get('content-encoding'), 'snappy');
      assert.equal(h.get('content-type'), 'application/x-protobuf');
      assert.equal(h.get('x-prometheus-remote-write-version'), '0.1.0');
      assert.match(h.get('user-agent') ?? '', /^Beacon\//);
      assert.equal(h.get('x-scope-orgid'), 'tenant-1');
      assert.equal(h.get('authorization'), `Basic ${btoa('u:p')}`);
      const got = samplesOf(rx.got);
      assert.deepEqual([...got.keys()].sort(), [
        '__name__=m,replica=r1,s=0',
        '__name__=m,replica=r1,s=1',
      ]);
      assert.deepEqual(got.get('__name__=m,replica=r1,s=1'), [
        [1000, 0.1],
        [2000, 1.1],
        [3000, 2.1],
        [4000, 3.1],
        [5000, 4.1],
      ]);
      assert.deepEqual(got.get('__name__=m,replica=r1,s=0')!.at(-1), [10_000, -1]);
      for (const g of rx.got) {
        const n = g.req.timeseries.reduce((k, ts) => k + ts.samples.length, 0);
        assert.ok(n <= 10, `batch of ${n} > max_samples_per_send`);
      }
      const text = await registry.metrics();
      assert.match(
        text,
        /beacon_remote_storage_samples_total\{remote_name="test",url="[^"]+"\} 11/,
      );
      assert.match(
        text,
        /beacon_remote_storage_samples_dropped_total\{remote_name="test",url="[^"]+"\} 5/,
      );
      assert.match(text, /beacon_remote_storage_queue_highest_sent_timestamp_seconds\{[^}]*\} 10/);
      assert.match(text, /beacon_remote_storage_highest_timestamp_in_seconds 10/);
      assert.match(text, /beacon_remote_storage_shards\{[^}]*\} 1/);
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('retries 5xx and 429 (with Retry-After), drops other 4xx with a counted failure', async () => {
    const answers = [
      { code: 500 },
      { code: 503 },
      { code: 429, headers: { 'Retry-After': '0' } },
      { code: 204 },
      { code: 400 },
    ];
    const rx = await receiver(() => answers.shift() ?? { code: 204 });
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger, registry });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: ${rx.url}
    name: retry
    queue_config: { batch_send_deadline: 20ms, min_backoff: 5ms, max_backoff: 20ms, retry_on_http_429: true }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      await append(storage, 1000, 1, 2);
      await until(() => rx.got.length === 1);
      await append(storage, 2000, 1, 2); // answered 400: dropped
      await until(() => rx.attempts() === 5);
      await append(storage, 3000, 1, 2);
      await until(() => rx.got.length === 2);
      const text = await registry.metrics();
      assert.match(text, /samples_retried_total\{remote_name="retry",[^}]*\} 6/);
      assert.match(text, /samples_failed_total\{remote_name="retry",[^}]*\} 2/);
      assert.deepEqual(
        [...samplesOf(rx.got).values()].map((l) => l.map(([t]) => t)),
        [[1000, 3000], [1000, 3000]],
      );
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('429 without retry_on_http_429 is not retried', async () => {
    const rx = await receiver(() => ({ code: 429 }));
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger, registry });
    try {
      await sender.apply(config(rx.url));
      await append(storage, 1000, 1, 1);
      await eventually(async () =>
        /samples_failed_total\{[^}]*\} 1/.test(await registry.metrics())
      );
      assert.equal(rx.attempts(), 1);
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('Retry-After: seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  test('samples of one series arrive in order over several shards', async () => {
    const rx = await receiver();
    const storage = new MemoryStorage();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: ${rx.url}
    queue_config: { min_shards: 4, max_shards: 4, max_samples_per_send: 7, batch_send_deadline: 20ms }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      for (let i = 0; i < 20; i++) await append(storage, 1000 + i * 100_000, 3, 8);
      await until(() => {
        const got = samplesOf(rx.got);
        return got.size === 8 && [...got.values()].every((l) => l.length === 60);
      });
      const got = samplesOf(rx.got);
      assert.equal(got.size, 8);
      for (const list of got.values()) {
        const ts = list.map(([t]) => t);
        assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
      }
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('with the DuckDB log nothing is lost across a receiver outage and a storage restart', async () => {
    let up = false;
    const rx = await receiver(() => ({ code: up ? 204 : 503 }));
    const dir = tempDir();
    const cfg = config(rx.url);
    let storage = await DuckdbStorage.open({ path: `${dir.dir}/data` });
    let sender = new RemoteWriteManager({ storage, logger: nopLogger });
    try {
      await sender.apply(cfg);
      await append(storage, 1000, 20, 2);
      await until(() => rx.attempts() > 1);
      await sender.stop(100);
      await storage.close();
      // A new process: the cursor persisted in the data dir says where to resume.
      storage = await DuckdbStorage.open({ path: `${dir.dir}/data` });
      sender = new RemoteWriteManager({ storage, logger: nopLogger });
      await sender.apply(cfg);
      await append(storage, 21_000, 5, 2);
      up = true;
      await until(() =>
        [...samplesOf(rx.got).values()].every((l) => new Set(l.map(([t]) => t)).size === 25) &&
        samplesOf(rx.got).size === 2
      );
      for (const list of samplesOf(rx.got).values()) {
        const ts = [...new Set(list.map(([t]) => t))].sort((a, b) => a - b);
        assert.deepEqual(ts, Array.from({ length: 25 }, (_, i) => 1000 + i * 1000));
      }
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('metadata_config.send: scrape metadata goes out in metadata-only requests', async () => {
    const rx = await receiver();
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({
      storage,
      logger: nopLogger,
      registry,
      metadata: () => [
        { metricFamilyName: 'a_total', type: 'counter', help: 'A.', unit: '' },
        { metricFamilyName: 'b', type: 'gauge', help: 'B.', unit: 'seconds' },
        { metricFamilyName: 'c', type: 'summary', help: '', unit: '' },
      ],
    });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: ${rx.url}
    name: meta
    metadata_config: { send_interval: 30ms, max_samples_per_send: 2 }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      await until(() => rx.got.length >= 2);
      assert.deepEqual(rx.got[0].req.metadata, [
        { metricFamilyName: 'a_total', type: 'counter', help: 'A.', unit: '' },
        { metricFamilyName: 'b', type: 'gauge', help: 'B.', unit: 'seconds' },
      ]);
      assert.deepEqual(rx.got[1].req.metadata.map((m) => m.metricFamilyName), ['c']);
      assert.equal(rx.got[0].req.timeseries.length, 0);
      assert.match(await registry.metrics(), /beacon_remote_storage_metadata_total\{[^}]*\} [3-9]/);
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });

  test('oauth2 client credentials from the shared HTTP client authorize the writes', async () => {
    const got: string[] = [];
    const server = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (r) => {
        if (new URL(r.url).pathname === '/token') {
          await r.body?.cancel();
          return Response.json({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
        }
        got.push(r.headers.get('authorization') ?? '');
        await r.body?.cancel();
        return new Response(null, { status: 204 });
      },
    });
    const storage = new MemoryStorage();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: http://${server.address}/write
    oauth2: { client_id: id, client_secret: secret, token_url: 'http://${server.address}/token' }
    queue_config: { batch_send_deadline: 20ms }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      await append(storage, 1000, 1, 1);
      await until(() => got.length > 0);
      assert.equal(got[0], 'Bearer tok-1');
    } finally {
      await sender.stop(1000);
      await storage.close();
      await server.close();
    }
  });

  test('the shard count grows when sends are slow and the backlog builds', async () => {
    const rx = await receiver();
    const slow = async (r: Request) => {
      await new Promise((res) => setTimeout(res, 30));
      await r.body?.cancel();
      return new Response(null, { status: 204 });
    };
    const server = await host.serve({ hostname: '127.0.0.1', port: 0, fetch: slow });
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({
      storage,
      logger: nopLogger,
      registry,
      shardUpdateMs: 200,
    });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: http://${server.address}/write
    name: scale
    queue_config: { max_samples_per_send: 10, capacity: 100, max_shards: 8, batch_send_deadline: 20ms }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      // About 2,000 samples/s against one shard that sends 10 samples per 30 ms.
      for (let i = 0; i < 30; i++) {
        await append(storage, 1000 + i * 1000, 1, 60);
        await new Promise((r) => setTimeout(r, 30));
      }
      await eventually(async () => {
        const m = /beacon_remote_storage_shards\{remote_name="scale"[^}]*\} (\d+)/.exec(
          await registry.metrics(),
        );
        return m !== null && Number(m[1]) > 1;
      }, 10_000);
    } finally {
      await sender.stop(1000);
      await storage.close();
      await server.close();
      await rx.server.close();
    }
  });

  test('protobuf_message v2 sends remote write 2.0 that a 2.0 receiver stores, stale markers too', async () => {
    const target = new MemoryStorage();
    const handle = remoteWriteHandler({ storage: target, logger: nopLogger });
    const seen: string[] = [];
    const server = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (r) => {
        seen.push(
          `${r.headers.get('content-type')} ${r.headers.get('x-prometheus-remote-write-version')}`,
        );
        return handle(r);
      },
    });
    const storage = new MemoryStorage();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: http://${server.address}/api/v1/write
    protobuf_message: io.prometheus.write.v2.Request
    queue_config: { batch_send_deadline: 20ms }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      await append(storage, 1000, 3, 2);
      const app = storage.appender();
      app.appendStale(0, Labels.from({ __name__: 'm', s: '1' }), 9000);
      await app.commit();
      const select = async () => {
        const q = target.querier(0, 10_000);
        const set = await q.select([Matcher.create('=', '__name__', 'm')]);
        q.close();
        return set.series.map((s) => ({ labels: s.labels.toString(), cols: s.samples() }));
      };
      await eventually(async () => (await select()).reduce((n, s) => n + s.cols.t.length, 0) === 7);
      const got = await select();
      assert.deepEqual([...got[0].cols.v], [0, 1, 2]);
      assert.deepEqual([...got[1].cols.t], [1000, 2000, 3000, 9000]);
      assert.equal(got[1].cols.stale?.[3], 1);
      assert.equal(seen[0], 'application/x-protobuf;proto=io.prometheus.write.v2.Request 2.0.0');
    } finally {
      await sender.stop(1000);
      await storage.close();
      await server.close();
    }
  });

  test('queue_config.sample_age_limit drops samples older than the limit', async () => {
    const rx = await receiver();
    const storage = new MemoryStorage();
    const registry = new Registry();
    const sender = new RemoteWriteManager({ storage, logger: nopLogger, registry });
    try {
      await sender.apply(parseConfig(
        `remote_write:
  - url: ${rx.url}
    name: age
    queue_config: { batch_send_deadline: 20ms, sample_age_limit: 1h }
`,
        'p.yml',
        { baseDir: '/' },
      ));
      await append(storage, Date.now() - 2 * 3600_000, 1, 1);
      await append(storage, Date.now(), 1, 1);
      await until(() => rx.got.length > 0);
      assert.equal(samplesOf(rx.got).get('__name__=m,s=0')?.length, 1);
      assert.match(await registry.metrics(), /samples_dropped_total\{remote_name="age"[^}]*\} 1/);
    } finally {
      await sender.stop(1000);
      await storage.close();
      await rx.server.close();
    }
  });
});
