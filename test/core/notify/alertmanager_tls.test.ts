/**
 * The Alertmanager client through the shared HTTP client: an HTTPS Alertmanager trusted by
 * `tls_config.ca_file`, and an OAuth2 client-credentials token on every request.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../core/config/mod.ts';
import { AlertmanagerClient, newAlert } from '../../../core/notify/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { hostHttpDeps } from '../../../core/http_client/mod.ts';
import { hasOpenssl, makeCerts, serveTls } from '../../helpers/certs.ts';
import { host, tempDir } from '../../helpers/host.ts';

const alert = newAlert({ labels: { alertname: 'A' }, startsAt: Date.UTC(2026, 0, 1) });

describe('Alertmanager client over TLS with OAuth2', () => {
  test('trusts the configured CA and sends the OAuth2 token', { skip: !hasOpenssl() }, async () => {
    const tmp = tempDir();
    const certs = makeCerts(tmp.dir);
    const posts: { path: string; auth: string | null; body: unknown }[] = [];
    const server = serveTls(
      { cert: certs.pem('server.crt'), key: certs.pem('server.key') },
      async (req) => {
        const url = new URL(req.url);
        if (url.pathname === '/token') {
          const form = new URLSearchParams(await req.text());
          assert.equal(form.get('grant_type'), 'client_credentials');
          return Response.json({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
        }
        posts.push({
          path: url.pathname,
          auth: req.headers.get('authorization'),
          body: await req.json(),
        });
        return new Response(null, { status: 200 });
      },
    );
    const registry = new Registry();
    const warnings: string[] = [];
    const client = new AlertmanagerClient({
      registry,
      readFile: (p) => host.readTextFile(p),
      http: hostHttpDeps(host, (m) => warnings.push(m)),
    });
    try {
      const cfg = (tls: string) =>
        parseConfig(
          `
alerting:
  alertmanagers:
    - scheme: https
      ${tls}
      oauth2:
        client_id: beacon
        client_secret: s3cret
        token_url: https://localhost:${server.port}/token
        tls_config: { ca_file: ${certs.file('ca.crt')} }
      static_configs: [{ targets: ['localhost:${server.port}'] }]
`,
          '/tmp/prometheus.yml',
        ).alerting;
      client.applyConfig({ alerting: cfg(`tls_config: { ca_file: ${certs.file('ca.crt')} }`) });
      client.send([alert]);
      await client.idle();
      assert.equal(posts.length, 1, JSON.stringify(warnings));
      assert.equal(posts[0].path, '/api/v2/alerts');
      assert.equal(posts[0].auth, 'Bearer tok-1');

      // Without the CA the server's certificate is refused and the batch counts as an error.
      client.applyConfig({ alerting: cfg('') });
      client.send([alert]);
      await client.idle();
      assert.equal(posts.length, 1);
      assert.match(await registry.metrics(), /beacon_notifications_errors_total\{[^}]*\} 1/);
    } finally {
      await client.stop();
      await server.close();
      tmp.remove();
    }
  });
});
