import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EDGE_CONFIG_FILE,
  EdgeBeacon,
  isDue,
  MemoryStateStore,
  type StateStore,
} from '../../../adapters/edge/mod.ts';
import { repoRoot } from '../../helpers/host.ts';
import { type EdgeFixture, RULES_PATH, startEdgeFixture } from '../../runtime/edge_fixture.ts';

const quiet = () => {};

describe('isDue', () => {
  test('first run, a full interval, and a tenth of it (at most 5 s) forgiven', () => {
    assert.equal(isDue(undefined, 60_000, 0), true);
    assert.equal(isDue(0, 60_000, 30_000), false);
    assert.equal(isDue(0, 60_000, 54_999), false);
    assert.equal(isDue(0, 60_000, 55_000), true);
    assert.equal(isDue(0, 15_000, 13_499), false);
    assert.equal(isDue(0, 15_000, 13_500), true);
  });
});

describe('EdgeBeacon', () => {
  let fx: EdgeFixture;
  let am: http.Server;
  let amURL = '';
  const amPosts: { labels: Record<string, string> }[][] = [];

  before(async () => {
    fx = await startEdgeFixture();
    am = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === '/api/v2/alerts') amPosts.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => am.listen(0, '127.0.0.1', r));
    amURL = `127.0.0.1:${(am.address() as AddressInfo).port}`;
  });

  after(async () => {
    await fx.close();
    am.closeAllConnections?.();
    await new Promise((r) => am.close(r));
  });

  // The fixture's config plus an Alertmanager, and a rule that must hold for 90 s.
  const files = () => ({
    [EDGE_CONFIG_FILE]: `${fx.config}alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${amURL}']
`,
    [RULES_PATH]: `${fx.rules}      - alert: EdgeValueHeldHigh
        expr: edge_test_value > 10
        for: 90s
`,
  });
  const create = (store: StateStore) =>
    EdgeBeacon.create({
      runtime: { name: 'test', version: '0' },
      files: files(),
      store,
      write: quiet,
    });

  const alertsOf = async (b: EdgeBeacon) => {
    const res = await b.fetch(new Request('http://beacon/api/v1/alerts'));
    const alerts = (await res.json()).data.alerts as {
      labels: Record<string, string>;
      state: string;
      activeAt: string;
    }[];
    return Object.fromEntries(alerts.map((a) => [a.labels.alertname, a]));
  };

  test('`for:` and the notification log carry across isolates through the state store', async () => {
    const store = new MemoryStateStore();
    const t0 = Date.now();
    const hooks = fx.webhooks().length;
    const first = await create(store);
    const r1 = await first.tick(t0);
    assert.equal(r1.scraped.length, 1);
    assert.deepEqual(r1.evaluated, ['/etc/beacon/rules.yml;edge']);
    assert.equal(r1.remoteWrite[0].error, undefined);
    let alerts = await alertsOf(first);
    assert.equal(alerts.EdgeValueHigh.state, 'firing');
    assert.equal(alerts.EdgeValueHeldHigh.state, 'pending');
    const activeAt = alerts.EdgeValueHeldHigh.activeAt;
    // The tick waited for the Alertmanager client too.
    assert.deepEqual(amPosts.flat().map((a) => a.labels.alertname), ['EdgeValueHigh']);
    await first.stop();

    // A new isolate: empty memory storage, state from the store.
    const second = await create(store);
    const r2 = await second.tick(t0 + 61_000);
    assert.equal(r2.scraped.length, 1);
    alerts = await alertsOf(second);
    assert.equal(alerts.EdgeValueHeldHigh.state, 'pending');
    assert.equal(alerts.EdgeValueHeldHigh.activeAt, activeAt);
    // The rule sent EdgeValueHigh again (its resend delay passed), but the stored notification
    // log says the webhook already has it: within repeat_interval, nothing is sent again.
    assert.equal(r2.alertsSent, 1);
    assert.equal(fx.webhooks().length, hooks + 1);
    await second.stop();

    const third = await create(store);
    await third.tick(t0 + 122_000);
    alerts = await alertsOf(third);
    assert.equal(alerts.EdgeValueHeldHigh.state, 'firing');
    assert.equal(alerts.EdgeValueHeldHigh.activeAt, activeAt);
    assert.ok(amPosts.flat().some((a) => a.labels.alertname === 'EdgeValueHeldHigh'));
    // A new alert in the group: the webhook hears of it.
    assert.equal(fx.webhooks().length, hooks + 2);
    assert.deepEqual(
      fx.webhooks()[hooks + 1].alerts.map((a) => a.labels.alertname).sort(),
      ['EdgeValueHeldHigh', 'EdgeValueHigh'],
    );
    await third.stop();
  });

  test('a tick before the interval has passed scrapes and evaluates nothing', async () => {
    const b = await create(new MemoryStateStore());
    const t0 = Date.now();
    const scrapes = fx.scrapes();
    await b.tick(t0);
    const r = await b.tick(t0 + 30_000);
    assert.deepEqual(r.scraped, []);
    assert.deepEqual(r.evaluated, []);
    assert.equal(r.alertsSent, 0);
    assert.equal(fx.scrapes(), scrapes + 1);
    await b.stop();
  });

  test('a bad config is refused with its position', async () => {
    await assert.rejects(
      EdgeBeacon.create({
        runtime: { name: 'test', version: '0' },
        files: { [EDGE_CONFIG_FILE]: 'global:\n  scrape_interval: often\n' },
        store: new MemoryStateStore(),
        write: quiet,
      }),
      /prometheus\.yml:2:\d+: global\.scrape_interval/,
    );
  });

  test("the example wrangler.toml's config and rules load", async () => {
    const toml = readFileSync(
      path.join(repoRoot, 'examples', 'cloudflare-worker', 'wrangler.toml'),
      'utf8',
    );
    const block = (key: string) => {
      const m = new RegExp(`^${key} = """\\n([\\s\\S]*?)"""`, 'm').exec(toml);
      assert.ok(m, `no ${key} in wrangler.toml`);
      return m[1];
    };
    const b = await EdgeBeacon.create({
      runtime: { name: 'test', version: '0' },
      files: {
        [EDGE_CONFIG_FILE]: block('BEACON_CONFIG'),
        '/etc/beacon/rules.yml': block('"/etc/beacon/rules.yml"'),
      },
      store: new MemoryStateStore(),
      write: quiet,
    });
    assert.deepEqual(b.config.scrape_configs.map((c) => c.job_name), ['node']);
    assert.equal(b.runtime.alerting.rules.groups().length, 1);
    await b.stop();
  });
});
