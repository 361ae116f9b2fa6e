import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, formatForContentType } from '../../../core/exposition/parser.ts';
import { ParseError } from '../../../core/exposition/parse_error.ts';
import type { ExpositionParser } from '../../../core/exposition/types.ts';

const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const enc = (s: string) => new TextEncoder().encode(s);

interface Row {
  kind: string;
  text?: string;
  labels?: Record<string, string>;
  value?: number;
  ts?: number;
  meta?: string;
}

function rows(p: ExpositionParser): Row[] {
  const out: Row[] = [];
  for (let k = p.next(); k !== 'eof'; k = p.next()) {
    if (k === 'series') {
      const r: Row = {
        kind: k,
        text: p.seriesText(),
        labels: p.labels().toRecord(),
        value: p.value,
      };
      if (p.timestamp !== undefined) r.ts = p.timestamp;
      out.push(r);
    } else if (k === 'help') out.push({ kind: k, meta: `${p.metaName()}|${p.helpText()}` });
    else if (k === 'type') out.push({ kind: k, meta: `${p.metaName()}|${p.metricType()}` });
    else if (k === 'unit') out.push({ kind: k, meta: `${p.metaName()}|${p.unitText()}` });
    else out.push({ kind: k, meta: p.commentText() });
  }
  return out;
}

function errorOf(body: string, contentType?: string, strict = false): ParseError {
  try {
    const p = createParser(enc(body), contentType, { strict });
    for (let k = p.next(); k !== 'eof'; k = p.next()) if (k === 'series') p.labels();
  } catch (e) {
    assert.ok(e instanceof ParseError, `not a ParseError: ${e}`);
    return e;
  }
  assert.fail(`no error for ${JSON.stringify(body)}`);
}

describe('formatForContentType', () => {
  test('openmetrics only for its media type', () => {
    assert.equal(formatForContentType(OM), 'openmetrics');
    assert.equal(formatForContentType('Application/OpenMetrics-Text'), 'openmetrics');
    assert.equal(formatForContentType('text/plain; version=0.0.4'), 'text');
    assert.equal(formatForContentType('application/json'), 'text');
    assert.equal(formatForContentType(undefined), 'text');
    assert.equal(formatForContentType(''), 'text');
  });
});

describe('text format 0.0.4', () => {
  test('metadata, comments, blank lines, whitespace and timestamps', () => {
    const body = [
      '# HELP http_requests_total Requests \\\\ served\\nso far \\"x\\"',
      '# TYPE http_requests_total counter',
      '# just a comment',
      '',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      '  http_requests_total{ method = "get" , code="400", }\t3\t-5  ',
      '# TYPE x untyped',
      'x 1',
    ].join('\n');
    assert.deepEqual(rows(createParser(enc(body), 'text/plain; version=0.0.4')), [
      { kind: 'help', meta: 'http_requests_total|Requests \\ served\nso far \\"x\\"' },
      { kind: 'type', meta: 'http_requests_total|counter' },
      { kind: 'comment', meta: ' just a comment' },
      {
        kind: 'series',
        text: 'http_requests_total{method="post",code="200"}',
        labels: { __name__: 'http_requests_total', code: '200', method: 'post' },
        value: 1027,
        ts: 1395066363000,
      },
      {
        kind: 'series',
        text: 'http_requests_total{ method = "get" , code="400", }',
        labels: { __name__: 'http_requests_total', code: '400', method: 'get' },
        value: 3,
        ts: -5,
      },
      { kind: 'type', meta: 'x|unknown' },
      { kind: 'series', text: 'x', labels: { __name__: 'x' }, value: 1 },
    ]);
  });

  test('special values, exponents and label escapes', () => {
    const p = createParser('a{v="q\\"\\\\\\n\\z"} NaN\nb +Inf\nc -Inf\nd 1.5e-3\ne -0.25E2\n');
    assert.equal(p.next(), 'series');
    assert.ok(Number.isNaN(p.value));
    assert.equal(p.labels().get('v'), 'q"\\\n\\z');
    const vals: number[] = [];
    while (p.next() === 'series') vals.push(p.value);
    assert.deepEqual(vals, [Infinity, -Infinity, 0.0015, -25]);
  });

  test('quoted UTF-8 metric and label names', () => {
    const p = createParser(enc('{"my.metric", "label.name"="v", le="1"} 2\n'));
    assert.equal(p.next(), 'series');
    assert.equal(p.metricName(), 'my.metric');
    assert.equal(p.seriesText(), '{"my.metric", "label.name"="v", le="1"}');
    assert.equal(p.seriesKey(), p.seriesText());
    assert.deepEqual(p.labels().toRecord(), { __name__: 'my.metric', 'label.name': 'v', le: '1' });
    const q = createParser('# TYPE "my.metric" gauge\n"my.metric" 1\n');
    assert.equal(q.next(), 'type');
    assert.equal(q.metaName(), 'my.metric');
  });

  test('empty label values are dropped, order is normalised', () => {
    const p = createParser('m{z="1",a="",b="2"} 1');
    p.next();
    assert.deepEqual(p.labels().flat, ['__name__', 'm', 'b', '2', 'z', '1']);
  });

  test('errors name the line', () => {
    const cases: [string, number, RegExp][] = [
      ['a 1\nb\n', 2, /value/],
      ['a 1\n\nb 1 1.5\n', 3, /timestamp/],
      ['# TYPE a meh\n', 1, /metric type/],
      ['a{b="c} 1\n', 1, /unterminated/],
      ['a{b=c} 1\n', 1, /quoted/],
      ['a{1="c"} 1\n', 1, /label name/],
      ['a 0x10\n', 1, /value/],
      ['a 1 2 3\n', 1, /after timestamp/],
      ['a{b="1",b="2"} 1\n', 1, /duplicate/],
      ['a{"x","y"} 1\n', 1, /twice/],
      ['{b="1"} 1\n', 1, /metric name/],
    ];
    for (const [body, line, re] of cases) {
      const e = errorOf(body);
      assert.equal(e.line, line, body);
      assert.match(e.message, re, body);
      assert.match(e.message, new RegExp(`^line ${line}: `));
    }
  });

  test('invalid UTF-8 is an error on its line', () => {
    const bytes = new Uint8Array([...enc('a 1\nb{x="'), 0xff, ...enc('"} 1\n')]);
    try {
      createParser(bytes);
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof ParseError);
      assert.equal(e.line, 2);
    }
  });
});

