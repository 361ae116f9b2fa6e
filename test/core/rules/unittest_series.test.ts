import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expandValues,
  parseGoFloat,
  parseMetric,
  parseSeriesDesc,
  SeriesNotationError,
} from '../../../core/rules/unittest_series.ts';
import { parseTestTime, parseUnitTestFile } from '../../../core/rules/unittest_file.ts';
import { goDuration, goFloatE } from '../../../core/rules/unittest.ts';

const floats = (s: string) =>
  expandValues(s).map((v) => (v.kind === 'float' ? v.v : v.kind === 'stale' ? 'stale' : '_'));

describe('unit-test series notation', () => {
  test('expansions', () => {
    assert.deepEqual(floats('1+2x3'), [1, 3, 5, 7]);
    assert.deepEqual(floats('5-1x2'), [5, 4, 3]);
    assert.deepEqual(floats('1x2'), [1, 1, 1]);
    assert.deepEqual(floats('-2+1x1 _x2 _ stale 1e3 -Inf NaN'), [
      -2,
      -1,
      '_',
      '_',
      '_',
      'stale',
      1000,
      -Infinity,
      NaN,
    ]);
    assert.deepEqual(floats('1e-3+1e-3x1'), [0.001, 0.002]);
    assert.throws(() => expandValues('{{schema:1}}'), SeriesNotationError);
    assert.throws(() => expandValues('1+x2'), SeriesNotationError);
    assert.throws(() => expandValues('abc'), SeriesNotationError);
    assert.equal(parseGoFloat('0x10'), 16);
  });

  test('metrics', () => {
    assert.equal(parseMetric('').toString(), '{}');
    assert.equal(parseMetric('{}').toString(), '{}');
    assert.equal(parseMetric('up').toString(), '{__name__="up"}');
    assert.equal(
      parseMetric(`up{job="a\\"b", i='x',}`).toString(),
      '{__name__="up", i="x", job="a\\"b"}',
    );
    assert.equal(parseMetric('{"my.metric", a="1"}').toString(), '{__name__="my.metric", a="1"}');
    assert.equal(parseMetric('job:x:rate5m{job="t"}').get('__name__'), 'job:x:rate5m');
    for (
      const bad of ['up{job="a"', 'up{job=~"a"}', 'up{job="a"} x', 'up{job=a}', '{a="1",a="2"}']
    ) {
      assert.throws(() => parseMetric(bad), SeriesNotationError, bad);
    }
    const d = parseSeriesDesc('up{instance="a b"} 0+1x2');
    assert.equal(d.labels.get('instance'), 'a b');
    assert.equal(d.values.length, 3);
  });

  test('Go-style formatting', () => {
    assert.equal(goFloatE(1), '1E+00');
    assert.equal(goFloatE(60), '6E+01');
    assert.equal(goFloatE(3.0000000000000004), '3.0000000000000004E+00');
    assert.equal(goFloatE(1.5e-7), '1.5E-07');
    assert.equal(goFloatE(-Infinity), '-Inf');
    assert.equal(goDuration(0), '0s');
    assert.equal(goDuration(60_000), '1m0s');
    assert.equal(goDuration(86_400_000), '24h0m0s');
    assert.equal(goDuration(1500), '1.5s');
  });
});

describe('unit-test file', () => {
  test('defaults and fields', () => {
    const f = parseUnitTestFile(`
rule_files: [a.yml]
tests:
  - name: t
    interval: 30s
    start_timestamp: 1609459200
    external_labels: { dc: eu }
    external_url: http://x
    input_series:
      - series: up
        values: 1 2
    alert_rule_test:
      - eval_time: 1m
        alertname: A
        exp_alerts:
          - exp_labels: { a: "1" }
    promql_expr_test:
      - expr: up
        eval_time: 2m59s999ms
        exp_samples:
          - labels: up
            value: 2.9999999999999996
`);
    assert.equal(f.evaluationInterval, 60_000);
    assert.equal(f.fuzzyCompare, false);
    const t = f.tests[0];
    assert.equal(t.interval, 30_000);
    assert.equal(t.startTimestamp, 1609459200_000);
    assert.deepEqual(t.externalLabels, { dc: 'eu' });
    assert.equal(t.inputSeries[0].values, '1 2');
    assert.deepEqual(t.alertCases[0].expAlerts, [{ labels: { a: '1' }, annotations: {} }]);
    assert.equal(t.exprCases[0].evalTime, 179_999);
    assert.equal(t.exprCases[0].expSamples[0].value, 2.9999999999999996);
    assert.equal(parseTestTime('2024-01-01T00:00:00Z'), 1704067200_000);
  });

  test('strict: unknown keys and bad values are errors', () => {
    assert.throws(() => parseUnitTestFile('rule_file: [a]'), /field rule_file not found/);
    assert.throws(
      () => parseUnitTestFile('tests: [{intervall: 1m}]'),
      /tests\[0\]: field intervall/,
    );
    assert.throws(() => parseUnitTestFile('evaluation_interval: 1x'), /not a valid duration/);
    assert.throws(() => parseUnitTestFile('tests: [{start_timestamp: soon}]'), /timestamp/);
    assert.throws(() => parseUnitTestFile('a: 1\na: 2'), /yaml/);
  });
});
