/**
 * Type checking of a parsed PromQL tree, with Prometheus's rules and messages (operand types,
 * function signatures, aggregation parameters, vector matching, selector sanity).
 * @module
 */
import { goQuote } from '../../../core/model/mod.ts';
import { type BinaryExpr, documentedType, type Expr, typeOf, type ValueType } from './ast.ts';
import type { ParseProblem } from './errors.ts';

const COMPARISONS = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPS = new Set(['and', 'or', 'unless']);
const SCALAR_PARAM = new Set(['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio']);

/**
 * Checks `expr` and its children, appending problems in Prometheus's order. `opPos` gives the
 * byte offset of each binary operator (for errors that point at the operator).
 */
export function checkExpr(
  expr: Expr,
  opPos: ReadonlyMap<BinaryExpr, number>,
  problems: ParseProblem[],
): ValueType {
  const add = (posRange: { start: number; end: number }, message: string) =>
    problems.push({ positionRange: { ...posRange }, message });
  const expect = (e: Expr, want: ValueType, context: string) => {
    const t = check(e);
    if (t !== want) {
      add(
        e.posRange,
        `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`,
      );
    }
  };

  function check(e: Expr): ValueType {
    const type = typeOf(e);
    switch (e.type) {
      case 'AggregateExpr':
        expect(e.expr, 'vector', 'aggregation expression');
        if (SCALAR_PARAM.has(e.op)) expect(e.param!, 'scalar', 'aggregation parameter');
        if (e.op === 'count_values') expect(e.param!, 'string', 'aggregation parameter');
        break;
      case 'BinaryExpr':
        checkBinary(e);
        break;
      case 'Call': {
        const f = e.func;
        const n = f.argTypes.length;
        if (f.variadic === 0) {
          if (n !== e.args.length) {
            add(
              e.posRange,
              `expected ${n} argument(s) in call to ${goQuote(f.name)}, got ${e.args.length}`,
            );
          }
        } else if (n - 1 > e.args.length) {
          add(
            e.posRange,
            `expected at least ${n - 1} argument(s) in call to ${
              goQuote(f.name)
            }, got ${e.args.length}`,
          );
        } else if (f.variadic > 0 && n - 1 + f.variadic < e.args.length) {
          add(
            e.posRange,
            `expected at most ${n - 1 + f.variadic} argument(s) in call to ${
              goQuote(f.name)
            }, got ${e.args.length}`,
          );
        }
        if (f.name === 'info' && e.args.length > 1) {
          const sel = e.args[1];
          if (typeOf(sel) !== 'vector') {
            add(
              e.posRange,
              `expected type instant vector in call to function "info", got ${
                documentedType(typeOf(sel))
              }`,
            );
          }
          if (sel.type === 'VectorSelector' && sel.name !== '') {
            add(sel.posRange, 'expected label selectors only, got vector selector instead');
          } else if (sel.type === 'VectorSelector') sel.bypassEmptyMatcherCheck = true;
          else add(sel.posRange, 'expected label selectors only');
        }
        e.args.forEach((arg, i) => {
          if (i >= n) {
            if (f.variadic === 0) return;
            i = n - 1;
          }
          const t = check(arg);
          if (t !== f.argTypes[i]) {
            add(
              arg.posRange,
              `expected type ${documentedType(f.argTypes[i])} in call to function ${
                goQuote(f.name)
              }, got ${documentedType(t)}`,
            );
          }
        });
        break;
      }
      case 'ParenExpr':
        check(e.expr);
        break;
      case 'UnaryExpr': {
        const t = check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          add(
            e.posRange,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${
              goQuote(documentedType(t))
            }`,
          );
        }
        break;
      }
      case 'SubqueryExpr': {
        const t = check(e.expr);
        if (t !== 'vector') {
          add(e.posRange, `subquery is only allowed on instant vector, got ${t} instead`);
        }
        break;
      }
      case 'MatrixSelector':
        check(e.vectorSelector);
        break;
      case 'VectorSelector':
        if (e.name !== '') {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === '__name__') {
              add(
                e.posRange,
                `metric name must not be set twice: ${goQuote(e.name)} or ${goQuote(m.value)}`,
              );
            }
          }
        } else if (!e.bypassEmptyMatcherCheck && !e.matchers.some((m) => !m.matchesEmpty)) {
          add(e.posRange, 'vector selector must contain at least one non-empty matcher');
        }
        break;
    }
    return type;
  }

  function checkBinary(n: BinaryExpr): void {
    const lt = check(n.lhs);
    const rt = check(n.rhs);
    const opStart = opPos.get(n) ?? n.lhs.posRange.end;
    const opRange = { start: opStart, end: opStart + n.op.length };
    const m = n.matching;
    if (n.returnBool && !COMPARISONS.has(n.op)) {
      add(opRange, 'bool modifier can only be used on comparison operators');
    }
    if (COMPARISONS.has(n.op) && !n.returnBool && lt === 'scalar' && rt === 'scalar') {
      add(opRange, 'comparisons between scalars must use BOOL modifier');
    }
    const isSet = SET_OPS.has(n.op);
    if (m && isSet && m.card === 'one-to-one') m.card = 'many-to-many';
    if (m?.on) {
      for (const l of m.labels) {
        if (m.include.includes(l)) {
          add(opRange, `label ${goQuote(l)} must not occur in ON and GROUP clause at once`);
        }
      }
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      add(n.lhs.posRange, 'binary expression must contain only scalar and instant vector types');
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      add(n.rhs.posRange, 'binary expression must contain only scalar and instant vector types');
    }
    const filled = m !== undefined &&
      (m.fillValues.lhs !== undefined || m.fillValues.rhs !== undefined);
    if ((lt !== 'vector' || rt !== 'vector') && m) {
      if (m.labels.length > 0) {
        add(n.posRange, 'vector matching only allowed between instant vectors');
      }
      if (filled) {
        add(n.posRange, 'filling in missing series only allowed between instant vectors');
      }
      n.matching = undefined;
    } else if (isSet && m) {
      if (m.card === 'one-to-many' || m.card === 'many-to-one') {
        add(n.posRange, `no grouping allowed for ${goQuote(n.op)} operation`);
      }
      if (m.card !== 'many-to-many') add(n.posRange, 'set operations must always be many-to-many');
      if (filled) add(n.posRange, 'filling in missing series not allowed for set operators');
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSet) {
      add(n.posRange, `set operator ${goQuote(n.op)} not allowed in binary scalar expression`);
    }
  }

  return check(expr);
}
