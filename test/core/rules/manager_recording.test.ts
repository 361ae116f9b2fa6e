import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../../core/metrics/mod.ts';
import { ManualClock } from '../../../core/notify/mod.ts';
import { RuleManager } from '../../../core/rules/mod.ts';
import { groupsOf, MIN, raw, setup, write } from './rules_helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

async function manager(yaml: string) {
  const { storage, queryFn } = setup();
  const registry = new Registry();
  const m = new RuleManager({ storage, queryFn, registry, clock: new ManualClock(T0) });
  await m.update(groupsOf(yaml), { evaluationInterval: MIN, start: false });
  return { m, storage, registry, group: m.groups()[0] };
}

describe('recording rules', () => {
  test('write record name, rule labels over group labels, at the evaluation time', async () => {
    const { storage, group } = await manager(`
groups:
  - name: g
    labels: { env: prod, team: group }
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: { team: rule }
`);
    await write(storage, [
      [{ __name__: 'up', job: 'a', instance: '1' }, T0, 1],
      [{ __name__: 'up', job: 'a', instance: '2' }, T0, 1],
      [{ __name__: 'up', job: 'b', instance: '3' }, T0, 0],
    ]);
    await group.evaluate(T0 + 1000);
    assert.deepEqual(await raw(storage, 'job:up:sum'), {
      '{__name__="job:up:sum", env="prod", job="a", team="rule"}': [[T0 + 1000, 2]],
      '{__name__="job:up:sum", env="prod", job="b", team="rule"}': [[T0 + 1000, 0]],
    });
    assert.equal(group.rules[0].health, 'ok');
  });

  test('series a rule stops returning get a stale marker, and only once', async () => {
    const { storage, group } = await manager(`
groups:
  - name: g
    rules:
      - record: up:ok
        expr: up == 1
`);
    await write(storage, [
      [{ __name__: 'up', instance: '1' }, T0, 1],
      [{ __name__: 'up', instance: '2' }, T0, 1],
    ]);
    await group.evaluate(T0 + 1000);
    await write(storage, [
      [{ __name__: 'up', instance: '1' }, T0 + 30_000, 1],
      [{ __name__: 'up', instance: '2' }, T0 + 30_000, 0],
    ]);
    await group.evaluate(T0 + 61_000);
    await group.evaluate(T0 + 121_000);
    assert.deepEqual(await raw(storage, 'up:ok'), {
      '{__name__="up:ok", instance="1"}': [[T0 + 1000, 1], [T0 + 61_000, 1], [T0 + 121_000, 1]],
      '{__name__="up:ok", instance="2"}': [[T0 + 1000, 1], [T0 + 61_000, 'stale']],
    });
  });

  test('query_offset shifts the query and the output time', async () => {
    const { storage, group } = await manager(`
groups:
  - name: g
    query_offset: 30s
    rules:
      - record: x
        expr: up
`);
    await write(storage, [[{ __name__: 'up' }, T0, 5], [{ __name__: 'up' }, T0 + 40_000, 7]]);
    await group.evaluate(T0 + 60_000);
    assert.deepEqual(await raw(storage, 'x'), { '{__name__="x"}': [[T0 + 30_000, 5]] });
  });

  test('a later rule sees an earlier rule output of the same evaluation', async () => {
    const { storage, group } = await manager(`
groups:
  - name: g
    rules:
      - record: a
        expr: vector(3)
      - record: b
        expr: a * 2
`);
    await group.evaluate(T0);
    assert.deepEqual(await raw(storage, 'b'), { '{__name__="b"}': [[T0, 6]] });
  });

  test('scalar results become one sample without labels', async () => {
    const { storage, group } = await manager(`
groups:
  - name: g
    rules:
      - record: s
        expr: scalar(vector(4))
`);
    await group.evaluate(T0);
    assert.deepEqual(await raw(storage, 's'), { '{__name__="s"}': [[T0, 4]] });
  });

  test('limit, duplicate label sets and query errors mark the rule unhealthy', async () => {
    const { storage, group, registry } = await manager(`
groups:
  - name: g
    limit: 1
    rules:
      - record: many
        expr: up
      - record: dup
        expr: '{__name__=~"m1|m2"}'
      - record: bad
        expr: up * on() up
      - record: fine
        expr: vector(1)
`);
    await write(storage, [
      [{ __name__: 'up', instance: '1' }, T0, 1],
      [{ __name__: 'up', instance: '2' }, T0, 1],
      [{ __name__: 'm1', k: 'v' }, T0, 1],
      [{ __name__: 'm2', k: 'v' }, T0, 1],
    ]);
    await group.evaluate(T0);
    const [many, dup, bad, fine] = group.rules;
    assert.equal(many.health, 'err');
    assert.equal(many.lastError, 'exceeded limit of 1 with 2 series');
    assert.equal(dup.health, 'err');
    assert.equal(
      dup.lastError,
      'vector contains metrics with the same labelset after applying rule labels',
    );
    assert.equal(bad.health, 'err');
    assert.match(bad.lastError, /many-to-many|duplicate|matching/);
    assert.equal(fine.health, 'ok');
    assert.deepEqual(await raw(storage, 'many'), {});
    const text = await registry.metrics();
    assert.match(text, /beacon_rule_evaluations_total\{rule_group="rules\.yml;g"\} 4/);
    assert.match(text, /beacon_rule_evaluation_failures_total\{rule_group="rules\.yml;g"\} 3/);
    assert.match(
      text,
      /beacon_rule_group_last_evaluation_timestamp_seconds\{rule_group="rules\.yml;g"\} \d+/,
    );
  });
});
