/**
 * The one error type the template engine throws.
 * @module
 */

/** A parse or execution failure, with Go text/template's message (`template: name:1:3: …`). */
export class TemplateError extends Error {
  /** Whether the template failed to parse or to execute. */
  readonly phase: 'parse' | 'exec';
  constructor(message: string, phase: 'parse' | 'exec') {
    super(message);
    this.name = 'TemplateError';
    this.phase = phase;
  }
}

/**
 * An error raised by a template function; the executor prefixes it with
 * `error calling NAME:` and the position, as Go does.
 */
export class FuncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuncError';
  }
}
