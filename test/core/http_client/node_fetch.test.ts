import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeCreateFetch } from '../../../adapters/shared/node_fetch.ts';
import { tempDir } from '../../helpers/host.ts';
import { hasOpenssl, makeCerts, serveTls } from '../../helpers/certs.ts';

// The node: transport (Node.js's, and Deno's and Bun's for settings their fetch lacks).

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

describe('Node.js transport (node:http/https)', () => {
  test('plain HTTP through a proxy, redirects followed or handed back, POST bodies', async () => {
    const target = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/new' });
        res.end();
        return;
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
    });
    const seen: string[] = [];
    const proxy = await serve((req, res) => {
      seen.push(String(req.url));
      const u = new URL(String(req.url));
      const up = http.request(
        { hostname: u.hostname, port: u.port, path: u.pathname, method: req.method },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    const t = nodeCreateFetch({ proxyUrl: proxy.url }, () => {});
    try {
      assert.equal(await (await t.fetch(`${target.url}/new`)).text(), 'GET /new ');
      assert.equal(await (await t.fetch(`${target.url}/old`)).text(), 'GET /new ');
      const manual = await t.fetch(`${target.url}/old`, { redirect: 'manual' });
      await manual.body?.cancel();
      assert.equal(manual.status, 302);
      const post = await t.fetch(`${target.url}/p`, { method: 'POST', body: 'x=1' });
      assert.equal(await post.text(), 'POST /p x=1');
      assert.deepEqual(seen, [
        `${target.url}/new`,
        `${target.url}/old`,
        `${target.url}/new`,
        `${target.url}/old`,
        `${target.url}/p`,
      ]);
    } finally {
      t.close();
      await proxy.close();
      await target.close();
    }
  });

  const noTls = !hasOpenssl() && process.env.CI !== 'true';
  test('TLS: CA, server name, skip-verify', { skip: noTls ? 'no openssl' : false }, async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    const s = serveTls(
      { cert: certs.pem('other.crt'), key: certs.pem('other.key') },
      () => new Response('tls'),
    );
    try {
      const url = `https://127.0.0.1:${s.port}/`;
      const strict = nodeCreateFetch({ ca: certs.pem('ca.crt') }, () => {});
      await assert.rejects(strict.fetch(url));
      const named = nodeCreateFetch(
        { ca: certs.pem('ca.crt'), serverName: 'other.example' },
        () => {},
      );
      assert.equal(await (await named.fetch(url)).text(), 'tls');
      const insecure = nodeCreateFetch({ insecureSkipVerify: true }, () => {});
      assert.equal(await (await insecure.fetch(url)).text(), 'tls');
      for (const f of [strict, named, insecure]) f.close();
    } finally {
      await s.close();
      tmp.remove();
    }
  });
});
