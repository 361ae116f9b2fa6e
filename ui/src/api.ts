/**
 * Calls to Beacon's HTTP API, relative to the page so a route prefix or a proxy path just works.
 * @module
 */

/** A failed API call: the envelope's error (or the HTTP status when there is no envelope). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly errorType: string;
  constructor(status: number, errorType: string, message: string) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }
}

/** A successful Prometheus envelope. */
export interface Envelope<T> {
  data: T;
  warnings?: string[];
  infos?: string[];
}

/** The base URL of Beacon (the page's directory, ending in `/`). */
export function baseUrl(): URL {
  return new URL('.', document.baseURI);
}

/** Resolves a path such as `api/v1/targets` against {@link baseUrl}. */
export function apiUrl(path: string, params?: Record<string, string>): URL {
  const url = new URL(path, baseUrl());
  for (const [k, v] of Object.entries(params ?? {})) url.searchParams.set(k, v);
  return url;
}

/** Fetches JSON; a non-2xx answer becomes an {@link ApiFailure}. */
export async function fetchJson<T>(
  path: string,
  init?: RequestInit,
  params?: Record<string, string>,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, params), init);
  } catch (e) {
    throw new ApiFailure(0, 'network', `cannot reach Beacon: ${(e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    if (!res.ok) {
      throw new ApiFailure(res.status, 'http', `HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    throw new ApiFailure(res.status, 'parse', 'the answer is not JSON');
  }
  if (!res.ok) {
    const env = body as { errorType?: string; error?: string; message?: string } | null;
    const msg = env?.error ?? env?.message ?? `HTTP ${res.status}`;
    throw new ApiFailure(res.status, env?.errorType ?? 'http', msg);
  }
  return body as T;
}

/** Calls a Prometheus v1 endpoint (`api/v1/…`) and unwraps its envelope. */
export async function api<T>(path: string, params?: Record<string, string>): Promise<Envelope<T>> {
  const body = await fetchJson<{ status: string; data: T; error?: string; errorType?: string }>(
    `api/v1/${path}`,
    undefined,
    params,
  );
  if (body?.status !== 'success') {
    throw new ApiFailure(200, body?.errorType ?? 'unknown', body?.error ?? 'unexpected answer');
  }
  return body;
}

/** Whether an error means the endpoint does not exist on this server. */
export function isMissing(e: unknown): boolean {
  return e instanceof ApiFailure && (e.status === 404 || e.status === 405);
}
