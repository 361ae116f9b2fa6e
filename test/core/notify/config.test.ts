import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import {
  receiverIntegrations,
  routingConfigSchema,
  routingSectionSchemas,
} from '../../../core/notify/mod.ts';

// The shape of Alertmanager's own example, doc/examples/simple.yml, trimmed.
const PASTED = `
route:
  group_by: ['alertname', 'cluster', 'service']
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 3h
  receiver: team-X-mails
  routes:
    - matchers: [service=~"foo1|foo2|baz"]
      receiver: team-X-mails
      routes:
        - matchers: [severity="critical"]
          receiver: team-X-pager
    - match: { service: files }
      receiver: team-Y-mails
      continue: true
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster, service]
receivers:
  - name: team-X-mails
    webhook_configs: [{ url: 'http://127.0.0.1:5001/' }]
  - name: team-X-pager
    pagerduty_configs: [{ routing_key: abc }]
  - name: team-Y-mails
    slack_configs: [{ api_url: 'http://127.0.0.1/slack', channel: '#y' }]
time_intervals:
  - name: nights
    time_intervals: [{ times: [{ start_time: '22:00', end_time: '24:00' }], weekdays: ['monday:friday'] }]
`;

describe('routing config', () => {
  test('a pasted alertmanager.yml validates with defaults applied', () => {
    const c = v.parse(routingConfigSchema, parseYaml(PASTED));
    assert.equal(c.route?.receiver, 'team-X-mails');
    assert.equal(c.route?.group_wait?.ms, 30_000);
    assert.equal(c.route?.repeat_interval?.ms, 3 * 3_600_000);
    assert.equal(c.route?.routes?.[1].continue, true);
    assert.equal(c.route?.routes?.[0].continue, false);
    assert.deepEqual(c.inhibit_rules[0].equal, ['alertname', 'cluster', 'service']);
    assert.deepEqual(
      receiverIntegrations(c.receivers[2]).map((i) => [i.type, i.index]),
      [['slack', 0]],
    );
  });

  test("root defaults are Alertmanager's: 30s, 5m, 4h", () => {
    const r = v.parse(routingSectionSchemas.route, { receiver: 'x' });
    assert.deepEqual(
      [r?.group_wait?.ms, r?.group_interval?.ms, r?.repeat_interval?.ms],
      [30_000, 300_000, 14_400_000],
    );
    assert.equal(v.parse(routingSectionSchemas.route, undefined), undefined);
  });

  const problems = (input: unknown) => {
    const r = v.safeParse(routingConfigSchema, input);
    return r.success ? [] : r.issues.map((i) => i.message);
  };

  test("Alertmanager's validation messages", () => {
    assert.deepEqual(problems({ route: {}, receivers: [] }), [
      'root route must specify a default receiver',
    ]);
    assert.deepEqual(
      problems({ route: { receiver: 'a', matchers: ['x="y"'] }, receivers: [{ name: 'a' }] }),
      [
        'root route must not have any matchers',
      ],
    );
    assert.deepEqual(problems({ route: { receiver: 'nope' }, receivers: [{ name: 'a' }] }), [
      'undefined receiver "nope" used in route',
    ]);
    assert.deepEqual(
      problems({ route: { receiver: 'a' }, receivers: [{ name: 'a' }, { name: 'a' }] }),
      [
        'notification config name "a" is not unique',
      ],
    );
    assert.deepEqual(
      problems({ route: { receiver: 'a', group_by: ['...', 'x'] }, receivers: [{ name: 'a' }] }),
      ['cannot have wildcard group_by (`...`) and other other labels at the same time'],
    );
    assert.deepEqual(
      problems({
        route: { receiver: 'a', routes: [{ mute_time_intervals: ['x'] }] },
        receivers: [{ name: 'a' }],
      }),
      ['undefined time interval "x" used in route'],
    );
    assert.ok(
      problems({
        route: { receiver: 'a', routes: [{ matchers: ['bad'] }] },
        receivers: [{ name: 'a' }],
      })[0]
        .includes('bad matcher format'),
    );
    assert.deepEqual(
      problems({ route: { receiver: 'a', colour: 1 }, receivers: [{ name: 'a' }] }),
      [
        'field colour not found in type config.plain',
      ],
    );
    assert.deepEqual(problems({ route: { receiver: 'a' }, receivers: [{ name: 'a', email: 1 }] }), [
      'field email not found in type config.plain',
    ]);
    assert.deepEqual(
      problems({ route: { receiver: 'a', group_interval: '0s' }, receivers: [{ name: 'a' }] }),
      [
        'group_interval cannot be zero',
      ],
    );
  });

  test('time interval fields are checked', () => {
    const bad = {
      route: { receiver: 'a' },
      receivers: [{ name: 'a' }],
      time_intervals: [{ name: 't', time_intervals: [{ weekdays: ['funday'] }] }],
    };
    assert.deepEqual(problems(bad), ['invalid weekday "funday"']);
  });
});
