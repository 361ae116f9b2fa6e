// Every query in Prometheus's PromQL test scripts (../shared/testdata/promqltest/*.test) that
// is not expected to fail must parse, and its printed form must parse back to the same text.
// Queries expected to fail may fail at evaluation instead, so for them only the outcome is
// recorded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ALL_FEATURES, formatExpr, parseExpr } from '../../../../plugins/promql/parser/mod.ts';

const dir = fileURLToPath(new URL('../../../../../shared/testdata/promqltest/', import.meta.url));
const present = existsSync(dir);

const EVAL =
  /^eval(_fail|_ordered|_warn|_info)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.+)$/;

interface Case {
  line: number;
  query: string;
  expectFail: boolean;
}

/** The eval commands of one script, with whether an `expect fail` (or `eval_fail`) follows. */
function evalCases(text: string): Case[] {
  const lines = text.split('\n');
  const out: Case[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = EVAL.exec(lines[i]);
    if (!m) continue;
    let expectFail = m[1] === '_fail';
    for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j]); j++) {
      if (/^\s*expect\s+fail\b/.test(lines[j])) expectFail = true;
    }
    out.push({ line: i + 1, query: m[2].trim(), expectFail });
  }
  return out;
}

describe('promqltest conformance (parser)', () => {
  if (!present) {
    if (process.env.CI === 'true') test('testdata present', () => assert.fail(`missing ${dir}`));
    else test('skipped: ../shared/testdata/promqltest is absent', () => {});
    return;
  }

  const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();
  let parsed = 0;
  let failCases = 0;
  let failAtParse = 0;

  for (const file of files) {
    test(file, () => {
      const problems: string[] = [];
      for (const c of evalCases(readFileSync(path.join(dir, file), 'utf8'))) {
        let printed: string;
        try {
          printed = formatExpr(parseExpr(c.query, ALL_FEATURES));
        } catch (e) {
          if (c.expectFail) {
            failCases++;
            failAtParse++;
          } else problems.push(`${file}:${c.line}: ${c.query}: ${(e as Error).message}`);
          continue;
        }
        if (c.expectFail) {
          failCases++;
          continue;
        }
        parsed++;
        const again = formatExpr(parseExpr(printed, ALL_FEATURES));
        if (again !== printed) problems.push(`${file}:${c.line}: ${printed} reprints as ${again}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test('summary', () => {
    // 2077 queries are expected to succeed in the scripts of upstream commit d15adb9.
    assert.ok(parsed >= 2000, `only ${parsed} queries parsed`);
    console.log(
      `promqltest parser conformance: ${parsed} queries parsed; ${failCases} expected failures ` +
        `(${failAtParse} of them rejected by the parser, the rest fail at evaluation)`,
    );
  });
});
