// The Node.js adapter's fetch bridge, run on the test runtime's own `node:http` (Deno and Bun
// implement it), and its TLS option mapping. test/runtime/node.test.ts runs it on real Node.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serveNode } from '../../../adapters/node/serve.ts';
import { nodeServeTls, subjectAltNames } from '../../../adapters/node/tls.ts';
import { Secret } from '../../../core/config/mod.ts';
import type { ServerTls } from '../../../core/web_config/mod.ts';

describe('serveNode (fetch over node:http)', () => {
  test('streams request and response bodies, keeps headers and set-cookie apart', async () => {
    const server = await serveNode({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (req) => {
        const body = new Uint8Array(await req.arrayBuffer());
        let sum = 0;
        for (const b of body) sum += b;
        const headers = new Headers({ 'x-method': req.method, 'x-url': req.url });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        headers.set('x-type', req.headers.get('content-type') ?? '');
        // A body made of several chunks, produced as they are read.
        let n = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(ctrl) {
            if (n++ < 3) ctrl.enqueue(new TextEncoder().encode(`${body.length}:${sum};`));
            else ctrl.close();
          },
        });
        return new Response(stream, { status: 201, headers });
      },
    });
    try {
      assert.match(server.address, /^127\.0\.0\.1:\d+$/);
      const payload = new Uint8Array(300_000).map((_, i) => i % 7);
      const expectedSum = payload.reduce((a, b) => a + b, 0);
      const res = await fetch(`http://${server.address}/p/a?q=1`, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/x-protobuf' },
      });
      assert.equal(res.status, 201);
      assert.equal(await res.text(), `300000:${expectedSum};`.repeat(3));
      assert.equal(res.headers.get('x-method'), 'POST');
      assert.equal(res.headers.get('x-url'), `http://${server.address}/p/a?q=1`);
      assert.equal(res.headers.get('x-type'), 'application/x-protobuf');
      assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
    } finally {
      await server.close();
    }
  });

  test('HEAD sends no body; a throwing handler gets a 500', async () => {
    const server = await serveNode({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) => {
        if (req.url.endsWith('/boom')) throw new Error('secret detail');
        return new Response('hello', { headers: { 'content-type': 'text/plain' } });
      },
    });
    try {
      const head = await fetch(`http://${server.address}/`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      const boom = await fetch(`http://${server.address}/boom`);
      assert.equal(boom.status, 500);
      assert.ok(!(await boom.text()).includes('secret detail'));
    } finally {
      await server.close();
    }
  });

  test('a client that goes away aborts the request signal and cancels the body', async () => {
    let aborted!: () => void;
    const abortSeen = new Promise<void>((r) => (aborted = r));
    let cancelled!: () => void;
    const cancelSeen = new Promise<void>((r) => (cancelled = r));
    const server = await serveNode({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) => {
        req.signal.addEventListener('abort', () => aborted());
        const stream = new ReadableStream<Uint8Array>({
          start(ctrl) {
            ctrl.enqueue(new TextEncoder().encode('first'));
          },
          cancel() {
            cancelled();
          },
        });
        return new Response(stream);
      },
    });
    try {
      const ctrl = new AbortController();
      const res = await fetch(`http://${server.address}/`, { signal: ctrl.signal });
      const reader = res.body!.getReader();
      assert.equal(new TextDecoder().decode((await reader.read()).value), 'first');
      ctrl.abort();
      await reader.cancel().catch(() => {});
      await Promise.all([abortSeen, cancelSeen]);
    } finally {
      await server.close();
    }
  });

  test('binding a port in use is an error; close() ends idle keep-alive connections', async () => {
    const server = await serveNode({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => new Response('ok'),
    });
    const port = Number(server.address.split(':')[1]);
    await assert.rejects(
      serveNode({ hostname: '127.0.0.1', port, fetch: () => new Response('x') }),
    );
    // A keep-alive connection is left open by fetch's pool; close must still resolve.
    assert.equal(await (await fetch(`http://${server.address}/`)).text(), 'ok');
    await server.close();
    await assert.rejects(fetch(`http://${server.address}/`));
  });
});

describe('nodeServeTls', () => {
  const base: ServerTls = {
    cert: 'CERT',
    key: new Secret('KEY'),
    clientAuth: 'NoClientCert',
    minVersion: 'TLS12',
    maxVersion: 'TLS13',
    cipherSuites: [],
    curvePreferences: [],
    preferServerCipherSuites: true,
    http2: false,
  };

  test('maps versions, suites, curves and client certificate policies', () => {
    const warnings: string[] = [];
    const { options } = nodeServeTls({
      ...base,
      clientAuth: 'VerifyClientCertIfGiven',
      clientCa: 'CA',
      minVersion: 'TLS11',
      maxVersion: 'TLS12',
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
      curvePreferences: ['X25519', 'CurveP256'],
      preferServerCipherSuites: false,
      http2: true,
    }, (m) => void warnings.push(m));
    assert.equal(options.key, 'KEY');
    assert.equal(options.ca, 'CA');
    assert.equal(options.minVersion, 'TLSv1.1');
    assert.equal(options.maxVersion, 'TLSv1.2');
    assert.equal(options.requestCert, true);
    // Verification when given is checked after the handshake, not by OpenSSL.
    assert.equal(options.rejectUnauthorized, false);
    assert.match(options.ciphers ?? '', /:ECDHE-RSA-AES128-GCM-SHA256$/);
    assert.equal(options.ecdhCurve, 'X25519:P-256');
    assert.equal(options.honorCipherOrder, false);
    assert.deepEqual(warnings, ['http2 is not applied: the Node.js listener speaks HTTP/1.1 only']);

    const strict = nodeServeTls({ ...base, clientAuth: 'RequireAndVerifyClientCert' }, () => {});
    assert.equal(strict.options.rejectUnauthorized, true);
    const none = nodeServeTls(base, () => {});
    assert.equal(none.options.requestCert, false);
    assert.equal(none.options.ciphers, undefined);
  });

  test('reads subject alternative names as OpenSSL prints them', () => {
    assert.deepEqual(
      subjectAltNames('DNS:client.example, IP Address:10.0.0.1, email:a@b.c, URI:spiffe://x/y'),
      ['client.example', '10.0.0.1', 'a@b.c', 'spiffe://x/y'],
    );
    assert.deepEqual(subjectAltNames('DNS:"a, b", DNS:c'), ['a, b', 'c']);
    assert.deepEqual(subjectAltNames(''), []);
  });
});
