/**
 * Token kinds of the PromQL lexer and the keyword table, with the descriptions Prometheus uses
 * in `unexpected …` parse errors.
 * @module
 */
import { goQuote } from '../../../core/model/mod.ts';

/** Every token kind the lexer produces. */
export type TokenKind =
  | 'EOF'
  | 'ERROR'
  | 'COMMENT'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | 'LEFT_PAREN'
  | 'RIGHT_PAREN'
  | 'LEFT_BRACE'
  | 'RIGHT_BRACE'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'COMMA'
  | 'COLON'
  | 'EQL'
  | 'OPERATOR'
  | 'AGGREGATOR'
  | 'KEYWORD'
  | 'PREPROCESSOR';

/** One lexed token; `pos` and `end` are UTF-8 byte offsets into the input. */
export interface Token {
  readonly kind: TokenKind;
  /** The source text (for an error token, the message). */
  readonly val: string;
  /** Lower-cased text for keywords, operators and aggregators; otherwise equal to `val`. */
  readonly key: string;
  readonly pos: number;
  readonly end: number;
}

/** Binary and matcher operators by their spelling. */
export const OPERATORS: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '<=',
  '<',
  '>=',
  '>',
  '</',
  '>/',
  '=~',
  '!~',
  '@',
  'and',
  'or',
  'unless',
  'atan2',
]); // deno-fmt-ignore

/** Aggregation operators. */
export const AGGREGATORS: ReadonlySet<string> = new Set([
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk',
  'count_values', 'quantile', 'limitk', 'limit_ratio',
]); // deno-fmt-ignore

/** Modifier keywords. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'offset', 'smoothed', 'anchored', 'by', 'without', 'on', 'ignoring', 'group_left',
  'group_right', 'fill', 'fill_left', 'fill_right', 'bool',
]); // deno-fmt-ignore

/** Words that start `@` preprocessors and duration expressions (`start()`, `step()`, …). */
export const PREPROCESSORS: ReadonlySet<string> = new Set([
  'start', 'end', 'step', 'range', 'max_of', 'min_of',
]); // deno-fmt-ignore

/** The kind a bare word lexes to, or undefined for a plain identifier. */
export function wordKind(lower: string): TokenKind | undefined {
  if (lower === 'and' || lower === 'or' || lower === 'unless' || lower === 'atan2') {
    return 'OPERATOR';
  }
  if (AGGREGATORS.has(lower)) return 'AGGREGATOR';
  if (KEYWORDS.has(lower)) return 'KEYWORD';
  if (PREPROCESSORS.has(lower)) return 'PREPROCESSOR';
  if (lower === 'inf' || lower === 'nan') return 'NUMBER';
  return undefined;
}

const PUNCTUATION: ReadonlySet<TokenKind> = new Set([
  'LEFT_PAREN',
  'RIGHT_PAREN',
  'LEFT_BRACE',
  'RIGHT_BRACE',
  'LEFT_BRACKET',
  'RIGHT_BRACKET',
  'COMMA',
  'COLON',
  'EQL',
  'PREPROCESSOR',
]); // deno-fmt-ignore

const KIND_NAMES: Partial<Record<TokenKind, string>> = {
  IDENTIFIER: 'identifier',
  METRIC_IDENTIFIER: 'metric identifier',
  STRING: 'string',
  NUMBER: 'number',
  DURATION: 'duration',
  COMMENT: 'comment',
};

/** Go's `%.10q…` rendering of a long token value. */
function quoteItem(val: string): string {
  const chars = [...val];
  return chars.length > 10 ? goQuote(chars.slice(0, 10).join('')) + '...' : goQuote(val);
}

/** The token as Prometheus names it in `unexpected …` errors (e.g. `<op:+>`, `identifier "x"`). */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return 'end of input';
    case 'OPERATOR':
      return `<op:${t.val}>`;
    case 'AGGREGATOR':
      return `<aggr:${t.val}>`;
    case 'KEYWORD':
      return `<${t.val}>`;
    case 'IDENTIFIER':
    case 'METRIC_IDENTIFIER':
      return `${KIND_NAMES[t.kind]} ${goQuote(t.val)}`;
  }
  if (PUNCTUATION.has(t.kind)) return goQuote(t.val);
  return `${KIND_NAMES[t.kind] ?? 'error'} ${quoteItem(t.val)}`;
}
