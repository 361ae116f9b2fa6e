/**
 * How an edge deployment is configured from its platform's bindings or environment variables,
 * the same on Workers and Deno Deploy: `BEACON_CONFIG` (the `prometheus.yml` text),
 * `BEACON_FILES` (path → text of rule and other files, an object or its JSON),
 * `BEACON_SECRET_FILES` (the same, for a secret binding: credential files such as a
 * `password_file`), `BEACON_FLAGS` (flag → value, likewise), and `BEACON_TICK_TOKEN` (enables
 * `POST /-/edge/tick` for callers presenting it as a bearer token).
 * @module
 */
import { EDGE_CONFIG_FILE, type TickReport } from './beacon.ts';

/** The path that runs a tick on request, when a token is configured. */
export const TICK_PATH = '/-/edge/tick';

/** Settings read from bindings. */
export interface EdgeBindings {
  files: Record<string, string>;
  flags: Record<string, string>;
  /** String-valued bindings, for `${VAR}` in the config. */
  env: Record<string, string>;
  tickToken?: string;
}

/** Reads {@link EdgeBindings} from `env`, on top of `bundled` files. */
export function readBindings(
  env: Readonly<Record<string, unknown>>,
  bundled: Readonly<Record<string, string>> = {},
): EdgeBindings {
  const files: Record<string, string> = {
    ...bundled,
    ...stringRecord(env.BEACON_FILES, 'BEACON_FILES'),
    ...stringRecord(env.BEACON_SECRET_FILES, 'BEACON_SECRET_FILES'),
  };
  if (typeof env.BEACON_CONFIG === 'string' && env.BEACON_CONFIG.trim() !== '') {
    files[EDGE_CONFIG_FILE] = env.BEACON_CONFIG;
  }
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') strings[k] = v;
  const token = typeof env.BEACON_TICK_TOKEN === 'string' && env.BEACON_TICK_TOKEN !== ''
    ? env.BEACON_TICK_TOKEN
    : undefined;
  return {
    files,
    flags: stringRecord(env.BEACON_FLAGS, 'BEACON_FLAGS'),
    env: strings,
    tickToken: token,
  };
}

function stringRecord(x: unknown, name: string): Record<string, string> {
  if (x === undefined || x === null || x === '') return {};
  let v = x;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw new Error(`${name} is not JSON: ${(e as Error).message}`);
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new Error(`${name} must be an object of strings`);
  }
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') throw new Error(`${name}.${k} must be a string`);
    out[k] = s;
  }
  return out;
}

/**
 * Answers `POST /-/edge/tick`: 404 without a configured token (the path does not exist then),
 * 401 for a wrong one, else the tick's report as JSON. `undefined` for any other request.
 */
export async function tickRequest(
  req: Request,
  token: string | undefined,
  tick: () => Promise<TickReport>,
): Promise<Response | undefined> {
  if (new URL(req.url).pathname !== TICK_PATH) return undefined;
  if (token === undefined) return new Response('404 page not found\n', { status: 404 });
  if (req.method !== 'POST') return new Response('method not allowed\n', { status: 405 });
  if (!(await sameSecret(req.headers.get('authorization') ?? '', `Bearer ${token}`))) {
    return new Response('unauthorized\n', { status: 401 });
  }
  return Response.json(await tick());
}

// Compares digests, so that the time taken does not depend on where the strings differ.
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  const u = new Uint8Array(x), v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i] ^ v[i];
  return diff === 0;
}
