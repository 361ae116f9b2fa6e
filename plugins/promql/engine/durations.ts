/**
 * Experimental duration expressions (`[5m + step()]`, `offset min_of(range(), 1h)`): resolved
 * to plain milliseconds on the tree before evaluation, as Prometheus does once per query.
 * Also completes `info()` calls with their default selector and checks that `anchored` and
 * `smoothed` are used only with the functions they apply to.
 * @module
 */
import type { DurationNode, Expr } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { checkExtendedUse } from './extended_range.ts';
import { prepareInfoCall } from './info_function.ts';

/** The query's shape, which `step()` and `range()` read (ms). */
export interface QueryShape {
  start: number;
  end: number;
  step: number;
}

function seconds(d: DurationNode, q: QueryShape): number {
  if (d.type === 'NumberLiteral') return d.val;
  const l = d.lhs ? seconds(d.lhs, q) : undefined;
  const r = d.rhs ? seconds(d.rhs, q) : undefined;
  switch (d.op) {
    case 'step':
      return q.step / 1000;
    case 'range':
      return (q.end - q.start) / 1000;
    case 'min_of':
      return Math.min(l!, r!);
    case 'max_of':
      return Math.max(l!, r!);
    case '+':
      return l === undefined ? r! : l + r!;
    case '-':
      return l === undefined ? -r! : l - r!;
    case '*':
      return l! * r!;
    case '/':
      return l! / r!;
    case '%':
      return l! % r!;
    case '^':
      return Math.pow(l!, r!);
  }
}

function ms(d: DurationNode, q: QueryShape, what: string, positive: boolean): number {
  const s = seconds(d, q);
  if (!Number.isFinite(s)) throw execError(`${what} must be a finite duration, got ${s}`);
  const v = Math.round(s * 1000);
  if (positive && v <= 0) throw execError(`${what} must be greater than 0`);
  return v;
}

/** Resolves every duration expression in `e` in place and rejects unsupported modifiers. */
export function prepareTree(e: Expr, q: QueryShape): void {
  switch (e.type) {
    case 'VectorSelector':
      if (e.offsetExpr) e.offset = ms(e.offsetExpr, q, 'offset', false);
      return;
    case 'MatrixSelector':
      prepareTree(e.vectorSelector, q);
      if (e.rangeExpr) e.range = ms(e.rangeExpr, q, 'range', true);
      return;
    case 'SubqueryExpr':
      prepareTree(e.expr, q);
      if (e.rangeExpr) e.range = ms(e.rangeExpr, q, 'range', true);
      if (e.stepExpr) e.step = ms(e.stepExpr, q, 'step', true);
      if (e.offsetExpr) e.offset = ms(e.offsetExpr, q, 'offset', false);
      return;
    case 'ParenExpr':
    case 'UnaryExpr':
      prepareTree(e.expr, q);
      return;
    case 'BinaryExpr':
      prepareTree(e.lhs, q);
      prepareTree(e.rhs, q);
      return;
    case 'AggregateExpr':
      prepareTree(e.expr, q);
      if (e.param) prepareTree(e.param, q);
      return;
    case 'Call':
      if (e.func.name === 'info') prepareInfoCall(e);
      for (const a of e.args) {
        let x = a;
        while (x.type === 'ParenExpr') x = x.expr;
        if (x.type === 'MatrixSelector') {
          checkExtendedUse(e.func.name, x.vectorSelector.anchored, x.vectorSelector.smoothed);
        }
        prepareTree(a, q);
      }
      return;
    default:
      return;
  }
}
