/**
 * The PromQL parser: a precedence-climbing parser over the lexer's tokens that builds the
 * syntax tree with Prometheus's grammar, precedence, modifiers and error messages, then type
 * checks the tree (see check.ts).
 * @module
 */
import { Matcher, type MatchType } from '../../../core/model/mod.ts';
import { goQuote, isValidUTF8Name } from '../../../core/model/mod.ts';
import type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  DurationExpr,
  DurationNode,
  Expr,
  NumberLiteral,
  PosRange,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { checkExpr } from './check.ts';
import { type ParseProblem, PromQLParseError } from './errors.ts';
import { type FunctionDef, FUNCTIONS } from './functions.ts';
import { lex } from './lexer.ts';
import { formatFixed6, parseDuration, parseNumber, unquoteString } from './literals.ts';
import { describeToken, type Token } from './tokens.ts';

/** Switches for Prometheus's experimental PromQL features (all off by default, as upstream). */
export interface ParseOptions {
  /** Experimental functions and `limitk`/`limit_ratio` (`promql-experimental-functions`). */
  experimentalFunctions?: boolean;
  /** Arithmetic, `step()`, `range()`, `min_of`, `max_of` in ranges and offsets. */
  durationExpressions?: boolean;
  /** The `anchored` and `smoothed` range selector modifiers. */
  extendedRangeSelectors?: boolean;
  /** The `fill`, `fill_left`, `fill_right` binary operator modifiers. */
  binopFillModifiers?: boolean;
}

/** Every experimental feature switched on (what the PromQL test scripts use). */
export const ALL_FEATURES: Readonly<Required<ParseOptions>> = Object.freeze({
  experimentalFunctions: true,
  durationExpressions: true,
  extendedRangeSelectors: true,
  binopFillModifiers: true,
});

/**
 * Parses a PromQL expression.
 * @throws {PromQLParseError} with Prometheus's message, e.g. `1:3: parse error: unexpected end of input`.
 */
export function parseExpr(input: string, options: ParseOptions = {}): Expr {
  try {
    return new Parser(input, options).parse();
  } catch (err) {
    // The parser recurses per nesting level: a query nested deeper than the stack allows is a
    // parse error like any other, never the runtime's RangeError.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new PromQLParseError(input, [{
        positionRange: { start: 0, end: new TextEncoder().encode(input).length },
        message: TOO_DEEP,
      }]);
    }
    throw err;
  }
}

/** The message of a query nested deeper than the parser can follow. */
export const TOO_DEEP = 'query is too deeply nested';

const BINARY_PREC: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '</': 3,
  '>/': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const POW_PREC = 6;
const DURATION_OPS = new Set(['+', '-', '*', '/', '%', '^']);
const MATCH_OPS = new Set(['=', '!=', '=~', '!~']);
/** Keywords that may also be metric names (Prometheus's `metric_identifier`). */
const METRIC_KEYWORDS = new Set([
  'by',
  'without',
  'offset',
  'fill',
  'fill_left',
  'fill_right',
  'anchored',
  'smoothed',
]); // deno-fmt-ignore
const PARAM_AGGREGATORS = new Set([
  'topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio',
]); // deno-fmt-ignore
const MAX_DURATION_SECONDS = 2 ** 63 / 1e9;

/** Thrown internally to stop at the first syntax error. */
class Abort {}

const secondsToMs = (s: number) => Math.trunc(Math.round(s * 1e9) / 1e6);
const range = (a: { posRange: PosRange } | Token, b: { posRange: PosRange } | Token): PosRange => ({
  start: 'posRange' in a ? a.posRange.start : a.pos,
  end: 'posRange' in b ? b.posRange.end : b.end,
});

class Parser {
  readonly #input: string;
  readonly #opts: ParseOptions;
  readonly #toks: Token[];
  #i = 0;
  readonly #problems: ParseProblem[] = [];
  readonly #context: string[] = [];
  readonly #opPos = new Map<BinaryExpr, number>();

