// Valid PromQL: each query parses, has the expected type, and prints in Prometheus's canonical
// form; a second table pins tree shapes (precedence, modifiers, positions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_FEATURES,
  type BinaryExpr,
  type Expr,
  formatExpr,
  parseExpr,
  typeOf,
  type ValueType,
} from '../../../../plugins/promql/parser/mod.ts';

// [query, type, printed form ('' = same as the query)]
const VALID: [string, ValueType, string][] = [
  ['1', 'scalar', ''],
  ['+Inf', 'scalar', ''],
  ['-Inf', 'scalar', ''],
  ['inf', 'scalar', '+Inf'],
  ['NaN', 'scalar', ''],
  ['nAn', 'scalar', 'NaN'],
  ['.5', 'scalar', '0.5'],
  ['5.', 'scalar', '5'],
  ['123.4567', 'scalar', ''],
  ['5e-3', 'scalar', '0.005'],
  ['5e3', 'scalar', '5000'],
  ['0x1f', 'scalar', '31'],
  ['0755', 'scalar', '493'],
  ['1_000', 'scalar', '1000'],
  ['1e21', 'scalar', '1000000000000000000000'],
  ['-1', 'scalar', ''],
  ['- 1', 'scalar', '-1'],
  ['--1', 'scalar', '1'],
  ['-(1)', 'scalar', ''],
  ['5m', 'scalar', ''],
  ['1h30m', 'scalar', ''],
  ['90m', 'scalar', '1h30m'],
  ['1 + 1', 'scalar', ''],
  ['1 - 1', 'scalar', ''],
  ['1 * 1', 'scalar', ''],
  ['1 % 1', 'scalar', ''],
  ['1 / 1', 'scalar', ''],
  ['1 == bool 1', 'scalar', ''],
  ['1 != bool 1', 'scalar', ''],
  ['1 > bool 1', 'scalar', ''],
  ['1 >= bool 1', 'scalar', ''],
  ['1 < bool 1', 'scalar', ''],
  ['1 <= bool 1', 'scalar', ''],
  ['1 atan2 2', 'scalar', ''],
  ['-1^2', 'scalar', '-1 ^ 2'],
  ['2^3^2', 'scalar', '2 ^ 3 ^ 2'],
  ['+1 + -2 * 1', 'scalar', '1 + -2 * 1'],
  ['1 + 2/(3*1)', 'scalar', '1 + 2 / (3 * 1)'],
  ['1 < bool 2 - 1 * 2', 'scalar', ''],
  ['"double-quoted"', 'string', ''],
  ["'single-quoted'", 'string', '"single-quoted"'],
  ['`raw \\n string`', 'string', '"raw \\\\n string"'],
  ['"\\x41\\u00e9\\101\\t"', 'string', '"AéA\\t"'],
  ['foo', 'vector', ''],
  ['foo:bar:rate5m', 'vector', ''],
  ['min', 'vector', ''],
  ['offset', 'vector', ''],
  ['by{a="b"}', 'vector', ''],
  ['foo{}', 'vector', 'foo'],
  ['foo{a="b", c!="d",e=~"f.*" , g!~"h",}', 'vector', 'foo{a="b",c!="d",e=~"f.*",g!~"h"}'],
  ['{__name__="foo"}', 'vector', ''],
  ['{"foo"}', 'vector', '{__name__="foo"}'],
  ['{"my.metric", "label.x"="v"}', 'vector', '{"label.x"="v",__name__="my.metric"}'],
  ['{a=~".+"}', 'vector', ''],
  ["foo{a='b'}", 'vector', 'foo{a="b"}'],
  ['foo{a=`b`}', 'vector', 'foo{a="b"}'],
  ['foo offset 5m', 'vector', ''],
  ['foo OFFSET 1h30m', 'vector', 'foo offset 1h30m'],
  ['foo offset -7m', 'vector', ''],
  ['foo offset 300', 'vector', 'foo offset 5m'],
  ['foo @ 100', 'vector', 'foo @ 100.000'],
  ['foo @ -100.5', 'vector', 'foo @ -100.500'],
  ['foo @ start()', 'vector', ''],
  ['foo @ end() offset 1m', 'vector', ''],
  ['foo offset 1m @ 10', 'vector', 'foo @ 10.000 offset 1m'],
  ['foo[5m]', 'matrix', ''],
  ['foo[300]', 'matrix', 'foo[5m]'],
  ['foo[1.5]', 'matrix', 'foo[1s500ms]'],
  ['foo[5m] offset 1m @ 3', 'matrix', 'foo[5m] @ 3.000 offset 1m'],
  ['foo[ 5m ]', 'matrix', 'foo[5m]'],
  ['foo[5m:]', 'matrix', ''],
  ['foo[5m:1m]', 'matrix', ''],
  ['rate(foo[5m])[30m:1m] offset 1h', 'matrix', ''],
  ['(foo + bar)[5m:] @ end()', 'matrix', ''],
  ['rate(http_requests_total[5m])', 'vector', ''],
  ['time()', 'scalar', ''],
  ['pi()', 'scalar', ''],
  ['scalar(foo)', 'scalar', ''],
  ['vector(1)', 'vector', ''],
  ['round(foo)', 'vector', ''],
  ['round(foo, 0.5)', 'vector', ''],
  ['label_join(foo, "d", ",", "a", "b", "c")', 'vector', ''],
  ['label_replace(foo, "d", "$1", "s", "(.*)")', 'vector', ''],
  ['histogram_quantile(0.9, sum by (le) (rate(x[5m])))', 'vector', ''],
  ['quantile_over_time(0.5, foo[1h])', 'vector', ''],
  ['day_of_week()', 'vector', ''],
  ['sort_by_label(foo, "a", "b")', 'vector', ''],
  ['sum(foo)', 'vector', ''],
  ['sum by (job) (foo)', 'vector', ''],
  [
    'sum by(job)(rate(http_requests_total{job="api"}[5m]))',
    'vector',
    'sum by (job) (rate(http_requests_total{job="api"}[5m]))',
  ],
  ['sum(foo) by (job)', 'vector', 'sum by (job) (foo)'],
  ['sum by () (foo)', 'vector', 'sum(foo)'],
  ['sum without () (foo)', 'vector', ''],
  ['SUM WITHOUT (a, b,) (foo)', 'vector', 'sum without (a, b) (foo)'],
  [
    'sum by (and, by, offset, "label.x") (foo)',
    'vector',
    'sum by (and, by, offset, "label.x") (foo)',
  ],
  ['avg(foo)', 'vector', ''],
  ['group(foo)', 'vector', ''],
  ['stddev(foo)', 'vector', ''],
  ['stdvar(foo)', 'vector', ''],
  ['topk(5, foo)', 'vector', ''],
  ['bottomk by (a) (5, foo)', 'vector', ''],
  ['quantile(0.9, foo)', 'vector', ''],
  ['count_values("value", foo)', 'vector', ''],
  ['limitk(2, foo)', 'vector', ''],
  ['limit_ratio(0.5, foo)', 'vector', ''],
  ['foo + bar', 'vector', ''],
  ['foo * on (a, b) bar', 'vector', ''],
  ['foo * ignoring (a) bar', 'vector', ''],
  ['foo * ignoring () bar', 'vector', 'foo * bar'],
  ['foo * on () bar', 'vector', ''],
  ['foo / on (a) group_left bar', 'vector', 'foo / on (a) group_left () bar'],
  ['foo / on (a) group_left (b, c) bar', 'vector', ''],
  ['foo - ignoring (a) group_right (b) bar', 'vector', ''],
  ['foo == bool on (a) bar', 'vector', ''],
  ['foo > 1', 'vector', ''],
  ['1 < foo', 'vector', ''],
  ['foo and bar', 'vector', ''],
  ['foo or on (a) bar', 'vector', ''],
  ['foo unless ignoring (a) bar', 'vector', ''],
  ['foo + fill(0) bar', 'vector', 'foo + fill (0) bar'],
  [
    'foo + on (a) group_left fill_left(1) fill_right(-2) bar',
    'vector',
    'foo + on (a) group_left () fill_left (1) fill_right (-2) bar',
  ],
  ['fill + fill', 'vector', ''],
  ['-foo', 'vector', ''],
  ['-foo offset 5m', 'vector', ''],
  ['(foo)', 'vector', ''],
  ['foo # a comment\n + bar', 'vector', 'foo + bar'],
  ['foo\n\t+\r\nbar', 'vector', 'foo + bar'],
  ['foo[5m] anchored', 'matrix', ''],
  ['foo smoothed', 'vector', ''],
  ['foo[5m + 1m]', 'matrix', ''],
  ['foo[2m * (10 + 5)]', 'matrix', ''],
  ['foo[step()]', 'matrix', ''],
  ['foo[min_of(step() + 1, 1h):5s]', 'matrix', ''],
  ['foo offset step()', 'vector', ''],
  ['foo offset -2 ^ 2', 'vector', 'foo offset -2s ^ 2'],
  ['foo offset (1m + 2m)', 'vector', ''],
  ['foo offset -(1m)', 'vector', ''],
  ['start()', 'scalar', ''],
  ['info(foo, {a="b"})', 'vector', ''],
  ['info(foo, {a=~".*"})', 'vector', ''],
];

