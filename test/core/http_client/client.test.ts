import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { httpClientSchema } from '../../../core/config/mod.ts';
import { Secret } from '../../../core/config/mod.ts';
import { createHttpClient, OAuth2TokenSource } from '../../../core/http_client/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';
import { hasOpenssl, makeCerts, serveTls } from '../../helpers/certs.ts';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** A validated HTTP client block from a plain object (as the config loader gives it). */
function cfg(raw: Record<string, unknown>) {
  return v.parse(httpClientSchema, raw);
}

const deps = {
  readFile: (p: string) => host.readTextFile(p),
  createFetch: host.createFetch?.bind(host),
};

describe('HTTP client factory', () => {
  test('basic auth, authorization and http_headers reach the server; files are re-read', async () => {
    const seen: (string | undefined)[] = [];
    const s = await serve((req, _b, res) => {
      seen.push(`${req.headers.authorization}|${req.headers['x-team']}`);
      res.end('ok');
    });
    const tmp = tempDir();
    try {
      const tok = tmp.write('token', 'one\n');
      const c = createHttpClient(
        cfg({
          authorization: { credentials_file: tok },
          http_headers: { 'X-Team': { values: ['blue'] } },
        }),
        deps,
      );
      await (await c.fetch(s.url)).text();
      tmp.write('token', 'two');
      await (await c.fetch(s.url)).text();
      const b = createHttpClient(cfg({ basic_auth: { username: 'u', password: 'p' } }), deps);
      await (await b.fetch(s.url)).text();
      assert.deepEqual(seen, [
        'Bearer one|blue',
        'Bearer two|blue',
        `Basic ${btoa('u:p')}|undefined`,
      ]);
    } finally {
      tmp.remove();
      await s.close();
    }
  });

  test('follow_redirects: false hands back the redirect', async () => {
    const s = await serve((req, _b, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/new' });
        res.end();
      } else res.end('new');
    });
    try {
      const follow = createHttpClient(cfg({}), deps);
      assert.equal(await (await follow.fetch(`${s.url}/old`)).text(), 'new');
      const stay = createHttpClient(cfg({ follow_redirects: false }), deps);
      const r = await stay.fetch(`${s.url}/old`);
      await r.body?.cancel();
      assert.equal(r.status, 302);
    } finally {
      await s.close();
    }
  });

  test('OAuth2 client credentials: token requested once, sent as bearer, params and scopes', async () => {
    const tokenRequests: { auth?: string; body: URLSearchParams }[] = [];
    const s = await serve((req, body, res) => {
      if (req.url === '/token') {
        tokenRequests.push({ auth: req.headers.authorization, body: new URLSearchParams(body) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      res.end(String(req.headers.authorization));
    });
    try {
      const c = createHttpClient(
        cfg({
          oauth2: {
            client_id: 'id',
            client_secret: 'sec ret',
            token_url: `${s.url}/token`,
            scopes: ['a', 'b'],
            endpoint_params: { audience: 'beacon' },
          },
        }),
        deps,
      );
      assert.equal(await (await c.fetch(`${s.url}/x`)).text(), 'Bearer tok-1');
      assert.equal(await (await c.fetch(`${s.url}/x`)).text(), 'Bearer tok-1');
      assert.equal(tokenRequests.length, 1);
      const t = tokenRequests[0];
      assert.equal(t.auth, `Basic ${btoa('id:sec%20ret')}`);
      assert.equal(t.body.get('grant_type'), 'client_credentials');
      assert.equal(t.body.get('scope'), 'a b');
      assert.equal(t.body.get('audience'), 'beacon');
    } finally {
      await s.close();
    }
  });

  test('OAuth2 token is fetched again near expiry; credentials go in the body if basic fails', async () => {
    let n = 0;
    const bodies: URLSearchParams[] = [];
    const s = await serve((req, body, res) => {
      const form = new URLSearchParams(body);
      bodies.push(form);
      if (req.headers.authorization) {
        res.statusCode = 401;
        res.end('{"error":"invalid_client"}');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `t${++n}`, expires_in: 60 }));
    });
    try {
      let now = 1_000_000;
      const src = new OAuth2TokenSource(
        {
          client_id: 'id',
          client_secret: new Secret('pw'),
          token_url: `${s.url}/token`,
          proxy_from_environment: false,
        } as never,
        globalThis.fetch.bind(globalThis),
        undefined,
        () => now,
      );
      assert.equal(await src.authorization(), 'Bearer t1');
      now += 45_000;
      assert.equal(await src.authorization(), 'Bearer t1');
      now += 6_000; // 9 s left: inside the 10 s refresh margin
      assert.equal(await src.authorization(), 'Bearer t2');
      const last = bodies[bodies.length - 1];
      assert.equal(last.get('client_id'), 'id');
      assert.equal(last.get('client_secret'), 'pw');
    } finally {
      await s.close();
    }
  });

  test('OAuth2 failure is the request error', async () => {
    const s = await serve((_req, _b, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    try {
      const c = createHttpClient(
        cfg({ oauth2: { client_id: 'id', token_url: `${s.url}/token` } }),
        deps,
      );
      await assert.rejects(c.fetch(`${s.url}/x`), /oauth2: cannot fetch token: 500/);
    } finally {
      await s.close();
    }
  });

  test('proxy_url: plain-HTTP requests go through the proxy', async () => {
    const target = await serve((_req, _b, res) => res.end('from target'));
    const proxied: string[] = [];
    // A forward proxy: requests arrive in absolute form and are relayed.
    const proxy = await serve((req, _b, res) => {
      proxied.push(String(req.url));
      fetch(String(req.url)).then(async (r) => {
        res.statusCode = r.status;
        res.end(await r.text());
      }, () => {
        res.statusCode = 502;
        res.end();
      });
    });
    try {
      const warnings: string[] = [];
      const c = createHttpClient(cfg({ proxy_url: proxy.url }), {
        ...deps,
        onWarning: (m) => warnings.push(m),
      });
      const r = await c.fetch(`${target.url}/metrics`);
      assert.equal(await r.text(), 'from target');
      assert.deepEqual(proxied, [`${target.url}/metrics`]);
      assert.deepEqual(warnings, []);
      c.close();
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});

const noTls = !hasOpenssl() && process.env.CI !== 'true';
if (noTls) console.log('skipping the HTTPS client tests: openssl is not installed');

describe('HTTP client TLS', { skip: noTls }, () => {
  test('ca_file trusts the server; without it the request fails', async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    const s = serveTls(
      { cert: certs.pem('server.crt'), key: certs.pem('server.key') },
      () => new Response('secure'),
    );
    try {
      const url = `https://localhost:${s.port}/`;
      const good = createHttpClient(cfg({ tls_config: { ca_file: certs.file('ca.crt') } }), deps);
      assert.equal(await (await good.fetch(url)).text(), 'secure');
      good.close();
      await assert.rejects(createHttpClient(cfg({}), deps).fetch(url));
      const missing = createHttpClient(
        cfg({ tls_config: { ca_file: '/nonexistent/ca.crt' } }),
        deps,
      );
      await assert.rejects(missing.fetch(url), /unable to load specified CA cert \/nonexistent/);
    } finally {
      await s.close();
      tmp.remove();
    }
  });

  test('insecure_skip_verify and server_name', async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    const s = serveTls(
      { cert: certs.pem('other.crt'), key: certs.pem('other.key') },
      () => new Response('other'),
    );
    try {
      const url = `https://127.0.0.1:${s.port}/`;
      const warnings: string[] = [];
      const warnDeps = { ...deps, onWarning: (m: string) => warnings.push(m) };
      const insecure = createHttpClient(
        cfg({ tls_config: { insecure_skip_verify: true } }),
        warnDeps,
      );
      const named = createHttpClient(
        cfg({ tls_config: { ca_file: certs.file('ca.crt'), server_name: 'other.example' } }),
        warnDeps,
      );
      const strict = createHttpClient(cfg({ tls_config: { ca_file: certs.file('ca.crt') } }), deps);
      const wrongName = createHttpClient(
        cfg({ tls_config: { ca_file: certs.file('ca.crt'), server_name: 'localhost' } }),
        deps,
      );
      await assert.rejects(strict.fetch(url));
      await assert.rejects(wrongName.fetch(url));
      assert.equal(await (await insecure.fetch(url)).text(), 'other');
      assert.equal(await (await named.fetch(url)).text(), 'other');
      assert.deepEqual(warnings, []);
      for (const c of [insecure, named, strict, wrongName]) c.close();
    } finally {
      await s.close();
      tmp.remove();
    }
  });

  test('min_version and max_version bound the negotiated TLS version', async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    // A server that speaks TLS 1.2 at most.
    const server = https.createServer(
      { cert: certs.pem('server.crt'), key: certs.pem('server.key'), maxVersion: 'TLSv1.2' },
      (_req, res) => res.end('tls12'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
      const tls = (extra: Record<string, unknown>) =>
        createHttpClient(cfg({ tls_config: { ca_file: certs.file('ca.crt'), ...extra } }), deps);
      const ok = tls({ min_version: 'TLS12' });
      assert.equal(await (await ok.fetch(url)).text(), 'tls12');
      const tooNew = tls({ min_version: 'TLS13' });
      await assert.rejects(tooNew.fetch(url));
      for (const c of [ok, tooNew]) c.close();
    } finally {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      tmp.remove();
    }
  });

  test('client certificate (cert_file, key_file) is presented', async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    // node:https verifies client certificates on both runtimes (Deno.serve cannot).
    const server = https.createServer({
      cert: certs.pem('server.crt'),
      key: certs.pem('server.key'),
      ca: certs.pem('ca.crt'),
      requestCert: true,
      rejectUnauthorized: true,
    }, (_req, res) => res.end('mutual'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
      const withCert = createHttpClient(
        cfg({
          tls_config: {
            ca_file: certs.file('ca.crt'),
            cert_file: certs.file('client.crt'),
            key_file: certs.file('client.key'),
          },
        }),
        deps,
      );
      assert.equal(await (await withCert.fetch(url)).text(), 'mutual');
      const without = createHttpClient(
        cfg({ tls_config: { ca_file: certs.file('ca.crt') } }),
        deps,
      );
      await assert.rejects(async () => {
        const r = await without.fetch(url);
        await r.text();
      });
      for (const c of [withCert, without]) c.close();
    } finally {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      tmp.remove();
    }
  });
});
