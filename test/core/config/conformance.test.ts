// Prometheus's own config test files (../shared/testdata/prometheus-config/): every good file
// loads, every bad file is rejected for the reason upstream's config_test.go names, and every
// error names a position.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigLoadError, loadConfig } from '../../../core/config/mod.ts';
import { nodeConfigFS } from './fs_helper.ts';

const dir = fileURLToPath(
  new URL('../../../../shared/testdata/prometheus-config/', import.meta.url),
);
const present = existsSync(path.join(dir, 'expected_errors.json'));

// Files without a .good/.bad suffix, classified as upstream's config_test.go treats them when
// Prometheus runs in server mode. Beacon has no agent mode, so the agent_mode.* files (which
// upstream only rejects with --agent) are ordinary valid configs here.
const EXTRA_GOOD = [
  /^agent_mode\..*\.yml$/,
  /^otlp_empty\.yml$/,
  /^scrape_config_.*validation_mode\.yml$/,
  /^scrape_config_local_infer_escaping\.yml$/,
];
// Alertmanager API v1 is gone (only v2), and the OTLP UTF-8 strategies need utf8 validation.
const EXTRA_BAD = [/^config_with_deprecated_am_api_config\.yml$/, /\.incompatible\.yml$/];

// Where our wording differs from Go's, the equivalent we accept, and why:
// - Go names its internal decoder types ("config.plain"); we name the section instead.
// - Go's yaml.v2 reports a duplicate key as "already set in type X"; we say "in this mapping".
// - Prometheus's duration parser says `not a valid duration string: "x"`; our shared duration
//   schema says `invalid duration "x"` (the form the config issue asks for).
const EQUIVALENT: [RegExp, (m: RegExpMatchArray) => RegExp][] = [
  [/^field (\S+) not found in type/, (m) => new RegExp(`field ${m[1]} not found in type`)],
  [/^field (\S+) already set in type/, (m) => new RegExp(`field ${m[1]} already set`)],
  [/^not a valid duration string: (".*")$/, (m) => new RegExp(`invalid duration ${escape(m[1])}`)],
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function accepts(expected: string, message: string): boolean {
  // Upstream's LoadFile prefixes "parsing YAML file <path>: "; our errors carry the file apart.
  const want = expected.replace(/^parsing YAML file \S+: /, '');
  if (message.includes(want)) return true;
  for (const [re, make] of EQUIVALENT) {
    const m = want.match(re);
    if (m && make(m).test(message)) return true;
  }
  return false;
}

describe('prometheus-config conformance', () => {
  if (!present) {
    if (process.env.CI === 'true') {
      test('testdata present', () => assert.fail(`missing ${dir}`));
    } else {
      test('skipped: ../shared/testdata/prometheus-config is absent', () => {});
    }
    return;
  }

  const expected = new Map<string, string>(
    (JSON.parse(readFileSync(path.join(dir, 'expected_errors.json'), 'utf8')) as {
      file: string;
      error: string;
    }[]).map((e) => [e.file, e.error]),
  );
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  const good = files.filter((f) => f.endsWith('.good.yml') || EXTRA_GOOD.some((re) => re.test(f)));
  const bad = files.filter((f) => f.endsWith('.bad.yml') || EXTRA_BAD.some((re) => re.test(f)));
  const tally = { good: 0, bad: 0, reason: 0 };

  test('every file is classified', () => {
    const left = files.filter((f) => !good.includes(f) && !bad.includes(f));
    assert.deepEqual(left, []);
    for (const f of expected.keys()) assert.ok(bad.includes(f), `${f} listed but not found`);
  });

  for (const f of good) {
    test(`loads ${f}`, async () => {
      try {
        await loadConfig(path.join(dir, f), nodeConfigFS);
      } catch (e) {
        if (e instanceof ConfigLoadError) assert.fail(e.message);
        throw e;
      }
      tally.good++;
    });
  }

  for (const f of bad) {
    test(`rejects ${f}`, async () => {
      const file = path.join(dir, f);
      const err = await loadConfig(file, nodeConfigFS).then(
        () => assert.fail(`${f} was accepted`),
        (e) => e,
      );
      assert.ok(err instanceof ConfigLoadError, String(err));
      assert.ok(err.errors.length > 0);
      for (const e of err.errors) {
        assert.ok(e.line >= 1 && e.column >= 1, `no position: ${e}`);
        assert.ok(e.file.endsWith('.yml'), `no file: ${e}`);
      }
      tally.bad++;
      const want = expected.get(f);
      if (want !== undefined) {
        const messages = err.errors.map((e: { message: string }) => e.message);
        assert.ok(
          messages.some((m: string) => accepts(want, m)),
          `expected a reason like ${JSON.stringify(want)}, got:\n  ${err.errors.join('\n  ')}`,
        );
        tally.reason++;
      }
    });
  }

  test('summary', () => {
    console.log(
      `prometheus-config: ${tally.good}/${good.length} good files load, ${tally.bad}/${bad.length} bad files rejected, ${tally.reason}/${expected.size} with the expected reason`,
    );
  });
});
