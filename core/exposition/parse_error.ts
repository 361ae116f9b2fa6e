/**
 * The one error type the exposition parsers throw.
 * @module
 */

/** A problem in an exposition, with the 1-based line it was found on. */
export class ParseError extends Error {
  /** 1-based line number of the offending line. */
  readonly line: number;
  /** The reason without the line prefix. */
  readonly reason: string;

  /** Creates an error for `line` with a human-readable `reason`. */
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'ParseError';
    this.line = line;
    this.reason = reason;
  }
}
