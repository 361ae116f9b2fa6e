// OpenMetrics conformance: every upstream parser case in scrape mode (as Prometheus 2.42's
// scraper decided) and in strict mode (as the case's shouldParse says).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser } from '../../../core/exposition/parser.ts';
import { ParseError } from '../../../core/exposition/parse_error.ts';

const root = fileURLToPath(new URL('../../../../shared/testdata/openmetrics/', import.meta.url));
const present = existsSync(root);
const CT = 'application/openmetrics-text; version=1.0.0';

/** Parses like the scrape loop (labels and exemplars built); returns the error or undefined. */
function parseAll(bytes: Uint8Array, strict: boolean): ParseError | undefined {
  try {
    const p = createParser(bytes, CT, { strict });
    for (let k = p.next(); k !== 'eof'; k = p.next()) {
      if (k === 'series') {
        p.labels();
        p.exemplar();
      }
    }
    return undefined;
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
}

if (!present) {
  if (process.env.CI === 'true') {
    test('openmetrics testdata present', () => assert.fail(`missing ${root}`));
  } else {
    console.log(`skip: OpenMetrics conformance, ${root} is absent`);
  }
} else {
  const up: Record<string, boolean> =
    JSON.parse(readFileSync(root + 'prometheus-2.42-scrape.json', 'utf8')).up;
  const cases = readdirSync(root).filter((d) => existsSync(`${root}${d}/test.json`)).sort();

  describe('OpenMetrics conformance', () => {
    test('finds the cases', () => {
      assert.ok(cases.length >= 160, `only ${cases.length} cases`);
      for (const c of cases) assert.equal(typeof up[c], 'boolean', `${c} missing in scrape json`);
    });

    test('scrape mode accepts exactly what Prometheus 2.42 kept up', () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const err = parseAll(readFileSync(`${root}${c}/metrics`), false);
        if ((err === undefined) !== up[c]) wrong.push(`${c}: ${err?.message ?? 'accepted'}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('strict mode follows shouldParse and names the line', () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const meta = JSON.parse(readFileSync(`${root}${c}/test.json`, 'utf8'));
        const bytes = readFileSync(`${root}${c}/metrics`);
        const err = parseAll(bytes, true);
        if ((err === undefined) !== meta.shouldParse) {
          wrong.push(`${c}: ${err?.message ?? 'accepted'}`);
        } else if (err !== undefined) {
          const lines = new TextDecoder().decode(bytes).split('\n').length;
          if (
            !(err.line >= 1 && err.line <= lines) || !err.message.startsWith(`line ${err.line}:`)
          ) {
            wrong.push(`${c}: bad line in ${err.message}`);
          }
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}
