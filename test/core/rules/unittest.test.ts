// `beacon test rules` on promtool's test files (../shared/testdata/promtool/): the verdicts of
// upstream's cmd/promtool/unittest_test.go under promtool's CLI settings (the @ modifier and
// negative offsets enabled), with a real PromQL engine over memory storage.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  formatUnitTestResults,
  runRuleUnitTests,
  type UnitTestDeps,
  type UnitTestOptions,
} from '../../../core/rules/unittest.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { Engine } from '../../../plugins/promql/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';

const dir = fileURLToPath(new URL('../../../../shared/testdata/promtool/', import.meta.url));
const present = existsSync(path.join(dir, 'unittest.yml'));
if (!present && process.env.CI === 'true') throw new Error(`promtool testdata missing: ${dir}`);
if (!present) console.log(`skipping promtool unit-test files: ${dir} is absent`);

const engines = new Map<number, Engine>();
const deps: UnitTestDeps = {
  parseExpr: (t) => parseExpr(t),
  createStorage: () => new MemoryStorage(),
  query(storage, expr, t, { subqueryStepMs }) {
    let engine = engines.get(subqueryStepMs);
    if (!engine) engines.set(subqueryStepMs, engine = new Engine({ subqueryStep: subqueryStepMs }));
    return engine.instantQuery(storage, expr, t);
  },
};

async function verdict(files: string[], opts: UnitTestOptions = {}) {
  const results = await runRuleUnitTests(files, host, deps, opts);
  const { lines, exitCode } = formatUnitTestResults(results);
  return { results, exitCode, text: lines.map((l) => l.text).join('\n') };
}

// File, options, expected exit code: upstream's table, run as `promtool test rules` runs it.
const CASES: [string, UnitTestOptions, number][] = [
  ['long-period.yml', {}, 0],
  ['bad-input-series.yml', {}, 1],
  ['bad-promql.yml', {}, 1],
  ['bad-rules-syntax-test.yml', {}, 1],
  ['bad-rules-error-test.yml', {}, 1],
  ['failing.yml', {}, 1],
  ['at-modifier-test.yml', {}, 0],
  ['negative-offset-test.yml', {}, 0],
  ['no-test-group-interval.yml', {}, 0],
  ['start-time-test.yml', {}, 0],
  ['rules_run.yml', {}, 1],
  ['rules_run.yml', { run: ['correct', 'wrong'] }, 1],
  ['rules_run.yml', { run: ['correct'] }, 0],
  ['rules_run.yml', { run: ['wrong'] }, 1],
  ['rules_run_extrafields.yml', { ignoreUnknownFields: true }, 0],
  ['rules_run_extrafields.yml', {}, 1],
  ['rules_run_no_fuzzy.yml', {}, 1],
  ['rules_run_fuzzy.yml', { run: ['correct'] }, 0],
  ['rules_run_fuzzy.yml', { run: ['wrong'] }, 1],
];

describe('promtool test rules verdicts', { skip: !present }, () => {
  for (const [file, opts, want] of CASES) {
    test(`${file} ${JSON.stringify(opts)} → ${want}`, async () => {
      const { exitCode, text } = await verdict([path.join(dir, file)], opts);
      assert.equal(exitCode, want, text);
      assert.match(text, new RegExp(`^Unit Testing:  .*${file.replaceAll('.', '\\.')}\n`));
      assert.match(text, want === 0 ? /\n {2}SUCCESS\n/ : /\n {2}FAILED:\n/);
    });
  }

  test('unittest.yml passes without its native-histogram cases, which are unsupported', async () => {
    // The whole file fails only because of native histograms.
    const full = await verdict([path.join(dir, 'unittest.yml')]);
    assert.equal(full.exitCode, 1);
    assert.deepEqual(full.results[0].errors, [
      'native histogram values ({{…}}) are not supported',
    ]);
    // Without them (the series and the expectations that use them), every other case passes.
    const doc = parse(readFileSync(path.join(dir, 'unittest.yml'), 'utf8'));
    doc.rule_files = [path.join(dir, 'rules.yml')];
    const first = doc.tests[0];
    const before = first.input_series.length + first.promql_expr_test.length;
    first.input_series = first.input_series.filter((s: { series: string }) =>
      !s.series.startsWith('test_histogram')
    );
    first.promql_expr_test = first.promql_expr_test.filter((c: { expr: string }) =>
      !c.expr.startsWith('test_histogram')
    );
    assert.equal(before - first.input_series.length - first.promql_expr_test.length, 6);
    const tmp = tempDir();
    try {
      const file = tmp.write('unittest.yml', stringify(doc));
      const { exitCode, text } = await verdict([file]);
      assert.equal(exitCode, 0, text);
    } finally {
      tmp.remove();
    }
  });

  test('failure report is promtool-shaped', async () => {
    const { results } = await verdict([path.join(dir, 'failing.yml')]);
    assert.deepEqual(results[0].errors, [
      '    name: Failing test,\n    alertname: Test, time: 0s, \n' +
      '        exp:[\n            0:\n              Labels:{alertname="Test"}\n' +
      '              Annotations:{}\n            ], \n        got:[]',
      '    expr: "test", time: 0s,\n        exp: {__name__="test"} 1E+00\n' +
      '        got: {__name__="test"} 0E+00',
      '    name: Failing alert test,\n    alertname: InstanceDown, time: 5m, \n' +
      '        exp:[], \n        got:[\n            0:\n' +
      '              Labels:{alertname="InstanceDown", job="test", severity="page"}\n' +
      '              Annotations:{description=" of job test has been down for more than 5 minutes.", summary="Instance  down"}\n' +
      '            ]',
      '    name: Failing alert test,\n    alertname: AlwaysFiring, time: 5m, \n' +
      '        exp:[], \n        got:[\n            0:\n' +
      '              Labels:{alertname="AlwaysFiring"}\n              Annotations:{}\n            ]',
    ]);
    const bad = await verdict([path.join(dir, 'bad-rules-error-test.yml')]);
    assert.match(bad.results[0].errors[0], /^ {4}rule: joined, time: 0s, err: .*many-to-many/);
  });

  test('several files: one line per file, exit 1 when any fails', async () => {
    const files = ['no-test-group-interval.yml', 'failing.yml'].map((f) => path.join(dir, f));
    const { exitCode, results } = await verdict(files);
    assert.equal(exitCode, 1);
    assert.deepEqual(results.map((r) => r.errors.length > 0), [false, true]);
  });
});
