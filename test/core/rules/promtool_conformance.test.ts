// promtool's test files (../shared/testdata/promtool/): `check rules` gives promtool's verdict
// on every file there — rule files pass, fail or draw the duplicate-rules lint as upstream's
// cmd/promtool tests expect, and every other file (unit tests, configs, SD files, metric dumps)
// is rejected because it is not a rule file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  checkRules,
  type CheckRulesFileResult,
  type CheckRulesOptions,
  checkRuleText,
  formatCheckRules,
} from '../../../core/rules/mod.ts';
import { ALL_FEATURES, parseExpr } from '../../../plugins/promql/parser/mod.ts';

const dir = fileURLToPath(new URL('../../../../shared/testdata/promtool/', import.meta.url));
const present = existsSync(path.join(dir, 'rules.yml'));
const fs = { readTextFile: (p: string) => Promise.resolve(readFileSync(p, 'utf8')) };
const opts: CheckRulesOptions = { parseExpr: (t) => parseExpr(t) };

type Expect =
  | { status: 'success'; rules: number }
  | { status: 'failed'; reason: RegExp[] }
  | { status: 'lint'; duplicates: string[] };

// The rule files, with promtool's verdict under its defaults (`--lint=duplicate-rules`).
const RULE_FILES: Record<string, Expect> = {
  'rules.yml': { status: 'success', rules: 5 },
  'rules-bad.yml': {
    status: 'failed',
    reason: [
      /annotation "summary": template: __alert_InstanceDown:1: undefined variable "\$label"/,
    ],
  },
  'rules_duplicates.yml': { status: 'lint', duplicates: ['job:test:count_over_time1m{}'] },
  'prometheus-rules.lint.yml': {
    status: 'lint',
    duplicates: ['HighRequestLatency{severity="page"}'],
  },
  'rules_large.yml': {
    status: 'lint',
    duplicates: [
      'job:http_inprogress_requests:sum:1{job="job1"}',
      'job:http_inprogress_requests:sum:10000{job="job10000"}',
    ],
  },
  'rules_extrafields.yml': {
    status: 'failed',
    reason: [/field namespace not found/, /field ownership not found/],
  },
  'bad-rules-error.yml': { status: 'success', rules: 1 }, // fails only when evaluated
  'bad-rules-syntax.yml': { status: 'failed', reason: [/unexpected end of input/] },
  'at-modifier.yml': { status: 'success', rules: 1 },
  'negative-offset.yml': { status: 'success', rules: 1 },
  // Needs --enable-feature flags for all four expressions.
  'features.yml': {
    status: 'failed',
    reason: [/sort_by_label/, /duration expression/, /anchored/, /fill modifiers/],
  },
  'prometheus-config.rules.good.yml': { status: 'success', rules: 0 },
  // Empty files hold no groups, which is fine.
  'prometheus-config.good.yml': { status: 'success', rules: 0 },
  'bad-sd-file-extension.nonexistent': { status: 'success', rules: 0 },
};

function duplicatesOf(r: CheckRulesFileResult): string[] {
  return r.duplicates.map((d) => `${d.metric}${d.labels.toString()}`);
}

function check(file: string, extra: Partial<CheckRulesOptions> = {}): CheckRulesFileResult {
  const p = path.join(dir, file);
  return checkRuleText(readFileSync(p, 'utf8'), p, { ...opts, ...extra });
}

describe('promtool check rules conformance', () => {
  if (!present) {
    if (process.env.CI === 'true') test('testdata present', () => assert.fail(`missing ${dir}`));
    else test('skipped: ../shared/testdata/promtool is absent', () => {});
    return;
  }
  const files = readdirSync(dir).filter((f) => f !== 'LICENSE').sort();

  test('the listed rule files exist', () => {
    for (const f of Object.keys(RULE_FILES)) assert.ok(files.includes(f), f);
  });

  for (const [file, want] of Object.entries(RULE_FILES)) {
    test(`${file}: ${want.status}`, () => {
      const r = check(file);
      assert.equal(r.status, want.status, r.errors.join('\n'));
      if (want.status === 'success') assert.equal(r.ruleCount, want.rules);
      if (want.status === 'lint') assert.deepEqual(duplicatesOf(r), want.duplicates);
      if (want.status === 'failed') {
        for (const re of want.reason) {
          assert.ok(
            r.errors.some((e) => re.test(e.message)),
            `${re} not in:\n${r.errors.join('\n')}`,
          );
        }
        for (const e of r.errors) {
          assert.ok(e.line >= 1 && e.column >= 1 && e.file.endsWith(file), String(e));
        }
      }
    });
  }

  for (const file of files.filter((f) => !(f in RULE_FILES))) {
    test(`${file}: not a rule file, failed`, () => {
      const r = check(file);
      assert.equal(r.status, 'failed');
      assert.ok(r.errors.length > 0);
    });
  }

  test('features.yml passes with the experimental PromQL features on', () => {
    const r = check('features.yml', { parseExpr: (t) => parseExpr(t, ALL_FEATURES) });
    assert.equal(r.status, 'success', r.errors.join('\n'));
    assert.equal(r.ruleCount, 4);
  });

  test('rules_extrafields.yml passes with ignoreUnknownFields', () => {
    const r = check('rules_extrafields.yml', { ignoreUnknownFields: true });
    assert.equal(r.status, 'success', r.errors.join('\n'));
    assert.equal(r.ruleCount, 5);
  });

  test('--lint=none silences the duplicate-rules lint', () => {
    const r = check('rules_duplicates.yml', { lint: 'none' });
    assert.equal(r.status, 'success');
    assert.equal(r.ruleCount, 5);
  });

  test('exit codes: good 0, bad 1, lint 0 or 3 with lintFatal', async () => {
    const p = (f: string) => path.join(dir, f);
    assert.equal((await checkRules([p('rules.yml')], fs, opts)).exitCode, 0);
    assert.equal((await checkRules([p('rules-bad.yml')], fs, opts)).exitCode, 1);
    const lint = [p('prometheus-rules.lint.yml')];
    assert.equal((await checkRules(lint, fs, opts)).exitCode, 0);
    assert.equal((await checkRules(lint, fs, { ...opts, lintFatal: true })).exitCode, 3);
    const mixed = [p('rules.yml'), p('rules-bad.yml'), p('rules_duplicates.yml')];
    assert.equal((await checkRules(mixed, fs, { ...opts, lintFatal: true })).exitCode, 1);
  });

  test('report lines read as promtool prints them', async () => {
    const p = (f: string) => path.join(dir, f);
    const files = [p('rules.yml'), p('bad-rules-syntax.yml'), p('rules_duplicates.yml')];
    const lines = formatCheckRules(await checkRules(files, fs, opts));
    const text = lines.map((l) => `${l.stream === 'stderr' ? '!' : ' '}${l.text}`).join('\n');
    assert.equal(
      text,
      [
        ` Checking ${p('rules.yml')}`,
        '   SUCCESS: 5 rules found',
        ' ',
        ` Checking ${p('bad-rules-syntax.yml')}`,
        '!  FAILED:',
        `!${
          p('bad-rules-syntax.yml')
        }:7:15: groups[0].rules[0].expr: 1:7: parse error: unexpected end of input`,
        ` Checking ${p('rules_duplicates.yml')}`,
        '!  FAILED:',
        '!lint error 1 duplicate rule(s) found.',
        '!Metric: job:test:count_over_time1m',
        '!Label(s):',
        '!Might cause inconsistency while recording expressions',
        ' ',
      ].join('\n'),
    );
  });
});
