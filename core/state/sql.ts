/**
 * SQL over the stored metrics, where an engine can offer it (DuckDB): the seam the HTTP API
 * and the CLI use, so that core never imports an engine.
 * @module
 */

/** A result column: its name and the engine's type name (`BIGINT`, `VARCHAR`, …). */
export interface SqlColumn {
  name: string;
  type: string;
}

/** A query's result; values are JSON-ready (big integers as numbers or strings). */
export interface SqlResult {
  columns: SqlColumn[];
  rows: unknown[][];
  /** True when rows beyond the row limit were cut off. */
  truncated: boolean;
}

/** Limits and scope of one query. */
export interface SqlLimits {
  /**
   * Milliseconds: `samples` holds only samples in [start, end] (default: all). Narrowing it
   * makes a query cheaper, as fewer head samples are copied and fewer blocks scanned.
   */
  start?: number;
  end?: number;
  /** Most rows returned (default 10,000). */
  maxRows?: number;
  /** Milliseconds before the query is interrupted (default 30 s). */
  timeoutMs?: number;
}

/** Raised for a query that is not allowed, does not parse, fails or times out. */
export class SqlError extends Error {
  override name = 'SqlError';
  /** `bad_data` for a rejected or invalid query, `timeout`, or `execution`. */
  constructor(message: string, readonly kind: 'bad_data' | 'timeout' | 'execution' = 'bad_data') {
    super(message);
  }
}

/** Runs one read-only query over the documented views (see docs/sql.md). */
export interface SqlRunner {
  query(sql: string, limits?: SqlLimits): Promise<SqlResult>;
}
