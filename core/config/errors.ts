/**
 * Config errors that name their place: `beacon.yml:12:5: scrape_configs[0].scrape_interval:
 * invalid duration "10x"`.
 * @module
 */

import { goQuote } from '../model/matcher.ts';

/** A key path into a config document: mapping keys and sequence indexes. */
export type ConfigPath = readonly (string | number)[];

/** Formats a key path as `scrape_configs[0].scrape_interval`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${goQuote(seg)}]`;
  }
  return out;
}

/** One problem in a config file, with its file, 1-based line and column, and key path. */
export class ConfigError {
  /** The key path as text (`scrape_configs[0].scrape_interval`); empty for the document. */
  readonly path: string;

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The key path as segments. */
    readonly segments: ConfigPath,
    readonly message: string,
  ) {
    this.path = formatPath(segments);
  }

  /** `file:line:col: path: message` (the path part is left out when empty). */
  toString(): string {
    const where = `${this.file}:${this.line}:${this.column}`;
    return this.path ? `${where}: ${this.path}: ${this.message}` : `${where}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    const { file, line, column, path, message } = this;
    return { file, line, column, path, message };
  }
}

/** Thrown when a config cannot be loaded; carries every error found, not just the first. */
export class ConfigLoadError extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(
      errors.length === 1
        ? errors[0].toString()
        : `${errors.length} config errors:\n${errors.map((e) => `  ${e}`).join('\n')}`,
    );
    this.name = 'ConfigLoadError';
  }
}
