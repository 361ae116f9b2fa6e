/**
 * Secrets stay secret: a full Beacon runs with a config full of credentials (inline and
 * `*_file`), scrapes targets that fail, fires an alert at notifiers that fail, and answers
 * every read endpoint; no log line and no response body may contain any of the secrets.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import process from 'node:process';
import { freePort, startBeacon } from '../helpers/process.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

const SECRETS = {
  scrapePass: 'S3cr-scrape-pass-7d1f',
  scrapeBearer: 'S3cr-scrape-bearer-91ab',
  scrapePassFile: 'S3cr-scrape-passfile-3c2e',
  scrapeTokenFile: 'S3cr-scrape-tokenfile-55aa',
  proxyPass: 'S3crProxyPass0f0f',
  rwPass: 'S3cr-rw-pass-a1b2',
  rwBearer: 'S3cr-rw-bearer-c3d4',
  amPass: 'S3cr-am-pass-e5f6',
  amTokenFile: 'S3cr-am-tokenfile-0718',
  webhookToken: 'S3crWebhookToken2930',
  slackPath: 'S3crSlackPathT0B0XX',
  pdKey: 'S3crPagerDutyKey4a4b',
  pdKeyFile: 'S3crPagerDutyKeyFile6c6d',
};

describe('secrets', () => {
  test('no secret of the config appears in any log line or response', async () => {
    // A target that demands auth and refuses everyone, and a port where nothing listens.
    const target = http.createServer((_req, res) => {
      res.statusCode = 401;
      res.end('no');
    });
    const targetPort = await freePort();
    await new Promise<void>((r) => target.listen(targetPort, '127.0.0.1', r));
    const closed = await freePort();
    const t = `127.0.0.1:${targetPort}`;
    const dead = `127.0.0.1:${closed}`;
    const file = (name: string, text: string) => tmp.write(name, text + '\n');
    const rules = file(
      'rules.yml',
      'groups:\n  - name: g\n    interval: 1s\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n        labels: { severity: page }\n',
    );
    const config = file(
      'beacon.yml',
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['${rules}']
scrape_configs:
  - job_name: basic
    basic_auth: { username: u, password: ${SECRETS.scrapePass} }
    static_configs: [{ targets: ['${t}'] }]
  - job_name: bearer
    authorization: { credentials: ${SECRETS.scrapeBearer} }
    static_configs: [{ targets: ['${t}'] }]
  - job_name: passfile
    basic_auth: { username: u, password_file: ${file('pw', SECRETS.scrapePassFile)} }
    static_configs: [{ targets: ['${dead}'] }]
  - job_name: tokenfile
    authorization: { credentials_file: ${file('tok', SECRETS.scrapeTokenFile)} }
    static_configs: [{ targets: ['${dead}'] }]
  - job_name: proxied
    proxy_url: http://user:${SECRETS.proxyPass}@${dead}
    static_configs: [{ targets: ['${t}'] }]
remote_write:
  - url: http://${dead}/api/v1/write
    basic_auth: { username: rw, password: ${SECRETS.rwPass} }
  - url: http://${dead}/receive
    authorization: { credentials: ${SECRETS.rwBearer} }
alerting:
  alertmanagers:
    - basic_auth: { username: am, password: ${SECRETS.amPass} }
      static_configs: [{ targets: ['${dead}'] }]
    - authorization: { credentials_file: ${file('amtok', SECRETS.amTokenFile)} }
      static_configs: [{ targets: ['${dead}'] }]
route:
  receiver: all
  group_wait: 0s
  group_interval: 1s
receivers:
  - name: all
    webhook_configs:
      - url: http://${dead}/hook?token=${SECRETS.webhookToken}
    slack_configs:
      - api_url: http://${dead}/services/${SECRETS.slackPath}
        channel: '#x'
    pagerduty_configs:
      - routing_key: ${SECRETS.pdKey}
        url: http://${dead}/enqueue
      - routing_key_file: ${file('pdkey', SECRETS.pdKeyFile)}
        url: http://${dead}/enqueue
`,
    );
    const beacon = await startBeacon([`--config.file=${config}`, '--log.level=debug']);
    const bodies: string[] = [];
    const get = async (path: string, init?: RequestInit) => {
      if (process.env.DEBUG_SECRETS) console.error('GET', path);
      const res = await fetch(`${beacon.url}${path}`, init);
      const text = await res.text();
      bodies.push(`${path} → ${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
      return text;
    };
    try {
      // Long enough for failed scrapes, a firing alert and failed notifications.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const logs = beacon.logs();
        if (/webhook/i.test(logs) && /slack/i.test(logs) && /pagerduty/i.test(logs)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await new Promise((r) => setTimeout(r, 3000));
      const paths = [
        '/api/v1/status/config',
        '/api/v1/status/flags',
        '/api/v1/status/runtimeinfo',
        '/api/v1/status/buildinfo',
        '/api/v1/status/tsdb',
        '/api/v1/targets?state=any',
        '/api/v1/targets/metadata',
        '/api/v1/scrape_pools',
        '/api/v1/rules',
        '/api/v1/alerts',
        '/api/v1/alertmanagers',
        '/api/v1/query?query=up',
        '/api/v1/query?query=ALERTS',
        '/api/v1/query?query=sum(',
        '/api/v1/series?match[]={__name__=~".%2B"}',
        '/api/v1/labels',
        '/api/v1/label/instance/values',
        '/api/v2/status',
        '/api/v2/receivers',
        '/api/v2/alerts',
        '/api/v2/alerts/groups',
        '/api/v2/silences',
        '/metrics',
        '/federate?match[]={__name__=~".%2B"}',
        '/',
        '/graph',
        '/targets',
        '/config',
        '/alerts',
        '/api/v1/nonexistent',
      ];
      for (const p of paths) await get(p);
      // UI assets the index page links to (relative links such as `assets/app.js?v=…`).
      const index = await get('/');
      let assets = 0;
      for (const m of index.matchAll(/(?:src|href)="([^"]+)"/g)) {
        if (/^(data:|https?:|#)/.test(m[1])) continue;
        await get(`/${m[1].replace(/^\.?\//, '')}`);
        assets++;
      }
      assert.ok(assets >= 2, 'no UI asset fetched');
      // The config endpoint shows the redaction marker where the secrets were.
      const cfg = await get('/api/v1/status/config');
      assert.match(cfg, /<secret>/);
      // Sanity: the run did reach the failing paths this test is about.
      const targets = await get('/api/v1/targets?state=any');
      assert.match(targets, /"health":"down"/);
      assert.match(await get('/api/v1/alerts'), /AlwaysFiring/);
      for (const integration of ['webhook', 'slack', 'pagerduty']) {
        assert.match(beacon.logs(), new RegExp(`notify failed.*integration=${integration}`));
      }
    } finally {
      // Shutdown may wait on remote-write queues flushing to the dead endpoint; bound it.
      beacon.signal('SIGTERM');
      const kill = setTimeout(() => beacon.signal('SIGKILL'), 10_000);
      await beacon.exited;
      clearTimeout(kill);
      target.close();
    }
    const logs = beacon.logs();
    if (process.env.DEBUG_SECRETS) console.error(logs);
    assert.ok(logs.length > 0);
    const everything = [logs, ...bodies].join('\n');
    const leaks = Object.entries(SECRETS).filter(([, s]) => everything.includes(s));
    const where = leaks.map(([k, s]) => {
      const i = everything.indexOf(s);
      return `${k}: …${everything.slice(Math.max(0, i - 200), i + 60)}…`;
    });
    assert.deepEqual(where, []);
  });
});
