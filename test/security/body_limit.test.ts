import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { bodyLimit, defaultBodyLimit } from '../../core/api/mod.ts';
import { Registry } from '../../core/metrics/mod.ts';
import { PluginRegistry } from '../../core/plugin.ts';
import { Runtime, type RuntimeOptions } from '../../core/runtime/mod.ts';
import { createImporter } from '../../adapters/shared/importer.ts';
import {
  BUILTIN_DISCOVERY,
  BUILTIN_PLUGINS,
  parsePromQL,
  parseSeriesSelector,
} from '../../plugins/mod.ts';
import { host, nativeNpm, recordingLogger, tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

/** An app whose POST /echo answers the body length its handler read. */
function echoApp(limit: Parameters<typeof bodyLimit>[0]) {
  const app = new Hono();
  app.use('*', bodyLimit(limit));
  app.post('/echo', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
  app.post(
    '/form',
    async (c) => c.text(new URLSearchParams(await c.req.text()).get('query') ?? ''),
  );
  app.get('/echo', (c) => c.text('get'));
  return app;
}

function stream(chunks: Uint8Array[], hang = false): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(ctl) {
      if (i < chunks.length) ctl.enqueue(chunks[i++]);
      else if (!hang) ctl.close();
      else return new Promise(() => {}); // a client that stops sending mid-body
    },
  });
}

async function envelopeOf(res: Response) {
  const body = await res.json();
  assert.equal(body.status, 'error');
  assert.equal(body.errorType, 'bad_data');
  return body.error as string;
}

describe('bodyLimit', () => {
  test('a declared Content-Length over the limit gets 413 in the error envelope', async () => {
    const registry = new Registry();
    const app = echoApp({ maxBytes: 100, registry });
    const res = await app.request('/echo', {
      method: 'POST',
      body: new Uint8Array(101),
      headers: { 'content-length': '101' },
    });
    assert.equal(res.status, 413);
    assert.match(await envelopeOf(res), /request body too large: limit is 100 bytes/);
    assert.match(
      await registry.metrics(),
      /beacon_http_request_body_rejected_total\{reason="too_large"\} 1/,
    );
  });

  test('a chunked body that grows past the limit gets 413 without being read whole', async () => {
    const app = echoApp({ maxBytes: 1000 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(ctl) {
        pulled++;
        ctl.enqueue(new Uint8Array(300));
      },
    });
    const res = await app.request(
      '/echo',
      { method: 'POST', body: endless, duplex: 'half' } as RequestInit,
    );
    assert.equal(res.status, 413);
    await envelopeOf(res);
    assert.ok(pulled < 10, `pulled ${pulled} chunks`);
  });

  test('a body that is not sent within the read timeout gets 408', async () => {
    const registry = new Registry();
    const app = echoApp({ readTimeoutMs: 50, registry });
    const res = await app.request('/echo', {
      method: 'POST',
      body: stream([new TextEncoder().encode('query=up')], true),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 408);
    assert.match(await envelopeOf(res), /timed out reading the request body/);
    assert.match(
      await registry.metrics(),
      /beacon_http_request_body_rejected_total\{reason="timeout"\} 1/,
    );
  });

  test('bodies within the limit reach the handler intact, streamed or not', async () => {
    const app = echoApp({ maxBytes: 1000 });
    const a = await app.request('/echo', { method: 'POST', body: new Uint8Array(1000) });
    assert.equal(await a.text(), '1000');
    const b = await app.request('/echo', {
      method: 'POST',
      body: stream([new Uint8Array(400), new Uint8Array(600)]),
      duplex: 'half',
    } as RequestInit);
    assert.equal(await b.text(), '1000');
    const form = await app.request('/form', {
      method: 'POST',
      body: 'query=sum(up)',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(await form.text(), 'sum(up)');
    assert.equal(await (await app.request('/echo')).text(), 'get');
  });

  test('the default limits: 10 MiB, 32 MiB for remote write, route prefix included', () => {
    assert.equal(defaultBodyLimit('/api/v1/query'), 10 * 1024 * 1024);
    assert.equal(defaultBodyLimit('/api/v2/silences'), 10 * 1024 * 1024);
    assert.equal(defaultBodyLimit('/api/v1/write'), 32 * 1024 * 1024);
    assert.equal(defaultBodyLimit('/beacon/api/v1/write'), 32 * 1024 * 1024);
  });

  test('a running Beacon applies them to every POST endpoint, mounts and lifecycle included', async () => {
    const { logger } = recordingLogger();
    const opts: RuntimeOptions = {
      host,
      logger,
      plugins: new PluginRegistry(createImporter(nativeNpm), BUILTIN_PLUGINS),
      configFile: tmp.write('beacon.yml', 'storage:\n  engine: memory\n'),
      flags: { 'storage.tsdb.path': tmp.dir },
      routePrefix: '',
      enableLifecycle: true,
      enableAdminApi: true,
      enableRemoteWriteReceiver: true,
      discoveryMechanisms: BUILTIN_DISCOVERY,
      parseMatchers: parseSeriesSelector,
      parseExpr: parsePromQL,
    };
    const rt = await Runtime.create(opts);
    await rt.start();
    try {
      const big = new Uint8Array(10 * 1024 * 1024 + 1);
      const paths = [
        '/api/v1/query',
        '/api/v1/query_range',
        '/api/v1/series',
        '/api/v1/labels',
        '/api/v1/label/job/values',
        '/api/v1/admin/tsdb/delete_series',
        '/api/v1/admin/tsdb/snapshot',
        '/api/v2/alerts',
        '/api/v2/silences',
        '/-/reload',
        '/-/quit',
      ];
      for (const path of paths) {
        const res = await rt.app.request(path, {
          method: 'POST',
          body: big,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(res.status, 413, path);
        assert.match(await envelopeOf(res), /too large/);
      }
      // Remote write has its own 32 MiB ceiling: 10 MiB + 1 passes the middleware.
      const write = await rt.app.request('/api/v1/write', { method: 'POST', body: big });
      assert.equal(write.status, 400);
      const huge = await rt.app.request('/api/v1/write', {
        method: 'POST',
        body: new Uint8Array(32 * 1024 * 1024 + 1),
      });
      assert.equal(huge.status, 413);
      // A snappy bomb: a 40-byte body whose header claims 100 MiB is refused before allocating.
      const bomb = new Uint8Array(40);
      bomb.set([0x80, 0x80, 0x80, 0x32]);
      const bombed = await rt.app.request('/api/v1/write', { method: 'POST', body: bomb });
      assert.equal(bombed.status, 400);
      assert.match(await bombed.text(), /exceeds the limit/);
      // A small query still works.

      const ok = await rt.app.request('/api/v1/query', {
        method: 'POST',
        body: 'query=1%2B1&time=0',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(ok.status, 200);
    } finally {
      await rt.stop();
    }
  });
});
