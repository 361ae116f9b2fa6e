import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeString,
  formatGoFloat,
  formatOpenMetricsFloat,
  formatTextFloat,
  type MetricFamily,
  writeFamilies,
  writeOpenMetrics,
  writeText,
} from '../../../core/exposition/writer.ts';
import { Labels } from '../../../core/model/labels.ts';

describe('formatGoFloat matches strconv.FormatFloat(f, g, -1, 64)', () => {
  const table: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-1, '-1'],
    [0.1, '0.1'],
    [0.5, '0.5'],
    [1.5, '1.5'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1000001, '1.000001e+06'],
    [1234567, '1.234567e+06'],
    [12345678, '1.2345678e+07'],
    [1.5e20, '1.5e+20'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [0.0001, '0.0001'],
    [0.00012, '0.00012'],
    [1e-5, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.30000000000000004, '0.30000000000000004'],
    [1700000000.123, '1.700000000123e+09'],
    [-123.456, '-123.456'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, want] of table) {
    test(`${v} → ${want}`, () => assert.equal(formatGoFloat(v), want));
  }
  test('text and OpenMetrics value forms', () => {
    assert.equal(formatTextFloat(-0), '0');
    assert.equal(formatTextFloat(42), '42');
    assert.equal(formatOpenMetricsFloat(0), '0.0');
    assert.equal(formatOpenMetricsFloat(1), '1.0');
    assert.equal(formatOpenMetricsFloat(-1), '-1.0');
    assert.equal(formatOpenMetricsFloat(42), '42.0');
    assert.equal(formatOpenMetricsFloat(1e6), '1e+06');
    assert.equal(formatOpenMetricsFloat(2.5), '2.5');
    assert.equal(formatOpenMetricsFloat(Infinity), '+Inf');
    assert.equal(formatOpenMetricsFloat(NaN), 'NaN');
  });
});

describe('escapeString', () => {
  test('help escapes backslash and newline only; label values also quotes', () => {
    assert.equal(escapeString('a\\b\n"c"', false), 'a\\\\b\\n"c"');
    assert.equal(escapeString('a\\b\n"c"', true), 'a\\\\b\\n\\"c\\"');
    assert.equal(escapeString('plain', true), 'plain');
  });
});

const counter: MetricFamily = {
  name: 'http_requests_total',
  help: 'Requests "served".\nSecond line \\ end.',
  type: 'counter',
  metrics: [
    { labels: { method: 'GET', code: '200' }, value: 1027, created: 1700000000000 },
    {
      labels: { method: 'POST', code: '500' },
      value: 3,
      timestamp: 1395066363000,
      exemplar: { labels: { trace_id: 'abc' }, value: 1, timestamp: 1700000000500 },
    },
  ],
};

const gauge: MetricFamily = {
  name: 'temperature_celsius',
  help: 'Temp.',
  type: 'gauge',
  unit: 'celsius',
  metrics: [{ labels: { path: 'C:\\dir\n"x"' }, value: -1.5 }, { value: 1e6 }],
};

const histogram: MetricFamily = {
  name: 'rpc_duration_seconds',
  help: 'RPC latency.',
  type: 'histogram',
  metrics: [{
    labels: Labels.from({ service: 'a' }),
    buckets: [
      { le: 0.05, count: 24054 },
      { le: 0.1, count: 33444, exemplar: { labels: { id: 'x' }, value: 0.07 } },
      { le: 1, count: 1000000 },
    ],
    sum: 53423.5,
    count: 1000001,
    created: 1700000000000,
  }],
};

const summary: MetricFamily = {
  name: 'rpc_size_bytes',
  help: 'Sizes.',
  type: 'summary',
  metrics: [{
    quantiles: [{ quantile: 0.5, value: 4773 }, { quantile: 0.99, value: NaN }],
    sum: 1.7560473e+07,
    count: 2693,
  }],
};

