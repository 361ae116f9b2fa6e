// Durations, floats and the function table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration,
  formatFloat,
  FUNCTIONS,
  parseDuration,
} from '../../../../plugins/promql/parser/mod.ts';

describe('durations', () => {
  test('parse', () => {
    assert.equal(parseDuration('0'), 0);
    assert.equal(
      parseDuration('1y2w3d4h5m6s7ms'),
      (((((365 + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000) + 7,
    );
    assert.equal(parseDuration('90s'), 90_000);
    assert.throws(() => parseDuration('1m1h'), { message: 'not a valid duration string: "1m1h"' });
    assert.throws(() => parseDuration('5y1hs'), {
      message: 'unknown unit "hs" in duration "5y1hs"',
    });
    assert.throws(() => parseDuration('1.5m'), { message: 'unknown unit "." in duration "1.5m"' });
    assert.throws(() => parseDuration(''), { message: 'empty duration string' });
    assert.throws(() => parseDuration('300000y'), { message: 'duration out of range' });
  });

  test('format', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(7 * 86400e3), '1w');
    assert.equal(formatDuration(8 * 86400e3), '8d');
    assert.equal(formatDuration(365 * 86400e3), '1y');
    assert.equal(formatDuration(1500), '1s500ms');
  });
});

describe("floats print as Go FormatFloat(f, 'f', -1)", () => {
  const cases: [number, string][] = [
    [1, '1'],
    [-0.5, '-0.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [v, s] of cases) test(s, () => assert.equal(formatFloat(v), s));
});

describe('FUNCTIONS', () => {
  test('has the 90 functions of Prometheus 3.x, 17 of them experimental', () => {
    assert.equal(FUNCTIONS.size, 90);
    const experimental = [...FUNCTIONS.values()].filter((f) => f.experimental).map((f) => f.name);
    assert.equal(experimental.length, 17);
    for (const n of ['double_exponential_smoothing', 'info', 'sort_by_label', 'step', 'max_of']) {
      assert.ok(experimental.includes(n), n);
    }
    assert.ok(!experimental.includes('rate'));
  });

  test('signatures', () => {
    const sig = (n: string) => {
      const f = FUNCTIONS.get(n)!;
      return [f.argTypes.join(','), f.variadic, f.returnType];
    };
    assert.deepEqual(sig('rate'), ['matrix', 0, 'vector']);
    assert.deepEqual(sig('label_join'), ['vector,string,string,string', -1, 'vector']);
    assert.deepEqual(sig('round'), ['vector,scalar', 1, 'vector']);
    assert.deepEqual(sig('histogram_quantile'), ['scalar,vector', 0, 'vector']);
    assert.deepEqual(sig('time'), ['', 0, 'scalar']);
    assert.deepEqual(sig('year'), ['vector', 1, 'vector']);
  });
});