describe('OpenMetrics 1.0', () => {
  test('all entry kinds, float-second timestamps, exemplars', () => {
    const body = [
      '# TYPE rpc_seconds histogram',
      '# UNIT rpc_seconds seconds',
      '# HELP rpc_seconds RPC \\"latency\\"',
      'rpc_seconds_bucket{le="0.5"} 1 1.5 # {trace_id="abc"} 0.3 1.25',
      'rpc_seconds_bucket{le="+Inf"} 2 1.5',
      'rpc_seconds_count 2 1.5',
      'rpc_seconds_sum 0.7 1.5',
      '# EOF',
      '',
    ].join('\n');
    const p = createParser(enc(body), OM);
    const kinds: string[] = [];
    const ex: unknown[] = [];
    for (let k = p.next(); k !== 'eof'; k = p.next()) {
      kinds.push(k);
      if (k === 'series') {
        assert.equal(p.timestamp, 1500);
        const e = p.exemplar();
        if (e) ex.push({ labels: e.labels.toRecord(), value: e.value, timestamp: e.timestamp });
      }
      if (k === 'help') assert.equal(p.helpText(), 'RPC "latency"');
      if (k === 'unit') assert.equal(p.unitText(), 'seconds');
    }
    assert.deepEqual(kinds, ['type', 'unit', 'help', 'series', 'series', 'series', 'series']);
    assert.deepEqual(ex, [{ labels: { trace_id: 'abc' }, value: 0.3, timestamp: 1250 }]);
    assert.equal(p.next(), 'eof');
  });

  test('quoted names in metadata and series', () => {
    const p = createParser(enc('# TYPE "a.b" gauge\n{"a.b",c="d\u2603"} 1\n# EOF\n'), OM);
    assert.equal(p.next(), 'type');
    assert.equal(p.metaName(), 'a.b');
    assert.equal(p.next(), 'series');
    assert.deepEqual(p.labels().toRecord(), { __name__: 'a.b', c: 'd\u2603' });
    assert.equal(p.seriesKey(), '{"a.b",c="d\u2603"}');
  });

  test('syntax errors name the line', () => {
    const cases: [string, number, RegExp][] = [
      ['a 1\n', 2, /EOF/],
      ['a 1\n# EOF\nb 1\n', 3, /after # EOF/],
      ['a 1\n\n# EOF\n', 2, /empty line/],
      ['# comment\n# EOF\n', 1, /HELP/],
      ['a  1\n# EOF\n', 1, /value/],
      ['a 1 NaN\n# EOF\n', 1, /timestamp/],
      ['a\t1\n# EOF\n', 1, /space/],
      ['# TYPE a untyped\n# EOF\n', 1, /metric type/],
      ['# UNIT a seconds\n# EOF\n', 1, /suffix/],
      ['a_total 1 # {x="y"}\n# EOF\n', 1, /exemplar/],
      ['a 1 # {x="y"} 1\n# EOF\n', 1, /exemplar not allowed/],
    ];
    for (const [body, line, re] of cases) {
      const e = errorOf(body, OM);
      assert.equal(e.line, line, body);
      assert.match(e.message, re, body);
    }
  });

  test('trailing comma: accepted when scraping, rejected when strict', () => {
    assert.equal(rows(createParser('a{b="c",} 1\n# EOF\n', OM)).length, 1);
    assert.match(errorOf('a{b="c",} 1\n# EOF\n', OM, true).message, /trailing comma/);
  });
});

describe('strict mode rules', () => {
  test('counter, histogram, summary and grouping rules', () => {
    const cases: [string, number, RegExp][] = [
      ['# TYPE a counter\na_total -1\n# EOF\n', 2, /non-negative/],
      ['# TYPE a histogram\na_bucket{le="1"} 0\na_count 0\n# EOF\n', 2, /\+Inf/],
      ['# TYPE a histogram\na_bucket{le="2"} 0\na_bucket{le="1"} 0\n# EOF\n', 3, /order/],
      ['# TYPE a summary\na 1\n# EOF\n', 2, /quantile/],
      ['# TYPE a gauge\na{x="1"} 1\na{x="2"} 1\na{x="1"} 1\n# EOF\n', 4, /grouped/],
      ['# TYPE a gauge\na 1\nb 1\na 1\n# EOF\n', 4, /contiguous/],
      ['# TYPE a gauge\na_total 1 # {x="y"} 1\n# EOF\n', 2, /contiguous|exemplar/],
    ];
    for (const [body, line, re] of cases) {
      const e = errorOf(body, OM, true);
      assert.equal(e.line, line, body);
      assert.match(e.message, re, body);
    }
  });

  test('text format strict: family grouping and metadata order', () => {
    assert.match(errorOf('a 1\nb 1\na 2\n', 'text/plain', true).message, /contiguous/);
    assert.match(errorOf('a 1\n# TYPE a gauge\n', 'text/plain', true).message, /after its samples/);
    assert.match(errorOf('# TYPE h histogram\nh_bucket 1\n', 'text/plain', true).message, /"le"/);
  });
});