describe('parseExpr: valid expressions', () => {
  for (const [q, type, printed] of VALID) {
    test(JSON.stringify(q), () => {
      const e = parseExpr(q, ALL_FEATURES);
      assert.equal(typeOf(e), type);
      const out = printed || q;
      assert.equal(formatExpr(e), out);
      // Printing is a fixed point: the printed form parses back to the same text.
      assert.equal(formatExpr(parseExpr(out, ALL_FEATURES)), out);
    });
  }
});

const bin = (e: Expr): BinaryExpr => {
  assert.equal(e.type, 'BinaryExpr');
  return e as BinaryExpr;
};

describe('parseExpr: tree shapes', () => {
  test('precedence: or < and/unless < comparison < +- < */%atan2 < ^', () => {
    const e = bin(parseExpr('a or b and c unless d == e + f * g ^ h'));
    assert.equal(e.op, 'or');
    const r = bin(e.rhs);
    assert.equal(r.op, 'unless');
    assert.equal(bin(r.lhs).op, 'and');
    const cmp = bin(r.rhs);
    assert.equal(cmp.op, '==');
    const add = bin(cmp.rhs);
    assert.equal(add.op, '+');
    const mul = bin(add.rhs);
    assert.equal(mul.op, '*');
    assert.equal(bin(mul.rhs).op, '^');
  });

  test('left associativity and right-associative ^', () => {
    const sub = bin(parseExpr('a - b - c'));
    assert.equal(bin(sub.lhs).op, '-');
    const pow = bin(parseExpr('a ^ b ^ c'));
    assert.equal(bin(pow.rhs).op, '^');
  });

  test('unary minus binds looser than ^ and as tight as *', () => {
    const e = parseExpr('-a ^ 2');
    assert.equal(e.type, 'UnaryExpr');
    if (e.type === 'UnaryExpr') assert.equal(bin(e.expr).op, '^');
    const m = bin(parseExpr('-a * b'));
    assert.equal(m.lhs.type, 'UnaryExpr');
    const lit = parseExpr('-2 ^ 2');
    assert.equal(lit.type, 'UnaryExpr');
    const n = parseExpr('2 ^ -1');
    assert.equal(bin(n).rhs.type, 'NumberLiteral');
  });

  test('a sign on a number literal is folded into it, with its position', () => {
    const e = parseExpr('  -5');
    assert.deepEqual(e, {
      type: 'NumberLiteral',
      val: -5,
      duration: false,
      posRange: { start: 2, end: 4 },
    });
  });

  test('vector selector: matchers, name matcher last, positions, offset and @', () => {
    const e = parseExpr('foo{a="b"} offset 5m @ 12.5');
    assert.equal(e.type, 'VectorSelector');
    if (e.type !== 'VectorSelector') return;
    assert.equal(e.name, 'foo');
    assert.deepEqual(e.matchers.map(String), ['a="b"', '__name__="foo"']);
    assert.equal(e.offset, 300_000);
    assert.equal(e.at, 12_500);
    assert.deepEqual(e.posRange, { start: 0, end: 27 });
  });

  test('matrix selector and subquery carry ranges and steps in ms', () => {
    const m = parseExpr('foo[1h30m]');
    assert.equal(m.type === 'MatrixSelector' && m.range, 5_400_000);
    const s = parseExpr('foo[1h:10s] offset -1m @ start()');
    assert.equal(s.type, 'SubqueryExpr');
    if (s.type !== 'SubqueryExpr') return;
    assert.deepEqual([s.range, s.step, s.offset, s.at], [3_600_000, 10_000, -60_000, 'start']);
    assert.deepEqual(s.posRange, { start: 0, end: 32 });
  });

  test('binary matching: cardinality, labels, include and set operators', () => {
    const g = bin(parseExpr('a * on(x) group_left(y) b'));
    assert.deepEqual(g.matching, {
      card: 'many-to-one',
      on: true,
      labels: ['x'],
      include: ['y'],
      fillValues: {},
    });
    assert.equal(bin(parseExpr('a and b')).matching?.card, 'many-to-many');
    assert.equal(bin(parseExpr('a + 1')).matching, undefined);
    assert.equal(bin(parseExpr('a > bool 1')).returnBool, true);
  });

  test('aggregation: parameter, grouping, without', () => {
    const e = parseExpr('topk without (a) (3, foo)');
    assert.equal(e.type, 'AggregateExpr');
    if (e.type !== 'AggregateExpr') return;
    assert.equal(e.op, 'topk');
    assert.equal(e.param?.type, 'NumberLiteral');
    assert.deepEqual([e.grouping, e.without], [['a'], true]);
  });

  test('calls reference the function table', () => {
    const e = parseExpr('clamp(foo, 0, 1)');
    assert.equal(e.type, 'Call');
    if (e.type !== 'Call') return;
    assert.equal(e.func.name, 'clamp');
    assert.deepEqual(e.func.argTypes, ['vector', 'scalar', 'scalar']);
    assert.equal(e.args.length, 3);
  });

  test('positions are UTF-8 byte offsets', () => {
    const e = bin(parseExpr('{a="é"} + b'));
    assert.deepEqual(e.lhs.posRange, { start: 0, end: 8 });
    assert.deepEqual(e.rhs.posRange, { start: 11, end: 12 });
  });

  test('string escapes decode as Go does (\\x and octal are bytes)', () => {
    const e = parseExpr('"\\xc3\\xa9\\303\\251\\u00e9\\U0001F600\\a"');
    assert.equal(e.type === 'StringLiteral' && e.val, 'ééé😀\x07');
  });

  test('duration expressions keep their tree', () => {
    const e = parseExpr('foo[5m + step()]', ALL_FEATURES);
    assert.equal(e.type, 'MatrixSelector');
    if (e.type !== 'MatrixSelector') return;
    assert.equal(e.range, 0);
    assert.equal(e.rangeExpr?.op, '+');
    assert.equal(e.rangeExpr?.rhs?.type, 'DurationExpr');
  });
});
