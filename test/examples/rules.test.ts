// Every rule file in examples/rules passes Beacon's check rules and, when installed (always under
// CI=true), promtool's; their unit tests in examples/rules/tests pass under both `test rules`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { checkRules } from '../../core/rules/mod.ts';
import { testRulesCommand } from '../../core/cli/test_rules.ts';
import type { Host } from '../../core/host.ts';
import { parsePromQL, ruleUnitTestDeps } from '../../plugins/mod.ts';
import { host, repoRoot, tempDir } from '../helpers/host.ts';

const dir = path.join(repoRoot, 'examples', 'rules');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => path.join(dir, f));
const testDir = path.join(dir, 'tests');
const testFiles = readdirSync(testDir).filter((f) => f.endsWith('_test.yml'))
  .map((f) => path.join(testDir, f));
const PROMTOOL = '/usr/bin/promtool';

/** `beacon test rules FILE…` as the CLI runs it: exit code and everything it printed. */
async function beaconTestRules(files: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const h = Object.create(host) as Host;
  h.writeOut = (t: string) => void out.push(t);
  h.writeErr = (t: string) => void out.push(t);
  const code = await testRulesCommand(files, h, ruleUnitTestDeps());
  return { code, out: out.join('') };
}

function promtoolTestRules(files: string[]): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync(PROMTOOL, ['test', 'rules', ...files], { encoding: 'utf8' }),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}
if (!existsSync(PROMTOOL) && process.env.CI === 'true') {
  throw new Error('promtool is not installed (Debian package prometheus); CI=true requires it');
}

describe('examples/rules', () => {
  test('there are example rule files', () => {
    assert.ok(files.length >= 3);
  });

  test('every rule file has unit tests', () => {
    const tested = new Set(testFiles.map((f) => path.basename(f).replace('_test.yml', '.yml')));
    assert.deepEqual(files.map((f) => path.basename(f)).filter((f) => !tested.has(f)), []);
  });

  for (const file of testFiles) {
    test(`${path.basename(file)} passes beacon test rules`, async () => {
      const r = await beaconTestRules([file]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /SUCCESS/);
    });

    test(
      `${path.basename(file)} passes promtool test rules`,
      { skip: !existsSync(PROMTOOL) },
      () => {
        const r = promtoolTestRules([file]);
        assert.equal(r.code, 0, r.out);
      },
    );
  }

  test('a wrong expectation fails under both', async () => {
    // A copy beside a copy of the rule file (rule_files are relative) with one annotation changed.
    const tmp = tempDir();
    mkdirSync(path.join(tmp.dir, 'tests'));
    const copy = path.join(tmp.dir, 'tests', 'slo_test.yml');
    tmp.write('slo.yml', readFileSync(path.join(dir, 'slo.yml'), 'utf8'));
    const text = readFileSync(path.join(testDir, 'slo_test.yml'), 'utf8');
    assert.ok(text.includes('1.961%'));
    writeFileSync(copy, text.replace('1.961%', '1.96%'));
    const beacon = await beaconTestRules([copy]);
    assert.equal(beacon.code, 1, beacon.out);
    assert.match(beacon.out, /FAILED/);
    if (existsSync(PROMTOOL)) assert.equal(promtoolTestRules([copy]).code, 1);
    tmp.remove();
  });

  for (const file of files) {
    test(`${path.basename(file)} passes beacon check rules`, async () => {
      const r = await checkRules([file], host, { parseExpr: parsePromQL, lintFatal: true });
      assert.equal(r.exitCode, 0, JSON.stringify(r.files[0].errors.map(String)));
      assert.ok(r.files[0].ruleCount > 0);
    });

    test(
      `${path.basename(file)} passes promtool check rules`,
      { skip: !existsSync(PROMTOOL) },
      () => {
        const out = execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
        assert.match(out, /SUCCESS: \d+ rules found/);
      },
    );
  }
});
