import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { Labels } from '../../../core/model/mod.ts';
import { buildRoute, groupKey, routeSchema } from '../../../core/notify/mod.ts';

const tree = buildRoute(
  v.parse(routeSchema, {
    receiver: 'default',
    group_by: ['alertname'],
    group_wait: '10s',
    routes: [
      {
        matchers: ['team="db"'],
        receiver: 'db',
        group_by: ['...'],
        routes: [{ matchers: ['severity="page"'], receiver: 'db-pager', repeat_interval: '1h' }],
      },
      { matchers: ['team="web"'], receiver: 'web', continue: true },
      { matchers: ['team=~"web|api"'], receiver: 'frontend' },
    ],
  })!,
);

const l = (r: Record<string, string>) => Labels.from(r);

describe('routing tree', () => {
  test('first matching child wins; no match falls back to the parent', () => {
    assert.deepEqual(tree.match(l({ alertname: 'x' })).map((r) => r.receiver), ['default']);
    assert.deepEqual(tree.match(l({ team: 'db' })).map((r) => r.receiver), ['db']);
    assert.deepEqual(
      tree.match(l({ team: 'db', severity: 'page' })).map((r) => r.receiver),
      ['db-pager'],
    );
  });

  test('continue: true lets later siblings match too', () => {
    assert.deepEqual(tree.match(l({ team: 'web' })).map((r) => r.receiver), ['web', 'frontend']);
    assert.deepEqual(tree.match(l({ team: 'api' })).map((r) => r.receiver), ['frontend']);
  });

  test('children inherit unset options', () => {
    const pager = tree.match(l({ team: 'db', severity: 'page' }))[0];
    assert.equal(pager.groupWaitMs, 10_000);
    assert.equal(pager.groupIntervalMs, 300_000);
    assert.equal(pager.repeatIntervalMs, 3_600_000);
    assert.equal(pager.groupByAll, true, 'inherits group_by: [...]');
    assert.equal(tree.routes[1].repeatIntervalMs, 4 * 3_600_000);
  });

  test('group labels and group keys', () => {
    const a = l({ alertname: 'Down', instance: 'a', team: 'web' });
    const web = tree.match(a)[0];
    assert.deepEqual(web.groupLabels(a).toRecord(), { alertname: 'Down' });
    assert.equal(groupKey(tree, tree.groupLabels(a)), '{}:{alertname="Down"}');
    assert.equal(groupKey(web, web.groupLabels(a)), '{}/{team="web"}:{alertname="Down"}');
    const db = tree.match(l({ team: 'db', x: '1' }))[0];
    assert.deepEqual(db.groupLabels(l({ team: 'db', x: '1' })).toRecord(), { team: 'db', x: '1' });
    // A group_by label the alert lacks is not a group label.
    assert.deepEqual(tree.groupLabels(l({ team: 'x' })).toRecord(), {});
  });
});
