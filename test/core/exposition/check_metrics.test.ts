import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMetrics } from '../../../core/exposition/check_metrics.ts';

describe('checkMetrics', () => {
  test('valid OpenMetrics, detected by # EOF', () => {
    const r = checkMetrics('# TYPE a counter\n# HELP a Things.\na_total 1\n# EOF\n');
    assert.equal(r.format, 'openmetrics');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
  });

  test('strict errors carry the line', () => {
    const r = checkMetrics(new TextEncoder().encode('# TYPE a counter\na_total -1\n# EOF\n'));
    assert.deepEqual(r.errors, [{ line: 2, message: 'a_total must be a non-negative number' }]);
  });

  test('declared OpenMetrics without # EOF is an error', () => {
    const r = checkMetrics('a 1\n', 'application/openmetrics-text');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /EOF/);
  });

  test('text format with lint warnings kept apart from errors', () => {
    const r = checkMetrics('# TYPE requests counter\nrequests 1\nfooBar 2\n');
    assert.equal(r.format, 'text');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => w.message), [
      'requests: no help text',
      'requests: counter metrics should have "_total" suffix',
      'fooBar: no help text',
      "fooBar: metric names should be written in 'snake_case' not 'camelCase'",
    ]);
  });

  test('text format syntax error', () => {
    const r = checkMetrics('# HELP a x\na 1\na{b="c"\n');
    assert.deepEqual(r.errors.map((e) => e.line), [3]);
  });
});
