// `beacon test rules` as the CLI runs it: flags, output streams and exit codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRulesCommand } from '../../../core/cli/test_rules.ts';
import { FlagError } from '../../../core/cli/flags.ts';
import type { Host } from '../../../core/host.ts';
import type { UnitTestDeps } from '../../../core/rules/unittest.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { Engine } from '../../../plugins/promql/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';

const engine = new Engine();
const deps: UnitTestDeps = {
  parseExpr: (t) => parseExpr(t),
  createStorage: () => new MemoryStorage(),
  query: (storage, expr, t) => engine.instantQuery(storage, expr, t),
};

function capture(): { host: Host; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  const h = Object.create(host) as Host;
  h.writeOut = (t: string) => void out.push(t);
  h.writeErr = (t: string) => void err.push(t);
  return { host: h, out, err };
}

const RULES = `
groups:
  - name: g
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: Down
        expr: up == 0
        for: 2m
        labels: { severity: page }
        annotations: { summary: "{{ $labels.instance }} of {{ $externalLabels.dc }} at {{ $externalURL }}" }
`;

const TESTS = `
rule_files: [rules.yml, missing-*.yml]
evaluation_interval: 1m
tests:
  - name: good
    external_labels: { dc: eu }
    external_url: http://beacon
    input_series:
      - series: up{job="a", instance="x"}
        values: 0x5
      - series: up{job="a", instance="y"}
        values: 1 1 stale
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 1m
        exp_samples:
          - labels: job:up:sum{job="a"}
            value: 1
      - expr: job:up:sum
        eval_time: 2m
        exp_samples:
          - labels: job:up:sum{job="a"}
            value: 0
    alert_rule_test:
      - eval_time: 1m
        alertname: Down
        exp_alerts: []
      - eval_time: 2m30s
        alertname: Down
        exp_alerts:
          - exp_labels: { severity: page, job: a, instance: x }
            exp_annotations: { summary: "x of eu at http://beacon" }
  - name: bad
    input_series:
      - series: up{job="a", instance="x"}
        values: 1
    promql_expr_test:
      - expr: up
        exp_samples: []
`;

describe('testRulesCommand', () => {
  test('rules, alerts, external labels and URL; --run; warnings; exit codes', async () => {
    const tmp = tempDir();
    try {
      tmp.write('rules.yml', RULES);
      const file = tmp.write('t.yml', TESTS);
      let c = capture();
      assert.equal(await testRulesCommand(['--run', 'good', file], c.host, deps), 0);
      assert.deepEqual(c.out, [`Unit Testing:  ${file}\n`, '  SUCCESS\n', '\n']);
      assert.match(c.err[0], /^ {2}WARNING: no file match pattern .*missing-\*\.yml$/);
      c = capture();
      assert.equal(await testRulesCommand([file], c.host, deps), 1);
      assert.equal(c.err[1], '  FAILED:');
      assert.equal(
        c.err[2],
        '    expr: "up", time: 0s,\n        exp: nil\n' +
          '        got: {__name__="up", instance="x", job="a"} 1E+00',
      );
    } finally {
      tmp.remove();
    }
  });

  test('flag errors', async () => {
    const c = capture();
    await assert.rejects(testRulesCommand([], c.host, deps), FlagError);
    await assert.rejects(testRulesCommand(['--bogus', 'x.yml'], c.host, deps), FlagError);
    assert.equal(await testRulesCommand(['/nonexistent/t.yml'], c.host, deps), 1);
    assert.equal(c.err[0], '  FAILED:');
  });
});
