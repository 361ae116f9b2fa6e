import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { ManualClock } from '../../../core/notify/mod.ts';
import { formatValueE, goTimeJSON, RuleManager, rulesApi } from '../../../core/rules/mod.ts';
import { format, groupsOf, MIN, setup, write } from './rules_helpers.ts';
import { parseSeriesSelector } from '../../../plugins/mod.ts';

const T0 = Date.UTC(2026, 0, 1);

async function app() {
  const { storage, queryFn } = setup();
  const clock = new ManualClock(T0 + 500);
  const m = new RuleManager({ storage, queryFn, clock, formatExpr: format });
  await m.update(
    groupsOf(`
groups:
  - name: g
    limit: 5
    rules:
      - record: job:x:sum
        expr: sum by(job)(x)
        labels: { a: b }
      - alert: XHigh
        expr: x>1
        for: 1m
        keep_firing_for: 30s
        labels: { severity: page }
        annotations: { summary: 'x is {{ $value }}' }
`),
    { evaluationInterval: MIN, start: false },
  );
  await write(storage, [[{ __name__: 'x', job: 'j' }, T0, 2.5]]);
  await m.groups()[0].evaluate(T0);
  const api = new Hono();
  rulesApi(m)(api);
  return api;
}

describe('rules API', () => {
  test("GET /rules has Prometheus's JSON", async () => {
    const res = await (await app()).request('/rules');
    assert.equal(res.status, 200);
    const when = '2026-01-01T00:00:00.5Z';
    assert.deepEqual(await res.json(), {
      status: 'success',
      data: {
        groups: [{
          name: 'g',
          file: 'rules.yml',
          rules: [
            {
              name: 'job:x:sum',
              query: 'sum by (job) (x)',
              labels: { a: 'b' },
              health: 'ok',
              evaluationTime: 0,
              lastEvaluation: when,
              type: 'recording',
            },
            {
              state: 'pending',
              name: 'XHigh',
              query: 'x > 1',
              duration: 60,
              keepFiringFor: 30,
              labels: { severity: 'page' },
              annotations: { summary: 'x is {{ $value }}' },
              alerts: [{
                labels: { alertname: 'XHigh', job: 'j', severity: 'page' },
                annotations: { summary: 'x is 2.5' },
                state: 'pending',
                activeAt: '2026-01-01T00:00:00Z',
                value: '2.5e+00',
              }],
              health: 'ok',
              evaluationTime: 0,
              lastEvaluation: when,
              type: 'alerting',
            },
          ],
          interval: 60,
          limit: 5,
          evaluationTime: 0,
          lastEvaluation: when,
        }],
      },
    });
  });

  test('type and exclude_alerts filter; bad type is bad_data', async () => {
    const a = await app();
    const rec = await (await a.request('/rules?type=record')).json();
    assert.deepEqual(rec.data.groups[0].rules.map((r: { type: string }) => r.type), ['recording']);
    const al = await (await a.request('/rules?type=alert&exclude_alerts=true')).json();
    assert.deepEqual(al.data.groups[0].rules.map((r: { name: string }) => r.name), ['XHigh']);
    assert.equal(al.data.groups[0].rules[0].alerts, undefined);
    const named = await (await a.request('/rules?rule_name[]=nope')).json();
    assert.deepEqual(named.data.groups, []);
    const bad = await a.request('/rules?type=x');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).errorType, 'bad_data');
  });

  test('match[] filters rules by their labels; bad selectors are bad_data', async () => {
    const { storage, queryFn } = setup();
    const m = new RuleManager({ storage, queryFn, clock: new ManualClock(T0), formatExpr: format });
    await m.update(
      groupsOf(`
groups:
  - name: a
    rules:
      - alert: Page
        expr: x > 1
        labels: { severity: page, team: db }
      - alert: Ticket
        expr: x > 1
        labels: { severity: ticket }
  - name: b
    rules:
      - record: r
        expr: x
`),
      { evaluationInterval: MIN, start: false },
    );
    const api = new Hono();
    rulesApi(m, { parseSelector: parseSeriesSelector })(api);
    const names = async (q: string) => {
      const body = await (await api.request(`/rules?${q}`)).json();
      return body.data.groups.map((g: { name: string; rules: { name: string }[] }) =>
        `${g.name}:${g.rules.map((r) => r.name).join(',')}`
      );
    };
    assert.deepEqual(await names('match[]={severity="page"}'), ['a:Page']);
    // Several match[] are a union.
    assert.deepEqual(await names('match[]={severity="ticket"}&match[]={team="db"}'), [
      'a:Page,Ticket',
    ]);
    assert.deepEqual(await names('match[]={severity=~"tick.*"}'), ['a:Ticket']);
    assert.deepEqual(await names('match[]={severity="none"}'), []);
    const bad = await api.request('/rules?match[]={severity=');
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /invalid parameter "match\[\]"/);
  });

  test('group_limit pages with group_next_token as Prometheus does', async () => {
    const { storage, queryFn } = setup();
    const m = new RuleManager({ storage, queryFn, clock: new ManualClock(T0), formatExpr: format });
    const yaml = ['g1', 'g2', 'g3'].map((n) =>
      `  - name: ${n}\n    rules:\n      - record: ${n}\n        expr: x\n`
    );
    await m.update(groupsOf(`groups:\n${yaml.join('')}`), {
      evaluationInterval: MIN,
      start: false,
    });
    const api = new Hono();
    rulesApi(m)(api);
    const get = async (q: string) => await (await api.request(`/rules?${q}`)).json();
    const p1 = await get('group_limit=2');
    assert.deepEqual(p1.data.groups.map((g: { name: string }) => g.name), ['g1', 'g2']);
    assert.match(p1.data.groupNextToken, /^[0-9a-f]{40}$/);
    const p2 = await get(`group_limit=2&group_next_token=${p1.data.groupNextToken}`);
    assert.deepEqual(p2.data.groups.map((g: { name: string }) => g.name), ['g3']);
    assert.equal(p2.data.groupNextToken, undefined);
    const all = await get('group_limit=3');
    assert.equal(all.data.groups.length, 3);
    assert.equal(all.data.groupNextToken, undefined);
    for (
      const q of [
        'group_limit=0',
        'group_limit=x',
        'group_next_token=abc',
        'group_limit=1&group_next_token=abc',
      ]
    ) {
      const res = await api.request(`/rules?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal((await res.json()).errorType, 'bad_data', q);
    }
  });

  test('GET /alerts lists active alerts', async () => {
    const body = await (await (await app()).request('/alerts')).json();
    assert.deepEqual(body, {
      status: 'success',
      data: {
        alerts: [{
          labels: { alertname: 'XHigh', job: 'j', severity: 'page' },
          annotations: { summary: 'x is 2.5' },
          state: 'pending',
          activeAt: '2026-01-01T00:00:00Z',
          value: '2.5e+00',
        }],
      },
    });
  });

  test('Go formats for times and values', () => {
    assert.equal(goTimeJSON(0), '0001-01-01T00:00:00Z');
    assert.equal(goTimeJSON(T0 + 120), '2026-01-01T00:00:00.12Z');
    assert.equal(formatValueE(1), '1e+00');
    assert.equal(formatValueE(-0.000123), '-1.23e-04');
    assert.equal(formatValueE(1e100), '1e+100');
    assert.equal(formatValueE(Infinity), '+Inf');
    assert.equal(formatValueE(NaN), 'NaN');
  });
});
