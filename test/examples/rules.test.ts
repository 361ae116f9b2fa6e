// Every rule file in examples/rules passes Beacon's check rules and, when installed (always under
// CI=true), promtool's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { checkRules } from '../../core/rules/mod.ts';
import { parsePromQL } from '../../plugins/mod.ts';
import { host, repoRoot } from '../helpers/host.ts';

const dir = path.join(repoRoot, 'examples', 'rules');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => path.join(dir, f));
const PROMTOOL = '/usr/bin/promtool';
if (!existsSync(PROMTOOL) && process.env.CI === 'true') {
  throw new Error('promtool is not installed (Debian package prometheus); CI=true requires it');
}

describe('examples/rules', () => {
  test('there are example rule files', () => {
    assert.ok(files.length >= 3);
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