describe('writeText (format 0.0.4)', () => {
  test('counter with escaping and timestamps', () => {
    assert.equal(
      writeText([counter]),
      '# HELP http_requests_total Requests "served".\\nSecond line \\\\ end.\n' +
        '# TYPE http_requests_total counter\n' +
        'http_requests_total{method="GET",code="200"} 1027\n' +
        'http_requests_total{method="POST",code="500"} 3 1395066363000\n',
    );
  });

  test('gauge with label value escaping and Go floats', () => {
    assert.equal(
      writeText([gauge]),
      '# HELP temperature_celsius Temp.\n' +
        '# TYPE temperature_celsius gauge\n' +
        'temperature_celsius{path="C:\\\\dir\\n\\"x\\""} -1.5\n' +
        'temperature_celsius 1e+06\n',
    );
  });

  test('histogram: counts as floats, +Inf bucket added from count', () => {
    assert.equal(
      writeText([histogram]),
      '# HELP rpc_duration_seconds RPC latency.\n' +
        '# TYPE rpc_duration_seconds histogram\n' +
        'rpc_duration_seconds_bucket{service="a",le="0.05"} 24054\n' +
        'rpc_duration_seconds_bucket{service="a",le="0.1"} 33444\n' +
        'rpc_duration_seconds_bucket{service="a",le="1"} 1e+06\n' +
        'rpc_duration_seconds_bucket{service="a",le="+Inf"} 1.000001e+06\n' +
        'rpc_duration_seconds_sum{service="a"} 53423.5\n' +
        'rpc_duration_seconds_count{service="a"} 1.000001e+06\n',
    );
  });

  test('summary', () => {
    assert.equal(
      writeText([summary]),
      '# HELP rpc_size_bytes Sizes.\n' +
        '# TYPE rpc_size_bytes summary\n' +
        'rpc_size_bytes{quantile="0.5"} 4773\n' +
        'rpc_size_bytes{quantile="0.99"} NaN\n' +
        'rpc_size_bytes_sum 1.7560473e+07\n' +
        'rpc_size_bytes_count 2693\n',
    );
  });

  test('untyped, unknown, info, stateset, gaugehistogram map to text types', () => {
    const fams: MetricFamily[] = [
      { name: 'u', type: 'untyped', metrics: [{ value: 1 }] },
      { name: 'k', type: 'unknown', metrics: [{ value: 2 }] },
      { name: 'build', help: 'Build.', type: 'info', metrics: [{ labels: { version: '1.2' } }] },
      { name: 'mode', type: 'stateset', metrics: [{ states: { a: true, b: false } }] },
      {
        name: 'q',
        type: 'gaugehistogram',
        metrics: [{ buckets: [{ le: 1, count: 2 }, { le: Infinity, count: 3 }], sum: 4 }],
      },
    ];
    assert.equal(
      writeText(fams),
      '# TYPE u untyped\nu 1\n' +
        '# TYPE k untyped\nk 2\n' +
        '# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{version="1.2"} 1\n' +
        '# TYPE mode gauge\nmode{mode="a"} 1\nmode{mode="b"} 0\n' +
        '# TYPE q histogram\nq_bucket{le="1"} 2\nq_bucket{le="+Inf"} 3\nq_gsum 4\nq_gcount 3\n',
    );
  });

  test('UTF-8 names are quoted, inside the braces for metric names', () => {
    const fam: MetricFamily = {
      name: 'my.metric',
      help: 'Dotted.',
      type: 'counter',
      metrics: [{ labels: { 'a.b': 'v', ok: 'w', 'q"x': 'z' }, value: 1 }, { value: 2 }],
    };
    assert.equal(
      writeText([fam]),
      '# HELP "my.metric" Dotted.\n' +
        '# TYPE "my.metric" counter\n' +
        '{"my.metric","a.b"="v",ok="w","q\\"x"="z"} 1\n' +
        '{"my.metric"} 2\n',
    );
  });

  test('families without metrics keep their header; Labels input is written sorted', () => {
    assert.equal(
      writeText([{ name: 'empty', help: 'h', type: 'gauge', metrics: [] }]),
      '# HELP empty h\n# TYPE empty gauge\n',
    );
    assert.equal(
      writeText([{
        name: 'x',
        type: 'gauge',
        metrics: [{ labels: Labels.from({ b: '2', a: '1' }), value: 0 }],
      }]),
      '# TYPE x gauge\nx{a="1",b="2"} 0\n',
    );
  });
});

