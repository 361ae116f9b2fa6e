/**
 * The PromQL parser (Prometheus 3.x): `parseExpr` turns a query into a typed syntax tree or
 * throws a {@link PromQLParseError} with Prometheus's message; `formatExpr` prints a tree in
 * canonical form (`/api/v1/format_query`); `exprToJson` gives `/api/v1/parse_query`'s JSON.
 *
 * @example
 * ```ts
 * const e = parseExpr('sum by(job)(rate(http_requests_total{job="api"}[5m]))');
 * formatExpr(e); // 'sum by (job) (rate(http_requests_total{job="api"}[5m]))'
 * typeOf(e); // 'vector'
 * ```
 * @module
 */
export * from './ast.ts';
export { type FunctionDef, FUNCTIONS } from './functions.ts';
export { lineColumn, type ParseProblem, PromQLParseError } from './errors.ts';
export { ALL_FEATURES, parseExpr, type ParseOptions, TOO_DEEP } from './parser.ts';
export { formatExpr } from './printer.ts';
export { exprToJson, type JsonValue } from './json.ts';
export {
  formatDuration,
  formatFixed6,
  formatFloat,
  formatFloatV,
  parseDuration,
} from './literals.ts';
