/**
 * Request parameters as Prometheus's API reads them: from the URL and, for POST, from a form
 * body; times as RFC 3339 or Unix seconds with fractions; durations as `5m` or float seconds.
 * @module
 */
import type { Context } from 'hono';
import { ApiError } from '../../../core/api/mod.ts';
import { parseDuration } from '../parser/mod.ts';

/** The smallest and largest times Prometheus accepts (ms): its `MinTime`/`MaxTime`. */
export const MIN_TIME = -9223372036854775;
export const MAX_TIME = 9223372036854775;
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

/** The request's parameters: the form body (POST, urlencoded) first, then the URL. */
export async function readParams(c: Context): Promise<URLSearchParams> {
  const url = new URL(c.req.url);
  const out = new URLSearchParams();
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(await c.req.text())) out.append(k, v);
    } else if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData();
      for (const [k, v] of form) if (typeof v === 'string') out.append(k, v);
    }
  }
  for (const [k, v] of url.searchParams) out.append(k, v);
  return out;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a time (ms) or throws the reason without the parameter name. */
export function parseTime(s: string): number {
  const f = Number(s);
  if (
    s.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) &&
    Number.isFinite(f)
  ) {
    const secs = Math.trunc(f);
    const frac = Math.round((f - secs) * 1000);
    return secs * 1000 + frac;
  }
  if (RFC3339.test(s)) {
    const ms = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(ms)) return ms;
  }
  if (s === MIN_TIME_TEXT) return MIN_TIME;
  if (s === MAX_TIME_TEXT) return MAX_TIME;
  throw new Error(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

/** Parses a duration (ms, may be fractional) or throws the reason. */
export function parseDurationParam(s: string): number {
  const t = s.trim();
  if (t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const ms = Number(t) * 1000;
    if (Math.abs(ms) > 9.223372036854775e15) {
      throw new Error(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    }
    return ms;
  }
  try {
    return parseDuration(s);
  } catch {
    throw new Error(`cannot parse ${goQuote(s)} to a valid duration`);
  }
}

/** `invalid parameter "<name>": <reason>` as a `bad_data` error. */
export function invalidParam(name: string, reason: string): ApiError {
  return new ApiError('bad_data', `invalid parameter ${goQuote(name)}: ${reason}`);
}

/** A time parameter, or `fallback` when absent. */
export function timeParam(p: URLSearchParams, name: string, fallback: number): number {
  const v = p.get(name);
  if (v === null || v === '') return fallback;
  try {
    return parseTime(v);
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/** A required time parameter. */
export function requiredTime(p: URLSearchParams, name: string): number {
  try {
    return parseTime(p.get(name) ?? '');
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/** An optional duration parameter (ms). */
export function durationParam(p: URLSearchParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === null || v === '') return undefined;
  try {
    return parseDurationParam(v);
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/** The `limit` parameter: 0 (no limit) when absent. */
export function limitParam(p: URLSearchParams): number {
  const v = p.get('limit');
  if (v === null || v === '') return 0;
  if (!/^[+-]?\d+$/.test(v)) {
    throw invalidParam('limit', `cannot parse ${goQuote(v)} to a valid limit`);
  }
  const n = Number(v);
  if (n < 0) throw invalidParam('limit', 'limit must be non-negative');
  return n;
}
