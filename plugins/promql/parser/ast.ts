/**
 * The PromQL syntax tree: a discriminated union on `type`. Times are milliseconds; positions
 * are UTF-8 byte offsets into the query, end exclusive.
 * @module
 */
import type { Matcher } from '../../../core/model/mod.ts';
import type { FunctionDef } from './functions.ts';

/** The four PromQL value types. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A half-open byte range `[start, end)` of the query text. */
export interface PosRange {
  start: number;
  end: number;
}

/** Binary operators, as spelled in PromQL (set operators and `atan2` lower-case). */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '</'
  | '>/'
  | 'and'
  | 'or'
  | 'unless'; // deno-fmt-ignore

/** Aggregation operators. */
export type AggregateOp =
  | 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'count_values' | 'quantile' | 'limitk' | 'limit_ratio'; // deno-fmt-ignore

/** Where an `@` modifier pins evaluation: a unix time in ms, or the query's start or end. */
export type AtModifier = number | 'start' | 'end' | undefined;

/** A float literal; `duration` is set when it was written as a duration (`5m`). */
export interface NumberLiteral {
  type: 'NumberLiteral';
  val: number;
  duration: boolean;
  posRange: PosRange;
}

/** A string literal (already unquoted). */
export interface StringLiteral {
  type: 'StringLiteral';
  val: string;
  posRange: PosRange;
}

/** An experimental duration expression (`[5m + step()]`, `offset min_of(step(), 1m)`). */
export interface DurationExpr {
  type: 'DurationExpr';
  op: '+' | '-' | '*' | '/' | '%' | '^' | 'step' | 'range' | 'min_of' | 'max_of';
  /** Absent for unary `+`/`-` and for `step()`/`range()`. */
  lhs?: DurationNode;
  rhs?: DurationNode;
  /** Written in parentheses (kept so that printing round-trips). */
  wrapped: boolean;
  posRange: PosRange;
}

/** An operand of a duration expression. */
export type DurationNode = DurationExpr | NumberLiteral;

/** An instant vector selector `name{matchers} @ t offset d`. */
export interface VectorSelector {
  type: 'VectorSelector';
  /** The metric name written before the braces ('' when absent). */
  name: string;
  /** All matchers, including `__name__="<name>"` (last) when a name was written. */
  matchers: Matcher[];
  /** Offset in ms (negative allowed). */
  offset: number;
  offsetExpr?: DurationExpr;
  at: AtModifier;
  /** Experimental extended range selector modifiers. */
  anchored: boolean;
  smoothed: boolean;
  /** Set for the second argument of `info()`, which may match everything. */
  bypassEmptyMatcherCheck?: boolean;
  posRange: PosRange;
}

/** A range selector `selector[range]`. */
export interface MatrixSelector {
  type: 'MatrixSelector';
  vectorSelector: VectorSelector;
  /** Range in ms (0 when given by `rangeExpr`). */
  range: number;
  rangeExpr?: DurationExpr;
  posRange: PosRange;
}

/** A subquery `expr[range:step]`; a step of 0 means the evaluation interval. */
export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  range: number;
  rangeExpr?: DurationExpr;
  step: number;
  stepExpr?: DurationExpr;
  offset: number;
  offsetExpr?: DurationExpr;
  at: AtModifier;
  posRange: PosRange;
}

/** Vector matching cardinality. */
export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** How the two sides of a vector/vector binary operation are matched. */
export interface VectorMatching {
  card: Cardinality;
  /** True for `on(...)`, false for `ignoring(...)` (or no clause). */
  on: boolean;
  labels: string[];
  /** Extra labels of `group_left(...)`/`group_right(...)`. */
  include: string[];
  /** Experimental `fill`/`fill_left`/`fill_right` values. */
  fillValues: { lhs?: number; rhs?: number };
}

/** A binary operation; `matching` is undefined unless both sides are instant vectors. */
export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  matching: VectorMatching | undefined;
  posRange: PosRange;
}

/** A unary `-expr` or `+expr` (a sign on a number literal is folded into the literal). */
export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '+' | '-';
  expr: Expr;
  posRange: PosRange;
}

/** A parenthesised expression. */
export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  posRange: PosRange;
}

/** An aggregation `op by|without (labels) ([param,] expr)`. */
export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  param: Expr | undefined;
  grouping: string[];
  without: boolean;
  posRange: PosRange;
}

/** A function call. */
export interface Call {
  type: 'Call';
  func: FunctionDef;
  args: Expr[];
  posRange: PosRange;
}

/** Any PromQL expression. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | AggregateExpr
  | Call
  | DurationExpr;

/** The value type an expression evaluates to. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
    case 'DurationExpr':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'ParenExpr':
    case 'UnaryExpr':
      return typeOf(e.expr);
    case 'Call':
      return e.func.returnType;
    case 'BinaryExpr':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
  }
}

/** The names Prometheus uses for value types in error messages. */
export function documentedType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
