/**
 * The web UI in a real browser: Debian's Chromium driven by playwright-core against a Beacon
 * process that scrapes a local target. Screenshots of every page go to
 * $BEACON_UI_SCREENSHOTS (default: <tmp>/beacon-ui-screenshots) for a person to look at.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { Hono } from 'hono';
import type { BrowserContext, Page } from 'playwright-core';
import { uiRoutes } from '../../core/api/ui.ts';
import type { HostServer } from '../../core/host.ts';
import { host, tempDir } from '../helpers/host.ts';
import { type BeaconProcess, eventually, startBeacon } from '../helpers/process.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
  }
  console.log(`skipping the browser tests: ${CHROMIUM} is absent (apt-get install chromium)`);
}

// Endpoints that other parts of Beacon may not serve yet; the browser logs their 404s.
const MAY_BE_MISSING =
  /\/api\/v1\/(rules|alerts|query|query_range|labels|label\/|series|metadata|status\/tsdb)|\/api\/v2\//;

const METRICS = `# HELP fixture_requests_total Requests.
# TYPE fixture_requests_total counter
fixture_requests_total{code="200"} 10
fixture_requests_total{code="500"} 2
# TYPE fixture_temperature gauge
fixture_temperature 21.5
`;

describe('web UI in Chromium', { skip: !haveChromium }, () => {
  const shots = process.env.BEACON_UI_SCREENSHOTS ??
    path.join(os.tmpdir(), 'beacon-ui-screenshots');
  const tmp = tempDir();
  const servers: HostServer[] = [];
  const consoleErrors: string[] = [];
  let beacon: BeaconProcess;
  let browser: BrowserContext;
  let page: Page;
  let origin: string; // where the UI is served at the root
  let prefixed: string; // a proxy serving the UI and API under /beacon/
  let userDataDir: string;

  const has = async (apiPath: string) => {
    const res = await fetch(`${beacon.url}/api/v1/${apiPath}`);
    await res.body?.cancel();
    return res.status !== 404;
  };

  const shot = (name: string) =>
    page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(shots, { recursive: true });
    const target = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () =>
        new Response(METRICS, { headers: { 'content-type': 'text/plain; version=0.0.4' } }),
    });
    servers.push(target);
    const config = tmp.write(
      'beacon.yml',
      `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: ['rules.yml']
route: { receiver: sink, group_wait: 1s }
receivers:
  - name: sink
    webhook_configs: [{ url: 'http://${target.address}/hook' }]
scrape_configs:
  - job_name: fixture
    static_configs:
      - targets: ['${target.address}']
        labels: { env: test }
  - job_name: dropped
    static_configs:
      - targets: ['127.0.0.1:1']
    relabel_configs:
      - source_labels: [__address__]
        regex: '127\\.0\\.0\\.1:1'
        action: drop
`,
    );
    tmp.write(
      'rules.yml',
      `groups:
  - name: fixture
    rules:
      - alert: FixtureErrors
        expr: fixture_requests_total{code="500"} > 0
        labels: { severity: page }
        annotations: { summary: 'errors are served' }
`,
    );
    beacon = await startBeacon([`--config.file=${config}`]);

    // Until the runtime serves the UI itself, a small proxy puts it in front of Beacon's API.
    const proxy = (prefix: string) => {
      const app = new Hono();
      app.route(prefix || '/', uiRoutes({ routePrefix: prefix }));
      app.all('*', (c) => {
        const url = new URL(c.req.url);
        return fetch(`${beacon.url}${url.pathname.slice(prefix.length)}${url.search}`, {
          method: c.req.method,
          headers: c.req.raw.headers,
          body: c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : c.req.raw.body,
          duplex: 'half',
        } as RequestInit);
      });
      return host.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch });
    };
    const direct = await fetch(`${beacon.url}/targets`);
    const servesUi = direct.status === 200 && (await direct.text()).includes('assets/app.js');
    if (servesUi) origin = beacon.url;
    else {
      const s = await proxy('');
      servers.push(s);
      origin = `http://${s.address}`;
    }
    const sp = await proxy('/beacon');
    servers.push(sp);
    prefixed = `http://${sp.address}/beacon`;

    const { chromium } = await import('playwright-core');
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'beacon-chromium-'));
    // A persistent context is how playwright takes a fresh --user-data-dir of our choosing.
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const where = m.location().url;
      if (/status of 404/.test(m.text()) && MAY_BE_MISSING.test(where)) return;
      consoleErrors.push(`${m.text()} (${where})`);
    });
    // The target is scraped every second; wait for its first scrape before looking.
    await eventually(async () => {
      const r = await fetch(`${beacon.url}/api/v1/targets?state=active`);
      const body = await r.json();
      return body.data.activeTargets.some((t: { health: string }) => t.health === 'up');
    });
  });

  after(async () => {
    await browser?.close();
    beacon?.signal('SIGTERM');
    await beacon?.exited;
    for (const s of servers) await s.close();
    tmp.remove();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    console.log(`UI screenshots: ${shots}`);
  });

  test('Targets shows the scraped target up with its labels', async () => {
    await page.goto(`${origin}/targets`);
    const pool = page.locator('section.pool[data-pool="fixture"]');
    await pool.locator('.badge-ok', { hasText: 'up' }).waitFor();
    assert.match(await pool.locator('h2').innerText(), /1 \/ 1 up/);
    const row = await pool.locator('tbody tr').innerText();
    assert.match(row, /env=test/);
    assert.match(row, /job=fixture/);
    assert.match(row, /ago/);
    // The filter hides what does not match, and the text is case-insensitive.
    await page.getByRole('searchbox').fill('NO-SUCH-TARGET');
    assert.equal(await page.locator('section.pool').count(), 0);
    await page.getByRole('searchbox').fill('ENV=TEST');
    assert.equal(await page.locator('section.pool').count(), 1);
    await shot('targets');
  });

  test('Service discovery shows discovered labels and the dropped target', async () => {
    await page.goto(`${origin}/service-discovery`);
    const dropped = page.locator('section.pool', {
      has: page.locator('h2', { hasText: 'dropped' }),
    });
    await dropped.locator('.badge', { hasText: 'Dropped' }).waitFor();
    assert.match(await dropped.innerText(), /__address__=127\.0\.0\.1:1/);
    const fixture = page.locator('section.pool', {
      has: page.locator('h2', { hasText: 'fixture' }),
    });
    assert.match(await fixture.locator('h2').innerText(), /1 \/ 1 active targets/);
    await shot('service-discovery');
  });

  test('Status shows the version, flags and the config', async () => {
    const build = await (await fetch(`${beacon.url}/api/v1/status/buildinfo`)).json();
    await page.goto(`${origin}/status`);
    await page.locator('#build td', { hasText: build.data.version }).first().waitFor();
    await page.locator('#flags code', { hasText: '--config.file' }).waitFor();
    assert.match(await page.locator('#config pre').innerText(), /job_name: fixture/);
    await page.locator('#tsdb').locator('table, .notice').first().waitFor();
    await shot('status');
  });

  test('Query runs `up` in the Table view (or shows the API error)', async () => {
    await page.goto(`${origin}/query?g0.expr=up&g0.tab=table`);
    await page.locator('.output').locator('table.results, .notice-error, .empty-result').first()
      .waitFor();
    if (await has('query?query=1')) {
      const rows = await page.locator('table.results tbody tr').allInnerTexts();
      const fixture = rows.find((r) => r.includes('job="fixture"'));
      assert.ok(fixture, rows.join('\n'));
      assert.match(fixture, /env="test"/);
      assert.match(fixture, /\t1$/);
      assert.match(await page.locator('.stats').innerText(), /Result series: \d+/);
    } else {
      assert.match(await page.locator('.notice-error').innerText(), /not_found.*api\/v1\/query/);
    }
    await shot('query-table');
  });

  test('Query: type an expression, see a graph with one line per series', async () => {
    await page.goto(`${origin}/query`);
    const editor = page.locator('.cm-content').first();
    await editor.click();
    await page.keyboard.type('fixture_requests_total');
    await page.getByRole('tab', { name: 'Graph' }).click();
    // A 1 s resolution puts a step after the fixture's first scrapes (the automatic 14 s step
    // can end before them, and then the answer is rightly empty).
    await page.getByPlaceholder('auto').fill('1');
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.output').locator('.uplot, .notice-error, .empty-result').first().waitFor();
    assert.match(page.url(), /g0\.expr=fixture_requests_total/);
    assert.match(page.url(), /g0\.tab=graph/);
    if (await has('query_range?query=1&start=0&end=1&step=1')) {
      // Legend rows: the time row plus one per series (code="200" and code="500").
      await page.locator('.u-legend .u-series').nth(2).waitFor();
      assert.equal(await page.locator('.u-legend .u-series').count(), 3);
      assert.match(await page.locator('.u-legend').innerText(), /code="500"/);
      await page.getByRole('button', { name: 'Stacked' }).click();
      await page.locator('.uplot').waitFor();
      assert.match(page.url(), /g0\.display_mode=stacked/);
    } else {
      assert.match(await page.locator('.notice-error').innerText(), /api\/v1\/query_range/);
    }
    if (await has('query_range?query=1&start=0&end=1&step=1')) {
      assert.match(await page.locator('.stats').first().innerText(), /Samples: \d+/);
    }
    await shot('query-graph');
  });

  test('the editor highlights PromQL and marks parse errors inline', async () => {
    await page.goto(`${origin}/query`);
    await page.locator('.cm-content').first().click();
    // Brackets close themselves as they are typed; rate() of an instant vector is a type error.
    await page.keyboard.type('sum(rate(fixture_temperature');
    assert.equal(
      await page.locator('.cm-content').first().innerText(),
      'sum(rate(fixture_temperature))',
    );
    await page.locator('.cm-lintRange-error').first().waitFor();
    // The message is also written below the editor, for readers without a pointer.
    await page.locator('.diagnostics', { hasText: /expected type matrix/ }).waitFor();
    // Highlighting puts tokens into styled spans.
    assert.ok((await page.locator('.cm-content span').count()) >= 3);
    await shot('query-lint');
  });

  test('several panels keep their state in the URL', async () => {
    await page.goto(
      `${origin}/query?g0.expr=up&g0.tab=table&g1.expr=fixture_temperature&g1.tab=table`,
    );
    assert.equal(await page.locator('section.panel').count(), 2);
    await page.getByRole('button', { name: '+ Add panel' }).click();
    assert.equal(await page.locator('section.panel').count(), 3);
    await page.getByRole('button', { name: 'Remove panel' }).first().click();
    assert.equal(await page.locator('section.panel').count(), 2);
    assert.match(page.url(), /g0\.expr=fixture_temperature/);
  });

  test('Alerts and Rules render with or without the rules API', async () => {
    await page.goto(`${origin}/alerts`);
    await page.locator('main').locator('details.alert-rule, .notice, table').first().waitFor();
    await shot('alerts');
    await page.goto(`${origin}/rules`);
    await page.locator('main').locator('section.rule-group, .notice').first().waitFor();
    if (!(await has('rules'))) {
      assert.match(await page.locator('main .notice').innerText(), /No rules/);
    }
    await shot('rules');
  });

  test('Silences says when built-in routing is not enabled', async () => {
    await page.goto(`${origin}/silences`);
    await page.locator('main').locator('.notice, form').first().waitFor();
    const res = await fetch(`${beacon.url}/api/v2/silences`);
    await res.body?.cancel();
    if (res.status === 404) {
      assert.match(await page.locator('main .notice').innerText(), /Built-in routing not enabled/);
    } else {
      await page.getByLabel('Matchers').fill('{alertname="UiTest"}');
      await page.getByLabel('Created by').fill('ui test');
      await page.getByLabel('Comment').fill('from the browser test');
      await page.getByRole('button', { name: 'Create silence' }).click();
      await page.locator('table.silences code', { hasText: 'alertname="UiTest"' }).waitFor();
    }
    await shot('silences');
  });

  test('the top bar navigates by keyboard under a route prefix, and the theme switches', async () => {
    await page.goto(`${prefixed}/targets`);
    await page.locator('.badge-ok').first().waitFor();
    const status = page.getByRole('link', { name: 'Status' });
    await status.focus();
    await page.keyboard.press('Enter');
    await page.locator('#build td').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/beacon/status');
    assert.equal(await page.locator('a[aria-current="page"]').innerText(), 'Status');
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.locator('.theme-toggle').click();
    const afterTheme = await page.evaluate(() => document.documentElement.dataset.theme);
    assert.notEqual(afterTheme, before);
    await page.goto(`${prefixed}/targets`);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), afterTheme);
    await page.locator('.badge-ok').first().waitFor();
    await shot(`targets-${afterTheme}`);
    await page.goBack();
    await page.locator('#build td').first().waitFor();
  });

  // The pages below are also checked against canned answers in Prometheus's documented shapes,
  // so they are covered whether or not this Beacon serves those APIs yet.
  test('Graph view draws every series of a range answer, as lines or stacked', async () => {
    await page.route('**/api/v1/query_range?*', (route) => {
      const u = new URL(route.request().url());
      const start = Number(u.searchParams.get('start')), step = Number(u.searchParams.get('step'));
      const n = Math.floor((Number(u.searchParams.get('end')) - start) / step) + 1;
      // One sample per step, with a gap and an isolated sample in the second series.
      const values = (f: (i: number) => number, skip = (_i: number) => false) =>
        Array.from({ length: n }, (_, i) => [start + i * step, String(f(i))]).filter((_, i) =>
          !skip(i)
        );
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: { job: 'a', code: '200' },
                values: values((i) => 10 + Math.sin(i / 20) * 3),
              },
              {
                metric: { job: 'a', code: '500' },
                values: values((i) => 2 + (i % 7) / 3, (i) => i > 100 && i < 150 && i !== 125),
              },
              {
                metric: { job: 'b', code: '200' },
                values: values((i) => 6 + Math.cos(i / 30) * 2),
              },
            ],
          },
        }),
      });
    });
    try {
      await page.goto(`${origin}/query?g0.expr=rate(x%5B5m%5D)&g0.tab=graph&g0.range_input=1h`);
      await page.locator('.u-legend .u-series').nth(3).waitFor();
      assert.equal(await page.locator('.u-legend .u-series').count(), 4);
      assert.match(await page.locator('.stats').innerText(), /Result series: 3/);
      // Hovering the plot shows the values under the cursor in the legend.
      const over = page.locator('.u-over');
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      assert.match(await page.locator('.u-legend .u-series').nth(1).innerText(), /\d/);
      await shot('query-graph-lines');
      await page.getByRole('button', { name: 'Stacked' }).click();
      await page.locator('.u-legend .u-series').nth(3).waitFor();
      assert.match(page.url(), /g0\.display_mode=stacked/);
      await page.getByRole('button', { name: 'Longer range' }).click();
      assert.match(page.url(), /g0\.range_input=2h/);
      await page.locator('.u-legend .u-series').nth(3).waitFor();
      await shot('query-graph-stacked');
    } finally {
      await page.unrouteAll();
    }
  });

  test('Alerts shows the firing alert of a real rule, and Rules its group', async () => {
    const firing = page.locator('details.state-firing', { hasText: 'FixtureErrors' });
    await eventually(async () => {
      await page.goto(`${origin}/alerts`);
      await page.locator('main').locator('details.alert-rule, .notice').first().waitFor();
      return (await firing.count()) > 0;
    }, 20_000);
    await firing.click();
    assert.match(await firing.innerText(), /severity=page[\s\S]*errors are served/);
    await shot('alerts-real');
    await page.goto(`${origin}/rules`);
    await page.locator('section.rule-group', { hasText: 'fixture' }).waitFor();
    await shot('rules-real');
  });

  test('Alerts shows a firing alert with its labels and annotations', async () => {
    const activeAt = new Date(Date.now() - 90_000).toISOString();
    await page.route('**/api/v1/rules?*', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'success',
          data: {
            groups: [{
              name: 'fixture',
              file: 'rules.yml',
              interval: 15,
              rules: [
                {
                  type: 'alerting',
                  name: 'FixtureErrors',
                  query: 'rate(fixture_requests_total{code="500"}[5m]) > 0',
                  duration: 60,
                  labels: { severity: 'page' },
                  annotations: { summary: 'errors are served' },
                  state: 'firing',
                  health: 'ok',
                  alerts: [{
                    labels: { alertname: 'FixtureErrors', severity: 'page', job: 'fixture' },
                    annotations: { summary: 'errors are served' },
                    state: 'firing',
                    activeAt,
                    value: '2e+00',
                  }],
                },
                {
                  type: 'alerting',
                  name: 'FixtureDown',
                  query: 'up{job="fixture"} == 0',
                  state: 'inactive',
                  health: 'ok',
                  alerts: [],
                },
              ],
            }],
          },
        }),
      }));
    try {
      await page.goto(`${origin}/alerts`);
      const firing = page.locator('details.state-firing');
      await firing.waitFor();
      assert.match(
        await firing.innerText(),
        /FixtureErrors[\s\S]*severity=page[\s\S]*errors are served/,
      );
      assert.match(
        await page.locator('.state-filters').innerText(),
        /Firing \(1\)[\s\S]*Inactive \(1\)/,
      );
      await shot('alerts-firing');
    } finally {
      await page.unrouteAll();
    }
  });

  test('Silences creates and expires a silence through the v2 API', async () => {
    const silences: Record<string, unknown>[] = [];
    await page.route(/\/api\/v2\/silences?(\/.*)?$/, (route) => {
      const req = route.request();
      if (req.method() === 'POST') {
        const body = req.postDataJSON();
        silences.push({
          ...body,
          id: 'abc',
          status: { state: 'active' },
          updatedAt: body.startsAt,
        });
        return route.fulfill({ contentType: 'application/json', body: '{"silenceID":"abc"}' });
      }
      if (req.method() === 'DELETE') {
        for (const s of silences) s.status = { state: 'expired' };
        return route.fulfill({ status: 200, body: '' });
      }
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify(silences) });
    });
    try {
      await page.goto(`${origin}/silences`);
      await page.getByLabel('Matchers').fill('{alertname="FixtureErrors", job=~"fix.*"}');
      await page.getByLabel('Created by').fill('ui test');
      await page.getByLabel('Comment').fill('from the browser test');
      await page.getByRole('button', { name: 'Create silence' }).click();
      await page.locator('table.silences code', { hasText: 'job=~"fix.*"' }).waitFor();
      const sent = silences[0] as { matchers: unknown[]; endsAt: string; startsAt: string };
      assert.deepEqual(sent.matchers, [
        { name: 'alertname', value: 'FixtureErrors', isRegex: false, isEqual: true },
        { name: 'job', value: 'fix.*', isRegex: true, isEqual: true },
      ]);
      assert.equal(Date.parse(sent.endsAt) - Date.parse(sent.startsAt), 2 * 3600_000);
      await shot('silences-active');
      await page.getByRole('button', { name: 'Expire' }).click();
      await page.locator('h2', { hasText: 'Expired (1)' }).waitFor();
    } finally {
      await page.unrouteAll();
    }
  });

  test('no page logged a console error', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
