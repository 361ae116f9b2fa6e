/**
 * The JSON form of a PromQL tree that `/api/v1/parse_query` returns (Prometheus's
 * `translateAST`, which the UI's tree view reads).
 * @module
 */
import type { Matcher } from '../../../core/model/mod.ts';
import type { AtModifier, DurationNode, Expr } from './ast.ts';
import { formatFloat } from './literals.ts';

/** A JSON value. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

const matchersJson = (ms: readonly Matcher[]): JsonValue =>
  ms.map((m) => ({ name: m.name, value: m.value, type: m.type }));

const timestamp = (at: AtModifier): JsonValue => (typeof at === 'number' ? at : null);
const startOrEnd = (at: AtModifier): JsonValue => (at === 'start' || at === 'end' ? at : null);

function durationJson(d: DurationNode | undefined): JsonValue {
  if (!d) return null;
  if (d.type === 'NumberLiteral') {
    return { type: 'numberLiteral', val: formatFloat(d.val), duration: d.duration };
  }
  return {
    type: 'durationExpr',
    op: d.op,
    lhs: durationJson(d.lhs),
    rhs: durationJson(d.rhs),
    wrapped: d.wrapped,
  };
}

/** The `/api/v1/parse_query` JSON of an expression, field for field as Prometheus emits it. */
export function exprToJson(e: Expr | undefined): JsonValue {
  if (!e) return null;
  switch (e.type) {
    case 'AggregateExpr':
      return {
        type: 'aggregation',
        op: e.op,
        expr: exprToJson(e.expr),
        param: exprToJson(e.param),
        grouping: [...e.grouping],
        without: e.without,
      };
    case 'BinaryExpr': {
      const m = e.matching;
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: exprToJson(e.lhs),
        rhs: exprToJson(e.rhs),
        matching: m
          ? {
            card: m.card,
            labels: [...m.labels],
            on: m.on,
            include: [...m.include],
            fillValues: { lhs: m.fillValues.lhs ?? null, rhs: m.fillValues.rhs ?? null },
          }
          : null,
        bool: e.returnBool,
      };
    }
    case 'Call':
      return {
        type: 'call',
        func: {
          name: e.func.name,
          argTypes: [...e.func.argTypes],
          variadic: e.func.variadic,
          returnType: e.func.returnType,
        },
        args: e.args.map(exprToJson),
      };
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return {
        type: 'matrixSelector',
        name: vs.name,
        range: e.range,
        rangeExpr: durationJson(e.rangeExpr),
        offset: vs.offset,
        offsetExpr: durationJson(vs.offsetExpr),
        matchers: matchersJson(vs.matchers),
        timestamp: timestamp(vs.at),
        startOrEnd: startOrEnd(vs.at),
        anchored: vs.anchored,
        smoothed: vs.smoothed,
      };
    }
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: exprToJson(e.expr),
        range: e.range,
        rangeExpr: durationJson(e.rangeExpr),
        offset: e.offset,
        offsetExpr: durationJson(e.offsetExpr),
        step: e.step,
        stepExpr: durationJson(e.stepExpr),
        timestamp: timestamp(e.at),
        startOrEnd: startOrEnd(e.at),
      };
    case 'DurationExpr':
      return durationJson(e);
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatFloat(e.val) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: exprToJson(e.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.val };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: exprToJson(e.expr) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        offset: e.offset,
        offsetExpr: durationJson(e.offsetExpr),
        matchers: matchersJson(e.matchers),
        timestamp: timestamp(e.at),
        startOrEnd: startOrEnd(e.at),
        anchored: e.anchored,
        smoothed: e.smoothed,
      };
  }
}
