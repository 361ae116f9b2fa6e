/**
 * Parse errors in Prometheus's form: `<line>:<col>: parse error: <message>`, where the column
 * counts bytes from the start of the line, 1-based.
 * @module
 */
import type { PosRange } from './ast.ts';

/** One problem found while parsing, before it is rendered. */
export interface ParseProblem {
  positionRange: PosRange;
  message: string;
}

/** Line and column (1-based, byte-counted) of a byte offset, as Prometheus reports them. */
export function lineColumn(query: string, byteOffset: number): { line: number; column: number } {
  const bytes = new TextEncoder().encode(query);
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < byteOffset && i < bytes.length; i++) {
    if (bytes[i] === 10) {
      line++;
      lastBreak = i;
    }
  }
  return { line, column: byteOffset - lastBreak };
}

/** A PromQL parse error; `message` is the full Prometheus text. */
export class PromQLParseError extends Error {
  /** Where the problem is (UTF-8 byte offsets). */
  readonly positionRange: PosRange;
  /** 1-based line of the start position. */
  readonly line: number;
  /** 1-based byte column of the start position. */
  readonly column: number;
  /** The message without the position prefix (e.g. `unexpected end of input`). */
  readonly detail: string;
  /** The query that failed. */
  readonly query: string;
  /** Every problem found, first one first (the message shows only the first). */
  readonly problems: readonly ParseProblem[];

  constructor(query: string, problems: readonly ParseProblem[]) {
    const first = problems[0];
    const { line, column } = lineColumn(query, first.positionRange.start);
    const where = query === '' ? 'unknown position' : `${line}:${column}`;
    super(`${where}: parse error: ${first.message}`);
    this.name = 'PromQLParseError';
    this.positionRange = first.positionRange;
    this.line = line;
    this.column = column;
    this.detail = first.message;
    this.query = query;
    this.problems = problems;
  }
}
