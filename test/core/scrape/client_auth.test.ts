import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { parseConfig } from '../../../core/config/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { scrapeApi, ScrapeManager } from '../../../core/scrape/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { staticMechanism } from '../../../plugins/discovery/static/mod.ts';
import { httpMechanism } from '../../../plugins/discovery/http/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';
import { hasOpenssl, makeCerts, serveTls } from '../../helpers/certs.ts';
import { quiet, read } from './fixtures.ts';

const BODY = '# TYPE ok_metric gauge\nok_metric 1\n';

async function until(what: string, fn: () => Promise<boolean> | boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function manager(storage: MemoryStorage, registry?: Registry) {
  return new ScrapeManager({
    storage,
    logger: quiet,
    host,
    registry,
    mechanisms: [staticMechanism, httpMechanism],
    discoveryUpdateIntervalMs: 50,
    startImmediately: true,
  });
}

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** The `up` value of each job once every job has scraped at least once. */
async function upByJob(storage: MemoryStorage, jobs: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await until(`up for ${jobs.join(',')}`, async () => {
    for (const s of await read(storage, 'up')) {
      const last = s.samples[s.samples.length - 1];
      if (typeof last?.[1] === 'number') out[s.labels.job] = last[1];
    }
    return jobs.every((j) => j in out);
  });
  return out;
}

const noTls = !hasOpenssl() && process.env.CI !== 'true';

describe('scrape client settings', () => {
  test('tls_config: a trusted CA scrapes over HTTPS; without it the target is down', {
    skip: noTls ? 'openssl is not installed' : false,
  }, async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    const s = serveTls(
      { cert: certs.pem('server.crt'), key: certs.pem('server.key') },
      () => new Response(BODY, { headers: { 'content-type': 'text/plain; version=0.0.4' } }),
    );
    const storage = new MemoryStorage();
    const m = manager(storage);
    try {
      await m.applyConfig(parseConfig(
        `
scrape_configs:
  - job_name: trusted
    scheme: https
    scrape_interval: 1h
    tls_config: { ca_file: ${certs.file('ca.crt')} }
    static_configs: [{ targets: ['localhost:${s.port}'] }]
  - job_name: untrusted
    scheme: https
    scrape_interval: 1h
    static_configs: [{ targets: ['localhost:${s.port}'] }]
`,
        '/tmp/prometheus.yml',
      ));
      assert.deepEqual(await upByJob(storage, ['trusted', 'untrusted']), {
        trusted: 1,
        untrusted: 0,
      });
      const bad = m.targetsActive().get('untrusted')![0];
      assert.match(bad.lastError, /^Get "https:\/\/localhost:\d+\/metrics": /);
    } finally {
      await m.stop();
      await s.close();
      tmp.remove();
    }
  });

  test('oauth2: the target gets the token from the token endpoint', async () => {
    let tokens = 0;
    const srv = await serve((req, res) => {
      if (req.url === '/token') {
        tokens++;
        res.setHeader('content-type', 'application/json');
        res.end('{"access_token":"abc","token_type":"Bearer","expires_in":3600}');
      } else if (req.headers.authorization === 'Bearer abc') {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end(BODY);
      } else {
        res.statusCode = 401;
        res.end();
      }
    });
    const storage = new MemoryStorage();
    const m = manager(storage);
    try {
      await m.applyConfig(parseConfig(
        `
scrape_configs:
  - job_name: oauth
    scrape_interval: 1h
    oauth2: { client_id: c, client_secret: s, token_url: 'http://${srv.address}/token' }
    static_configs: [{ targets: ['${srv.address}'] }]
`,
        '/tmp/prometheus.yml',
      ));
      assert.deepEqual(await upByJob(storage, ['oauth']), { oauth: 1 });
      assert.equal(tokens, 1);
    } finally {
      await m.stop();
      await srv.close();
    }
  });

  test('http_sd targets are scraped; unsupported SD mechanisms are reported', async () => {
    const target = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(BODY);
    });
    const sd = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ targets: [target.address], labels: { from: 'http' } }]));
    });
    const storage = new MemoryStorage();
    const registry = new Registry();
    const m = manager(storage, registry);
    try {
      await m.applyConfig(parseConfig(
        `
scrape_configs:
  - job_name: via_http
    scrape_interval: 1h
    http_sd_configs: [{ url: 'http://${sd.address}/sd' }]
  - job_name: consul
    consul_sd_configs: [{ server: 'localhost:8500' }, { server: 'localhost:8501' }]
`,
        '/tmp/prometheus.yml',
      ));
      assert.deepEqual(await upByJob(storage, ['via_http']), { via_http: 1 });
      const t = m.targetsActive().get('via_http')![0];
      assert.equal(t.discoveredLabels.get('__meta_url'), `http://${sd.address}/sd`);
      assert.equal(t.publicLabels().get('from'), 'http');
      assert.deepEqual(m.targetsActive().get('consul'), []);
      const app = new Hono();
      scrapeApi(m)(app);
      const body = await (await app.request('/targets')).json() as { warnings?: string[] };
      assert.deepEqual(body.warnings, [
        'scrape pool "consul": consul_sd_configs is not supported by Beacon; no targets are discovered from it',
      ]);
      const filtered = await (await app.request('/targets?scrapePool=via_http')).json() as {
        warnings?: string[];
      };
      assert.equal(filtered.warnings, undefined);
      assert.match(
        await registry.metrics(),
        /beacon_sd_unsupported_configs\{scrape_job="consul",mechanism="consul_sd_configs"\} 2/,
      );
    } finally {
      await m.stop();
      await sd.close();
      await target.close();
    }
  });
});
