// Prometheus's PromQL test scripts (../shared/testdata/promqltest/*.test) run against Beacon's
// engine over the memory storage. Every eval of the required files must pass, except those
// pinned in promqltest-known-failures.json; a pinned eval that starts passing fails the test,
// so that list only shrinks. Experimental files are reported as figures only.
// PROMQLTEST_WRITE_KNOWN=1 rewrites the pinned list from the current failures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { type EvalOutcome, runScript } from './promqltest_runner.ts';

const dir = fileURLToPath(new URL('../../../shared/testdata/promqltest/', import.meta.url));
const knownPath = fileURLToPath(new URL('./promqltest-known-failures.json', import.meta.url));
const present = existsSync(dir);

const REQUIRED = new Set([
  'aggregators.test',
  'at_modifier.test',
  'functions.test',
  'histograms.test',
  'literals.test',
  'operators.test',
  'selectors.test',
  'staleness.test',
  'limit.test',
]);

describe('promqltest conformance (engine)', () => {
  if (!present) {
    test('promqltest data', { skip: process.env.CI !== 'true' }, () => {
      assert.fail(`no PromQL test scripts at ${dir}`);
    });
    if (process.env.CI !== 'true') console.log(`skipping: no PromQL test scripts at ${dir}`);
    return;
  }

  test('every eval of the required files passes, except the pinned known failures', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();
    const known: Record<string, string> = JSON.parse(readFileSync(knownPath, 'utf8'));
    const failures: Record<string, string> = {};
    const unexpected: string[] = [];
    const fixed: string[] = [];
    const rows: string[] = [];
    for (const f of files) {
      const outcomes: EvalOutcome[] = await runScript(f, readFileSync(path.join(dir, f), 'utf8'));
      const count = (s: string) => outcomes.filter((o) => o.status === s).length;
      const required = REQUIRED.has(f);
      rows.push(
        `${f.padEnd(28)} ${required ? 'required    ' : 'experimental'} passed ${
          String(count('pass')).padStart(4)
        }  failed ${String(count('fail')).padStart(4)}  skipped ${
          String(count('skip')).padStart(4)
        }`,
      );
      if (!required) continue;
      for (const o of outcomes) {
        if (o.status === 'fail') {
          failures[o.id] = (o.reason ?? '').slice(0, 200);
          if (!(o.id in known)) unexpected.push(`${o.id}: ${o.reason}`);
        } else if (o.id in known) {
          fixed.push(o.id);
        }
      }
    }
    for (const id of Object.keys(known)) {
      const file = id.slice(0, id.lastIndexOf(':'));
      if (!files.includes(file) && !fixed.includes(id)) fixed.push(id);
    }
    console.log(`PromQL test scripts:\n${rows.join('\n')}`);
    if (process.env.PROMQLTEST_WRITE_KNOWN === '1') {
      writeFileSync(knownPath, JSON.stringify(failures, null, 2) + '\n');
      return;
    }
    assert.deepEqual(unexpected, [], 'evals that fail and are not pinned as known failures');
    assert.deepEqual(fixed, [], 'pinned known failures that now pass: remove them from the list');
  });
});