describe('writeOpenMetrics (1.0)', () => {
  test('counter: family name without _total, float values, exemplar, created on request', () => {
    const want = '# HELP http_requests Requests \\"served\\".\\nSecond line \\\\ end.\n' +
      '# TYPE http_requests counter\n' +
      'http_requests_total{method="GET",code="200"} 1027.0\n' +
      'http_requests_created{method="GET",code="200"} 1.7e+09\n' +
      'http_requests_total{method="POST",code="500"} 3.0 1.395066363e+09 ' +
      '# {trace_id="abc"} 1.0 1.7000000005e+09\n' +
      '# EOF\n';
    assert.equal(writeOpenMetrics([counter], { created: true }), want);
    assert.equal(
      writeOpenMetrics([counter]),
      want.replace('http_requests_created{method="GET",code="200"} 1.7e+09\n', ''),
    );
  });

  test('counter without _total is written as unknown', () => {
    assert.equal(
      writeOpenMetrics([{ name: 'hits', type: 'counter', metrics: [{ value: 5 }] }]),
      '# TYPE hits unknown\nhits 5.0\n# EOF\n',
    );
  });

  test('gauge with unit', () => {
    assert.equal(
      writeOpenMetrics([gauge]),
      '# HELP temperature_celsius Temp.\n' +
        '# TYPE temperature_celsius gauge\n' +
        '# UNIT temperature_celsius celsius\n' +
        'temperature_celsius{path="C:\\\\dir\\n\\"x\\""} -1.5\n' +
        'temperature_celsius 1e+06\n' +
        '# EOF\n',
    );
  });

  test('unit that is not a name suffix is left out', () => {
    assert.equal(
      writeOpenMetrics([{ name: 'x', type: 'gauge', unit: 'seconds', metrics: [] }]),
      '# TYPE x gauge\n# EOF\n',
    );
  });

  test('histogram: integer counts, OpenMetrics le, bucket exemplar, created', () => {
    assert.equal(
      writeOpenMetrics([histogram], { created: true }),
      '# HELP rpc_duration_seconds RPC latency.\n' +
        '# TYPE rpc_duration_seconds histogram\n' +
        'rpc_duration_seconds_bucket{service="a",le="0.05"} 24054\n' +
        'rpc_duration_seconds_bucket{service="a",le="0.1"} 33444 # {id="x"} 0.07\n' +
        'rpc_duration_seconds_bucket{service="a",le="1.0"} 1000000\n' +
        'rpc_duration_seconds_bucket{service="a",le="+Inf"} 1000001\n' +
        'rpc_duration_seconds_sum{service="a"} 53423.5\n' +
        'rpc_duration_seconds_count{service="a"} 1000001\n' +
        'rpc_duration_seconds_created{service="a"} 1.7e+09\n' +
        '# EOF\n',
    );
  });

  test('summary', () => {
    assert.equal(
      writeOpenMetrics([summary]),
      '# HELP rpc_size_bytes Sizes.\n' +
        '# TYPE rpc_size_bytes summary\n' +
        'rpc_size_bytes{quantile="0.5"} 4773.0\n' +
        'rpc_size_bytes{quantile="0.99"} NaN\n' +
        'rpc_size_bytes_sum 1.7560473e+07\n' +
        'rpc_size_bytes_count 2693\n' +
        '# EOF\n',
    );
  });

  test('info, stateset, gaugehistogram, unknown, untyped', () => {
    const fams: MetricFamily[] = [
      { name: 'build', help: 'Build.', type: 'info', metrics: [{ labels: { version: '1.2' } }] },
      { name: 'mode', type: 'stateset', metrics: [{ states: { a: true, b: false } }] },
      {
        name: 'q',
        type: 'gaugehistogram',
        metrics: [{ buckets: [{ le: 1, count: 2 }], sum: 4, count: 3 }],
      },
      { name: 'k', type: 'unknown', metrics: [{ value: 2 }] },
      { name: 'u', type: 'untyped', metrics: [{ value: 1, timestamp: 1500 }] },
    ];
    assert.equal(
      writeOpenMetrics(fams),
      '# HELP build Build.\n# TYPE build info\nbuild_info{version="1.2"} 1\n' +
        '# TYPE mode stateset\nmode{mode="a"} 1\nmode{mode="b"} 0\n' +
        '# TYPE q gaugehistogram\nq_bucket{le="1.0"} 2\nq_bucket{le="+Inf"} 3\nq_gsum 4.0\n' +
        'q_gcount 3\n' +
        '# TYPE k unknown\nk 2.0\n' +
        '# TYPE u unknown\nu 1.0 1.5\n' +
        '# EOF\n',
    );
  });

  test('quoted names in OpenMetrics and empty input', () => {
    assert.equal(
      writeOpenMetrics([{ name: 'a.b_total', type: 'counter', metrics: [{ value: 1 }] }]),
      '# TYPE "a.b" counter\n{"a.b_total"} 1.0\n# EOF\n',
    );
    assert.equal(writeOpenMetrics([]), '# EOF\n');
    assert.equal(writeText([]), '');
  });

  test('writeFamilies picks the format', () => {
    const f: MetricFamily[] = [{ name: 'g', type: 'gauge', metrics: [{ value: 1 }] }];
    assert.equal(writeFamilies(f, 'text'), '# TYPE g gauge\ng 1\n');
    assert.equal(writeFamilies(f, 'openmetrics'), '# TYPE g gauge\ng 1.0\n# EOF\n');
  });
});
