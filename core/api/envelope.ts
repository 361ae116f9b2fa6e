/**
 * The Prometheus API response envelope and its error types.
 * @module
 */
import type { Context } from 'hono';

/** Error types of the Prometheus HTTP API. */
export type ApiErrorType =
  | 'bad_data'
  | 'execution'
  | 'canceled'
  | 'timeout'
  | 'internal'
  | 'not_found'
  | 'not_acceptable'
  | 'unavailable';

const STATUS: Record<ApiErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  not_found: 404,
  not_acceptable: 406,
  unavailable: 500,
};

/** An error that handlers throw to answer with the error envelope. */
export class ApiError extends Error {
  readonly type: ApiErrorType;
  constructor(type: ApiErrorType, message: string) {
    super(message);
    this.type = type;
  }
  /** The HTTP status Prometheus uses for this error type. */
  get status(): number {
    return STATUS[this.type];
  }
}

/** The success envelope; warnings and infos appear only when non-empty. */
export function success(
  c: Context,
  data: unknown,
  notes: { warnings?: string[]; infos?: string[] } = {},
): Response {
  const body: Record<string, unknown> = { status: 'success', data };
  if (notes.warnings?.length) body.warnings = notes.warnings;
  if (notes.infos?.length) body.infos = notes.infos;
  return c.json(body);
}

/** The error envelope with the status code Prometheus gives `type`. */
export function failure(c: Context, type: ApiErrorType, message: string): Response {
  return c.json({ status: 'error', errorType: type, error: message }, STATUS[type] as 400);
}
