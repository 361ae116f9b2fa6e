/**
 * Annotations: warnings and infos a query produces beside its result, rendered as Prometheus's
 * API renders them (`PromQL info: … (1:6)`, the position of the expression they are about).
 * @module
 */
import { lineColumn, type PosRange } from '../parser/mod.ts';

/** Warnings and infos of one query, deduplicated, in order of appearance. */
export class Annotations {
  readonly #query: string;
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  constructor(query: string) {
    this.#query = query;
  }

  /** Adds `PromQL warning: <msg> (<line>:<col>)`. */
  warn(msg: string, pos?: PosRange): void {
    this.warnings.add(`PromQL warning: ${msg}${this.#where(pos)}`);
  }

  /** Adds `PromQL info: <msg> (<line>:<col>)`. */
  info(msg: string, pos?: PosRange): void {
    this.infos.add(`PromQL info: ${msg}${this.#where(pos)}`);
  }

  /** Adds a warning that came from storage (no prefix, no position). */
  storageWarning(msg: string): void {
    this.warnings.add(msg);
  }

  #where(pos?: PosRange): string {
    if (pos === undefined) return '';
    const { line, column } = lineColumn(this.#query, pos.start);
    return ` (${line}:${column})`;
  }
}
