/**
 * Query errors, each mapped by the HTTP API to Prometheus's error type and status code.
 * @module
 */

/** Why a query failed, as the API names it. */
export type QueryErrorKind = 'execution' | 'timeout' | 'canceled' | 'internal' | 'bad_data';

/** A query that could not be evaluated; `message` is Prometheus's text. */
export class QueryError extends Error {
  /** The API error type. */
  readonly kind: QueryErrorKind;
  constructor(kind: QueryErrorKind, message: string) {
    super(message);
    this.name = 'QueryError';
    this.kind = kind;
  }
}

/** The `--query.max-samples` limit was hit. */
export function tooManySamples(): QueryError {
  return new QueryError(
    'execution',
    'query processing would load too many samples into memory in query execution',
  );
}

/** The query ran longer than its timeout. */
export function queryTimeout(): QueryError {
  return new QueryError('timeout', 'query timed out in query execution');
}

/** The caller went away or cancelled. */
export function queryCanceled(): QueryError {
  return new QueryError('canceled', 'query was canceled in query execution');
}

/** An evaluation error (duplicate label sets, bad function arguments, …). */
export function execError(message: string): QueryError {
  return new QueryError('execution', message);
}

/** Prometheus's message when two series of one vector end up with the same labels. */
export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';
