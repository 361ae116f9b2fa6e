/**
 * The body of `POST /api/v1/targets/register` (and `PUT …/register/<id>`), checked field by
 * field so that a bad request says exactly what is wrong.
 * @module
 */
import { parseDurationMs } from '../../../core/config/mod.ts';
import { isValidUTF8Name } from '../../../core/model/mod.ts';

/** A validated registration request. */
export interface RegistrationRequest {
  /** The id to create or renew; absent: Beacon makes one. */
  id?: string;
  /** The job to register with; absent: the only job that accepts the token. */
  job?: string;
  /** `host:port` addresses; absent on a bare renewal (`PUT` without targets). */
  targets?: string[];
  labels?: Record<string, string>;
  /** Requested TTL, ms; absent: the config's `default_ttl` (or the previous one on renewal). */
  ttlMs?: number;
}

/** Largest accepted request body, bytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Most targets one registration may carry. */
export const MAX_TARGETS = 1000;

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const FIELDS = new Set(['id', 'job', 'targets', 'labels', 'ttl']);

/** Whether `id` is an acceptable registration id. */
export function isValidId(id: string): boolean {
  return ID.test(id);
}

/** Validates a parsed JSON body; throws an Error whose message names the bad field. */
export function parseRegistrationRequest(body: unknown): RegistrationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('request body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!FIELDS.has(k)) throw new Error(`unknown field ${JSON.stringify(k)}`);
  }
  const out: RegistrationRequest = {};
  if (b.id !== undefined) {
    if (typeof b.id !== 'string' || !isValidId(b.id)) {
      throw new Error('id must be 1 to 128 characters of [A-Za-z0-9._:-]');
    }
    out.id = b.id;
  }
  if (b.job !== undefined) {
    if (typeof b.job !== 'string' || b.job === '') {
      throw new Error('job must be a non-empty string');
    }
    out.job = b.job;
  }
  if (b.targets !== undefined) out.targets = parseTargets(b.targets);
  if (b.labels !== undefined) out.labels = parseLabels(b.labels);
  if (b.ttl !== undefined) out.ttlMs = parseTtl(b.ttl);
  return out;
}

function parseTargets(x: unknown): string[] {
  if (!Array.isArray(x)) throw new Error('targets must be a list of "host:port" strings');
  if (x.length === 0) throw new Error('targets must not be empty');
  if (x.length > MAX_TARGETS) throw new Error(`at most ${MAX_TARGETS} targets per registration`);
  for (const [i, t] of x.entries()) {
    if (typeof t !== 'string' || t === '') {
      throw new Error(`targets[${i}] must be a non-empty string`);
    }
    if (t.includes('/') || /\s/.test(t)) {
      throw new Error(`targets[${i}]: ${JSON.stringify(t)} is not a valid host:port address`);
    }
  }
  return [...new Set(x as string[])];
}

function parseLabels(x: unknown): Record<string, string> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new Error('labels must be an object of string values');
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(x)) {
    if (!isValidUTF8Name(k)) throw new Error(`invalid label name ${JSON.stringify(k)}`);
    if (k.startsWith('__meta_')) throw new Error(`label ${JSON.stringify(k)} is reserved`);
    if (typeof val !== 'string') throw new Error(`label ${JSON.stringify(k)} must be a string`);
    out[k] = val;
  }
  return out;
}

function parseTtl(x: unknown): number {
  const ms = typeof x === 'number' ? x * 1000 : typeof x === 'string' ? parseDurationMs(x) : NaN;
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new Error('ttl must be a duration such as "60s" or a number of seconds');
  }
  if (ms <= 0) throw new Error('ttl must be greater than 0');
  return ms;
}
