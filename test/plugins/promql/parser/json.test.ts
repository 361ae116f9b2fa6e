// The /api/v1/parse_query JSON form mirrors Prometheus's translateAST field for field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_FEATURES, exprToJson, parseExpr } from '../../../../plugins/promql/parser/mod.ts';

describe('exprToJson', () => {
  test('aggregation over a call over a matrix selector', () => {
    assert.deepEqual(exprToJson(parseExpr('sum by (job) (rate(foo{a="b"}[5m] offset 1m))')), {
      type: 'aggregation',
      op: 'sum',
      expr: {
        type: 'call',
        func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
        args: [{
          type: 'matrixSelector',
          name: 'foo',
          range: 300000,
          rangeExpr: null,
          offset: 60000,
          offsetExpr: null,
          matchers: [
            { name: 'a', value: 'b', type: '=' },
            { name: '__name__', value: 'foo', type: '=' },
          ],
          timestamp: null,
          startOrEnd: null,
          anchored: false,
          smoothed: false,
        }],
      },
      param: null,
      grouping: ['job'],
      without: false,
    });
  });

  test('binary expressions: matching only between vectors, literals, unary, paren', () => {
    assert.deepEqual(exprToJson(parseExpr('foo * on (x) group_left (y) bar')), {
      type: 'binaryExpr',
      op: '*',
      lhs: {
        type: 'vectorSelector',
        name: 'foo',
        offset: 0,
        offsetExpr: null,
        matchers: [{ name: '__name__', value: 'foo', type: '=' }],
        timestamp: null,
        startOrEnd: null,
        anchored: false,
        smoothed: false,
      },
      rhs: {
        type: 'vectorSelector',
        name: 'bar',
        offset: 0,
        offsetExpr: null,
        matchers: [{ name: '__name__', value: 'bar', type: '=' }],
        timestamp: null,
        startOrEnd: null,
        anchored: false,
        smoothed: false,
      },
      matching: {
        card: 'many-to-one',
        labels: ['x'],
        on: true,
        include: ['y'],
        fillValues: { lhs: null, rhs: null },
      },
      bool: false,
    });
    assert.deepEqual(exprToJson(parseExpr('1 + -(2)')), {
      type: 'binaryExpr',
      op: '+',
      lhs: { type: 'numberLiteral', val: '1' },
      rhs: {
        type: 'unaryExpr',
        op: '-',
        expr: { type: 'parenExpr', expr: { type: 'numberLiteral', val: '2' } },
      },
      matching: null,
      bool: false,
    });
  });

  test('subquery with @ and duration expressions', () => {
    assert.deepEqual(exprToJson(parseExpr('foo[1h:step()] @ 10', ALL_FEATURES)), {
      type: 'subquery',
      expr: {
        type: 'vectorSelector',
        name: 'foo',
        offset: 0,
        offsetExpr: null,
        matchers: [{ name: '__name__', value: 'foo', type: '=' }],
        timestamp: null,
        startOrEnd: null,
        anchored: false,
        smoothed: false,
      },
      range: 3600000,
      rangeExpr: null,
      offset: 0,
      offsetExpr: null,
      step: 0,
      stepExpr: { type: 'durationExpr', op: 'step', lhs: null, rhs: null, wrapped: false },
      timestamp: 10000,
      startOrEnd: null,
    });
  });

  test('string literal and +Inf', () => {
    assert.deepEqual(exprToJson(parseExpr('"a\\tb"')), { type: 'stringLiteral', val: 'a\tb' });
    assert.deepEqual(exprToJson(parseExpr('Inf')), { type: 'numberLiteral', val: '+Inf' });
  });
});
