/**
 * `check metrics`: validate an exposition the way `promtool check metrics` does.
 * @module
 */
import { ParseError } from './parse_error.ts';
import { createParserFor, decodeBody, formatForContentType } from './parser.ts';
import { type Problem, StrictParser } from './strict.ts';
import type { ExpositionFormat } from './types.ts';

/** Result of {@link checkMetrics}: errors make the exposition invalid; warnings are lint. */
export interface CheckResult {
  /** The format the input was checked as. */
  format: ExpositionFormat;
  /** Violations of the format (parsing stops at the first one). Empty when valid. */
  errors: Problem[];
  /** Lint advice (missing HELP, counter naming, camelCase names). */
  warnings: Problem[];
}

/**
 * Checks an exposition in strict mode. The format is OpenMetrics when `contentType` says so
 * or the input ends with `# EOF`; otherwise the text format 0.0.4.
 *
 * @example
 * ```ts
 * const { errors, warnings } = checkMetrics('# TYPE a counter\na_total -1\n# EOF\n');
 * // errors: [{ line: 2, message: 'a_total must be a non-negative number' }]
 * ```
 */
export function checkMetrics(input: string | Uint8Array, contentType?: string): CheckResult {
  const errors: Problem[] = [];
  let text: string;
  try {
    text = typeof input === 'string' ? input : decodeBody(input);
  } catch (e) {
    const pe = e as ParseError;
    return { format: 'text', errors: [{ line: pe.line, message: pe.reason }], warnings: [] };
  }
  const format = formatForContentType(contentType) === 'openmetrics' || endsWithEof(text)
    ? 'openmetrics'
    : 'text';
  const p = createParserFor(text, format, { strict: true }) as StrictParser;
  try {
    while (p.next() !== 'eof');
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    errors.push({ line: e.line, message: e.reason });
  }
  return { format, errors, warnings: p.warnings };
}

function endsWithEof(s: string): boolean {
  let end = s.length;
  if (s.charCodeAt(end - 1) === 10) end--;
  return end >= 5 && s.startsWith('# EOF', end - 5) && (end === 5 || s.charCodeAt(end - 6) === 10);
}