  constructor(input: string, opts: ParseOptions) {
    this.#input = input;
    this.#opts = opts;
    this.#toks = lex(input);
  }

  parse(): Expr {
    let expr: Expr | undefined;
    try {
      if (this.#peek().kind === 'EOF') {
        this.#addError({ start: 0, end: 0 }, 'no expression found in input');
        throw new Abort();
      }
      expr = this.#expr(0);
      if (this.#peek().kind !== 'EOF') this.#fail();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
    }
    if (this.#problems.length === 0 && expr) {
      checkExpr(expr, this.#opPos, this.#problems);
    }
    if (this.#problems.length > 0 || !expr) throw new PromQLParseError(this.#input, this.#problems);
    return expr;
  }

  // --- token helpers -------------------------------------------------------------------------

  #peek(k = 0): Token {
    return this.#toks[Math.min(this.#i + k, this.#toks.length - 1)];
  }
  #next(): Token {
    const t = this.#peek();
    if (this.#i < this.#toks.length - 1) this.#i++;
    return t;
  }
  #lastEnd(): number {
    return this.#toks[Math.max(this.#i - 1, 0)].end;
  }
  #is(kind: Token['kind'], key?: string, k = 0): boolean {
    const t = this.#peek(k);
    return t.kind === kind && (key === undefined || t.key === key);
  }
  #addError(positionRange: PosRange, message: string): void {
    this.#problems.push({ positionRange, message });
  }
  /** Reports the current token as unexpected (or the lexer's error) and stops. */
  #fail(context?: string, expected?: string): never {
    const t = this.#peek();
    if (t.kind === 'ERROR') {
      this.#addError({ start: t.pos, end: t.end }, t.val);
      throw new Abort();
    }
    let ctx = context;
    if (ctx === undefined && this.#context.length > 0) {
      [ctx, expected] = this.#context[this.#context.length - 1].split('\0');
    }
    let msg = `unexpected ${describeToken(t)}`;
    if (ctx) msg += ` in ${ctx}`;
    if (expected) msg += `, expected ${expected}`;
    this.#addError({ start: t.pos, end: t.end }, msg);
    throw new Abort();
  }
  #expect(kind: Token['kind']): Token {
    if (!this.#is(kind)) this.#fail();
    return this.#next();
  }

  // --- expressions ---------------------------------------------------------------------------

  #expr(minPrec: number): Expr {
    let lhs = this.#unary();
    for (;;) {
      const t = this.#peek();
      const prec = t.kind === 'OPERATOR' ? BINARY_PREC[t.key] : undefined;
      if (prec === undefined || prec < minPrec) return lhs;
      this.#next();
      const mods = this.#binModifiers();
      const rhs = this.#expr(t.key === '^' ? prec : prec + 1);
      lhs = this.#binary(t, lhs, rhs, mods);
    }
  }

  #binary(
    op: Token,
    lhs: Expr,
    rhs: Expr,
    mods: { returnBool: boolean; matching: VectorMatching },
  ): BinaryExpr {
    const b: BinaryExpr = {
      type: 'BinaryExpr',
      op: op.key as BinaryOp,
      lhs,
      rhs,
      returnBool: mods.returnBool,
      matching: mods.matching,
      posRange: range(lhs, rhs),
    };
    this.#opPos.set(b, op.pos);
    const fill = mods.matching.fillValues;
    if (!this.#opts.binopFillModifiers && (fill.lhs !== undefined || fill.rhs !== undefined)) {
      this.#addError(b.posRange, 'binop fill modifiers are experimental and not enabled');
    }
    return b;
  }

  #binModifiers(): { returnBool: boolean; matching: VectorMatching } {
    const matching: VectorMatching = {
      card: 'one-to-one',
      on: false,
      labels: [],
      include: [],
      fillValues: {},
    };
    let returnBool = false;
    if (this.#is('KEYWORD', 'bool')) {
      this.#next();
      returnBool = true;
    }
    if (this.#is('KEYWORD', 'on') || this.#is('KEYWORD', 'ignoring')) {
      matching.on = this.#next().key === 'on';
      matching.labels = this.#groupingLabels();
      if (this.#is('KEYWORD', 'group_left') || this.#is('KEYWORD', 'group_right')) {
        matching.card = this.#next().key === 'group_left' ? 'many-to-one' : 'one-to-many';
        if (this.#is('LEFT_PAREN')) matching.include = this.#groupingLabels();
      }
    }
    const seen = new Set<string>();
    while (this.#is('KEYWORD') && this.#peek().key.startsWith('fill')) {
      const kw = this.#peek().key;
      // Upstream allows fill() alone, or fill_left and fill_right once each in any order.
      if (seen.has('fill') || seen.has(kw) || (kw === 'fill' && seen.size > 0)) break;
      seen.add(kw);
      this.#next();
      const v = this.#fillValue();
      if (kw !== 'fill_right') matching.fillValues.lhs = v;
      if (kw !== 'fill_left') matching.fillValues.rhs = v;
    }
    return { returnBool, matching };
  }

  #fillValue(): number {
    this.#expect('LEFT_PAREN');
    let sign = 1;
    if (this.#is('OPERATOR', '+') || this.#is('OPERATOR', '-')) {
      if (this.#next().key === '-') sign = -1;
    }
    const lit = this.#numberLiteral();
    this.#expect('RIGHT_PAREN');
    return sign * lit.val;
  }

  #unary(): Expr {
    const t = this.#peek();
    if (t.kind === 'OPERATOR' && (t.key === '+' || t.key === '-')) {
      this.#next();
      const operand = this.#expr(POW_PREC);
      if (operand.type === 'NumberLiteral') {
        if (t.key === '-') operand.val *= -1;
        operand.posRange.start = t.pos;
        return operand;
      }
      return {
        type: 'UnaryExpr',
        op: t.key,
        expr: operand,
        posRange: { start: t.pos, end: operand.posRange.end },
      };
    }
    return this.#postfix(this.#primary());
  }

  #primary(): Expr {
    const t = this.#peek();
    switch (t.kind) {
      case 'NUMBER':
      case 'DURATION':
        return this.#numberLiteral();
      case 'STRING':
        this.#next();
        return {
          type: 'StringLiteral',
          val: unquoteString(t.val),
          posRange: { start: t.pos, end: t.end },
        };
      case 'LEFT_PAREN': {
        this.#next();
        const inner = this.#expr(0);
        const close = this.#expect('RIGHT_PAREN');
        return { type: 'ParenExpr', expr: inner, posRange: range(t, close) };
      }
      case 'LEFT_BRACE':
        return this.#vectorSelector(undefined);
      case 'IDENTIFIER':
        return this.#is('LEFT_PAREN', undefined, 1)
          ? this.#call()
          : this.#vectorSelector(this.#next());
      case 'METRIC_IDENTIFIER':
        return this.#vectorSelector(this.#next());
      case 'AGGREGATOR':
        if (
          this.#is('LEFT_PAREN', undefined, 1) || this.#is('KEYWORD', 'by', 1) ||
          this.#is('KEYWORD', 'without', 1)
        ) {
          return this.#aggregation();
        }
        return this.#vectorSelector(this.#next());
      case 'PREPROCESSOR':
        return this.#is('LEFT_PAREN', undefined, 1)
          ? this.#call()
          : this.#vectorSelector(this.#next());
      case 'KEYWORD':
        if (METRIC_KEYWORDS.has(t.key)) return this.#vectorSelector(this.#next());
        break;
      case 'OPERATOR':
        if (t.key === 'and' || t.key === 'or' || t.key === 'unless') {
          return this.#vectorSelector(this.#next());
        }
        break;
    }
    return this.#fail();
  }

  #numberLiteral(): NumberLiteral {
    const t = this.#peek();
    if (t.kind !== 'NUMBER' && t.kind !== 'DURATION') this.#fail();
    this.#next();
    const posRange = { start: t.pos, end: t.end };
    if (t.kind === 'DURATION') {
      let ms = 0;
      try {
        ms = parseDuration(t.val);
      } catch (e) {
        this.#addError(posRange, (e as Error).message);
      }
      return { type: 'NumberLiteral', val: ms / 1000, duration: true, posRange };
    }
    const n = parseNumber(t.val);
    if (typeof n !== 'number') {
      this.#addError(posRange, `error parsing number: ${n.error}`);
      return { type: 'NumberLiteral', val: 0, duration: false, posRange };
    }
    return { type: 'NumberLiteral', val: n, duration: false, posRange };
  }

  // --- postfix modifiers ---------------------------------------------------------------------

  #postfix(e: Expr): Expr {
    for (;;) {
      const t = this.#peek();
      if (t.kind === 'LEFT_BRACKET') e = this.#bracket(e);
      else if (t.kind === 'KEYWORD' && t.key === 'offset') this.#offset(e);
      else if (t.kind === 'OPERATOR' && t.key === '@') this.#at(e);
      else if (t.kind === 'KEYWORD' && (t.key === 'anchored' || t.key === 'smoothed')) {
        this.#next();
        this.#extended(e, t.key);
      } else return e;
    }
  }

  #bracket(e: Expr): Expr {
    const lb = this.#next();
    if (!this.#durationStart()) {
      this.#fail('subquery or range selector', 'number, duration, step(), or range()');
    }
    this.#context.push('subquery or range selector\0number, duration, step(), or range()');
    const r = this.#positiveDuration();
    this.#context.pop();
    if (this.#is('RIGHT_BRACKET')) {
      const rb = this.#next();
      let msg = '';
      if (e.type !== 'VectorSelector') msg = 'ranges only allowed for vector selectors';
      else if (e.offset !== 0 || e.offsetExpr) msg = 'no offset modifiers allowed before range';
      else if (e.at !== undefined) msg = 'no @ modifiers allowed before range';
      if (msg) this.#addError(range(lb, rb), msg);
      return {
        type: 'MatrixSelector',
        vectorSelector: e as VectorSelector,
        range: r.type === 'NumberLiteral' ? secondsToMs(r.val) : 0,
        rangeExpr: r.type === 'DurationExpr' ? r : undefined,
        posRange: { start: e.posRange.start, end: rb.end },
      };
    }
    if (!this.#is('COLON')) this.#fail('subquery or range', '":" or "]"');
    this.#next();
    let step: DurationNode | undefined;
    if (!this.#is('RIGHT_BRACKET')) {
      if (!this.#durationStart()) {
        this.#fail('subquery selector', 'number, duration, step(), range(), or "]"');
      }
      this.#context.push('subquery selector\0number, duration, step(), range(), or "]"');
      step = this.#positiveDuration();
      this.#context.pop();
      if (!this.#is('RIGHT_BRACKET')) this.#fail('subquery selector', '"]"');
    }
    const rb = this.#next();
    return {
      type: 'SubqueryExpr',
      expr: e,
      range: r.type === 'NumberLiteral' ? secondsToMs(r.val) : 0,
      rangeExpr: r.type === 'DurationExpr' ? r : undefined,
      step: step?.type === 'NumberLiteral' ? secondsToMs(step.val) : 0,
      stepExpr: step?.type === 'DurationExpr' ? step : undefined,
      offset: 0,
      at: undefined,
      posRange: { start: e.posRange.start, end: rb.end },
    };
  }

  #durationStart(): boolean {
    const t = this.#peek();
    return t.kind === 'NUMBER' || t.kind === 'DURATION' || t.kind === 'LEFT_PAREN' ||
      t.kind === 'PREPROCESSOR' || (t.kind === 'OPERATOR' && (t.key === '+' || t.key === '-'));
  }

  #positiveDuration(): DurationNode {
    const d = this.#durationExpr(0);
    if (d.type === 'NumberLiteral' && !(d.val > 0)) {
      this.#addError(d.posRange, 'duration must be greater than 0');
    }
    return d;
  }

  #offset(e: Expr): void {
    this.#next();
    const d = this.#offsetDuration();
    const target = this.#modifierTarget(e, 'offset');
    if (!target) return;
    if (target.offset !== 0 || target.offsetExpr) {
      this.#addError(e.posRange, 'offset may not be set multiple times');
    } else if (d.type === 'NumberLiteral') target.offset = secondsToMs(d.val);
    else target.offsetExpr = d;
    e.posRange.end = this.#lastEnd();
  }

  /** The node holding offset/@ for `e`, or undefined after reporting why there is none. */
  #modifierTarget(
    e: Expr,
    what: 'offset' | '@',
  ): { offset: number; offsetExpr?: DurationExpr; at: VectorSelector['at'] } | undefined {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
    if (e.type === 'MatrixSelector') {
      if (e.vectorSelector.type === 'VectorSelector') return e.vectorSelector;
      this.#addError(e.posRange, 'ranges only allowed for vector selectors');
      return undefined;
    }
    const name = what === 'offset' ? 'offset' : '@';
    this.#addError(
      e.posRange,
      `${name} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
    return undefined;
  }

  #offsetDuration(): DurationNode {
    const sign = this.#is('OPERATOR', '+') || this.#is('OPERATOR', '-') ? this.#next() : undefined;
    const u = this.#peek();
    if (u.kind === 'NUMBER' || u.kind === 'DURATION') {
      const lit = this.#checkedLiteral(this.#numberLiteral());
      return sign ? this.#applySign(sign, lit, false) : lit;
    }
    const isPrimary = u.kind === 'LEFT_PAREN' ||
      (u.kind === 'PREPROCESSOR' && u.key !== 'start' && u.key !== 'end');
    if (!isPrimary) return this.#fail('offset', 'number, duration, step(), or range()');
    this.#context.push('offset\0number, duration, step(), or range()');
    const d = this.#durationPrimary();
    this.#context.pop();
    if (!sign) return d;
    if (u.kind === 'LEFT_PAREN') return this.#applySign(sign, d, false);
    const de: DurationExpr = {
      type: 'DurationExpr',
      op: sign.key as '+' | '-',
      rhs: d,
      wrapped: false,
      posRange: { start: sign.pos, end: d.posRange.end },
    };
    this.#experimental(de);
    return de;
  }

  #at(e: Expr): void {
    this.#next();
    const t = this.#peek();
    let ts: number | 'start' | 'end';
    if (t.kind === 'PREPROCESSOR' && (t.key === 'start' || t.key === 'end')) {
      this.#next();
      if (!this.#is('LEFT_PAREN')) this.#fail('@', 'timestamp');
      this.#next();
      if (!this.#is('RIGHT_PAREN')) this.#fail('@', 'timestamp');
      this.#next();
      ts = t.key;
    } else {
      let sign = 1;
      if (t.kind === 'OPERATOR' && (t.key === '+' || t.key === '-')) {
        if (this.#peek(1).kind !== 'NUMBER' && this.#peek(1).kind !== 'DURATION') {
          this.#next();
          this.#fail('@', 'timestamp');
        }
        if (this.#next().key === '-') sign = -1;
      } else if (t.kind !== 'NUMBER' && t.kind !== 'DURATION') this.#fail('@', 'timestamp');
      const v = sign * this.#numberLiteral().val;
      if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) {
        this.#addError(e.posRange, `timestamp out of bounds for @ modifier: ${formatFixed6(v)}`);
      }
      ts = Math.round(v * 1000);
    }
    const target = this.#modifierTarget(e, '@');
    if (!target) return;
    if (target.at !== undefined) {
      this.#addError(e.posRange, '@ <timestamp> may not be set multiple times');
      return;
    }
    target.at = ts;
    e.posRange.end = this.#lastEnd();
  }

  #extended(e: Expr, kind: 'anchored' | 'smoothed'): void {
    if (!this.#opts.extendedRangeSelectors) {
      this.#addError(e.posRange, `${kind} modifier is experimental and not enabled`);
      return;
    }
    const other = kind === 'anchored' ? 'smoothed' : 'anchored';
    const vs = e.type === 'VectorSelector'
      ? e
      : e.type === 'MatrixSelector'
      ? e.vectorSelector
      : undefined;
    if (vs) {
      vs[kind] = true;
      if (vs[other]) {
        this.#addError(e.posRange, 'anchored and smoothed modifiers cannot be used together');
      }
    } else if (e.type === 'SubqueryExpr') {
      this.#addError(e.posRange, `${kind} modifier is not supported for subqueries`);
    } else this.#addError(e.posRange, `${kind} modifier not implemented`);
  }

  // --- duration expressions ------------------------------------------------------------------

  #experimental(e: { posRange: PosRange }): void {
    if (!this.#opts.durationExpressions) {
      this.#addError(e.posRange, 'experimental duration expression is not enabled');
    }
  }

  #checkedLiteral(nl: NumberLiteral): NumberLiteral {
    if (nl.val > MAX_DURATION_SECONDS || nl.val < -MAX_DURATION_SECONDS) {
      this.#addError(nl.posRange, 'duration out of range');
      return { ...nl, val: 0 };
    }
    return nl;
  }

  #applySign(op: Token, d: DurationNode, wrapped: boolean): DurationNode {
    if (wrapped) d = this.#wrap(d);
    if (d.type === 'NumberLiteral') {
      if (op.key === '-') d.val *= -1;
      if (d.val > MAX_DURATION_SECONDS || d.val < -MAX_DURATION_SECONDS) {
        this.#addError({ start: op.pos, end: op.end }, 'duration out of range');
        return { ...d, val: 0 };
      }
      d.posRange.start = op.pos;
      return d;
    }
    if (op.key === '+') return d;
    return {
      type: 'DurationExpr',
      op: '-',
      rhs: d,
      wrapped: false,
      posRange: { start: op.pos, end: d.posRange.end },
    };
  }

  #wrap(d: DurationNode): DurationExpr {
    if (d.type === 'DurationExpr') {
      d.wrapped = true;
      return d;
    }
    return { type: 'DurationExpr', op: '+', rhs: d, wrapped: true, posRange: { ...d.posRange } };
  }

  #durationExpr(minPrec: number): DurationNode {
    let lhs: DurationNode;
    const t = this.#peek();
    if (t.kind === 'OPERATOR' && (t.key === '+' || t.key === '-')) {
      this.#next();
      lhs = this.#applySign(t, this.#durationExpr(POW_PREC), false);
    } else lhs = this.#durationPrimary();
    for (;;) {
      const op = this.#peek();
      if (op.kind !== 'OPERATOR' || !DURATION_OPS.has(op.key)) return lhs;
      const prec = BINARY_PREC[op.key];
      if (prec < minPrec) return lhs;
      this.#next();
      const rhs = this.#durationExpr(op.key === '^' ? prec : prec + 1);
      this.#experimental(lhs);
      if ((op.key === '/' || op.key === '%') && rhs.type === 'NumberLiteral' && rhs.val === 0) {
        this.#addError(
          { start: op.pos, end: op.end },
          op.key === '/' ? 'division by zero' : 'modulo by zero',
        );
        lhs = { type: 'NumberLiteral', val: 0, duration: false, posRange: range(lhs, rhs) };
        continue;
      }
      lhs = {
        type: 'DurationExpr',
        op: op.key as DurationExpr['op'],
        lhs,
        rhs,
        wrapped: false,
        posRange: range(lhs, rhs),
      };
    }
  }

  #durationPrimary(): DurationNode {
    const t = this.#peek();
    if (t.kind === 'NUMBER' || t.kind === 'DURATION') {
      return this.#checkedLiteral(this.#numberLiteral());
    }
    if (t.kind === 'LEFT_PAREN') {
      this.#next();
      const inner = this.#durationExpr(0);
      const close = this.#expect('RIGHT_PAREN');
      this.#experimental(inner);
      const w = this.#wrap(inner);
      w.posRange = range(t, close);
      return w;
    }
    if (t.kind === 'PREPROCESSOR' && (t.key === 'step' || t.key === 'range')) {
      this.#next();
      this.#expect('LEFT_PAREN');
      const close = this.#expect('RIGHT_PAREN');
      const de: DurationExpr = {
        type: 'DurationExpr',
        op: t.key,
        wrapped: false,
        posRange: range(t, close),
      };
      this.#experimental(de);
      return de;
    }
    if (t.kind === 'PREPROCESSOR' && (t.key === 'min_of' || t.key === 'max_of')) {
      this.#next();
      this.#expect('LEFT_PAREN');
      const a = this.#durationExpr(0);
      this.#expect('COMMA');
      const b = this.#durationExpr(0);
      const close = this.#expect('RIGHT_PAREN');
      const de: DurationExpr = {
        type: 'DurationExpr',
        op: t.key,
        lhs: a,
        rhs: b,
        wrapped: false,
        posRange: range(t, close),
      };
      this.#experimental(de);
      return de;
    }
    return this.#fail();
  }

  // --- selectors -----------------------------------------------------------------------------

  #vectorSelector(name: Token | undefined): VectorSelector {
    const matchers: Matcher[] = [];
    let end = name?.end ?? 0;
    const start = name?.pos ?? this.#peek().pos;
    if (this.#is('LEFT_BRACE')) {
      this.#next();
      this.#labelMatchers(matchers);
      end = this.#lastEnd();
    }
    if (name) matchers.push(Matcher.create('=', '__name__', name.val));
    return {
      type: 'VectorSelector',
      name: name?.val ?? '',
      matchers,
      offset: 0,
      at: undefined,
      anchored: false,
      smoothed: false,
      posRange: { start, end },
    };
  }

  #labelMatchers(out: Matcher[]): void {
    if (this.#is('RIGHT_BRACE')) {
      this.#next();
      return;
    }
    for (;;) {
      const label = this.#peek();
      if (label.kind === 'IDENTIFIER' || label.kind === 'STRING') {
        this.#next();
        const name = label.kind === 'STRING' ? unquoteString(label.val) : label.val;
        const op = this.#peek();
        if ((op.kind === 'EQL' || op.kind === 'OPERATOR') && MATCH_OPS.has(op.key)) {
          this.#next();
          if (!this.#is('STRING')) this.#fail('label matching', 'string');
          const value = this.#next();
          try {
            out.push(Matcher.create(op.key as MatchType, name, unquoteString(value.val)));
          } catch (e) {
            this.#addError(range(label, value), (e as Error).message);
          }
        } else if (label.kind === 'STRING') {
          out.push(Matcher.create('=', '__name__', name));
        } else this.#fail('label matching', 'label matching operator');
      } else this.#fail('label matching', 'identifier or "}"');
      if (this.#is('COMMA')) {
        this.#next();
        if (this.#is('RIGHT_BRACE')) break;
        continue;
      }
      if (this.#is('RIGHT_BRACE')) break;
      this.#fail('label matching', '"," or "}"');
    }
    this.#next();
  }

  // --- calls and aggregations ----------------------------------------------------------------

  #call(): Expr {
    const name = this.#next();
    let func: FunctionDef | undefined = FUNCTIONS.get(name.val);
    const nameRange = { start: name.pos, end: name.end };
    if (!func) {
      this.#addError(nameRange, `unknown function with name ${goQuote(name.val)}`);
      func = {
        name: name.val,
        argTypes: [],
        variadic: -1,
        returnType: 'vector',
        experimental: false,
      };
    } else if (func.experimental && !this.#opts.experimentalFunctions) {
      this.#addError(nameRange, `function ${goQuote(name.val)} is not enabled`);
    }
    const args = this.#callBody();
    return { type: 'Call', func, args, posRange: { start: name.pos, end: this.#lastEnd() } };
  }

  #callBody(): Expr[] {
    if (!this.#is('LEFT_PAREN')) this.#fail();
    this.#next();
    const args: Expr[] = [];
    if (this.#is('RIGHT_PAREN')) {
      this.#next();
      return args;
    }
    for (;;) {
      args.push(this.#expr(0));
      if (this.#is('COMMA')) {
        const comma = this.#next();
        if (this.#is('RIGHT_PAREN')) {
          this.#addError(
            { start: comma.pos, end: comma.end },
            'trailing commas not allowed in function call args',
          );
          break;
        }
        continue;
      }
      if (this.#is('RIGHT_PAREN')) break;
      this.#fail();
    }
    this.#next();
    return args;
  }

  #aggregation(): AggregateExpr {
    const op = this.#next();
    this.#context.push('aggregation');
    let grouping: string[] = [];
    let without = false;
    let args: Expr[];
    if (this.#is('KEYWORD', 'by') || this.#is('KEYWORD', 'without')) {
      without = this.#next().key === 'without';
      grouping = this.#groupingLabels();
      args = this.#callBody();
    } else {
      args = this.#callBody();
      if (this.#is('KEYWORD', 'by') || this.#is('KEYWORD', 'without')) {
        without = this.#next().key === 'without';
        grouping = this.#groupingLabels();
      }
    }
    this.#context.pop();
    const posRange = { start: op.pos, end: this.#lastEnd() };
    const agg: AggregateExpr = {
      type: 'AggregateExpr',
      op: op.key as AggregateOp,
      expr: args[args.length - 1],
      param: undefined,
      grouping,
      without,
      posRange,
    };
    if (args.length === 0) {
      this.#addError(posRange, 'no arguments for aggregate expression provided');
      return agg;
    }
    let want = 1;
    if (PARAM_AGGREGATORS.has(op.key)) {
      if ((op.key === 'limitk' || op.key === 'limit_ratio') && !this.#opts.experimentalFunctions) {
        this.#addError(
          posRange,
          `${op.key}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`,
        );
        return agg;
      }
      want = 2;
      agg.param = args[0];
    }
    if (args.length !== want) {
      this.#addError(
        posRange,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
      return agg;
    }
    agg.expr = args[want - 1];
    return agg;
  }

  /** `(label, "label", …)` after `by`, `without`, `on`, `ignoring`, `group_left/right`. */
  #groupingLabels(): string[] {
    if (!this.#is('LEFT_PAREN')) this.#fail('grouping opts', '"("');
    this.#next();
    const labels: string[] = [];
    if (this.#is('RIGHT_PAREN')) {
      this.#next();
      return labels;
    }
    for (;;) {
      const t = this.#peek();
      let name: string;
      if (
        t.kind === 'IDENTIFIER' || t.kind === 'METRIC_IDENTIFIER' || t.kind === 'AGGREGATOR' ||
        t.kind === 'KEYWORD' || t.kind === 'PREPROCESSOR' ||
        (t.kind === 'OPERATOR' && /^[a-z]/i.test(t.val))
      ) {
        name = t.val;
      } else if (t.kind === 'STRING') {
        name = unquoteString(t.val);
      } else return this.#fail('grouping opts', 'label');
      this.#next();
      if (!isValidUTF8Name(name)) {
        this.#addError(
          { start: t.pos, end: t.end },
          `invalid label name for grouping: ${goQuote(name)}`,
        );
      }
      labels.push(name);
      if (this.#is('COMMA')) {
        this.#next();
        if (this.#is('RIGHT_PAREN')) break;
        continue;
      }
      if (this.#is('RIGHT_PAREN')) break;
      this.#fail('grouping opts', '"," or ")"');
    }
    this.#next();
    return labels;
  }
}
