/**
 * The registration endpoints under `/api/v1`: `POST /targets/register` creates or renews,
 * `PUT /targets/register/<id>` renews (or replaces), `DELETE` removes, `GET` shows one.
 * Answers use the Prometheus envelope; errors add `unauthorized`, `forbidden` and `conflict`
 * to Prometheus's error types where the HTTP status says so.
 * @module
 */
import type { Context, Hono } from 'hono';
import { formatDuration } from '../../../core/config/mod.ts';
import { RegistrationError, type RegistrationHub } from './hub.ts';
import {
  MAX_REQUEST_BYTES,
  parseRegistrationRequest,
  type RegistrationRequest,
} from './request.ts';
import type { Registration } from './store.ts';

function fail(status: number, errorType: string, error: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="beacon registration"';
  return new Response(JSON.stringify({ status: 'error', errorType, error }), {
    status,
    headers,
  });
}

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

function view(r: Registration) {
  return {
    id: r.id,
    job: r.job,
    targets: r.targets,
    labels: r.labels,
    ttl: formatDuration(r.ttlMs),
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
  };
}

/** Reads and validates the JSON body; an empty body is `{}` when `optional`. */
async function readRequest(c: Context, optional: boolean): Promise<RegistrationRequest> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_REQUEST_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_REQUEST_BYTES) throw tooLarge();
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '' && optional) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new RegistrationError(400, 'bad_data', `invalid JSON body: ${(e as Error).message}`);
  }
  try {
    return parseRegistrationRequest(body);
  } catch (e) {
    throw new RegistrationError(400, 'bad_data', (e as Error).message);
  }
}

function tooLarge(): RegistrationError {
  return new RegistrationError(413, 'bad_data', `request body over ${MAX_REQUEST_BYTES} bytes`);
}

async function answer(c: Context, work: () => Promise<unknown>): Promise<Response> {
  try {
    const data = await work();
    return c.json({ status: 'success', data });
  } catch (e) {
    if (e instanceof RegistrationError) return fail(e.status, e.errorType, e.message);
    throw e;
  }
}

/**
 * The API extension serving registrations from `hub`.
 *
 * @example
 * ```ts
 * createApiApp(deps, [registrationApi(hub)]);
 * ```
 */
export function registrationApi(hub: RegistrationHub): (api: Hono) => void {
  return (api) => {
    api.post('/targets/register', (c) =>
      answer(c, async () => {
        const req = await readRequest(c, false);
        return view(await hub.register(bearer(c), req));
      }));
    api.put('/targets/register/:id', (c) =>
      answer(c, async () => {
        const req = await readRequest(c, true);
        return view(await hub.register(bearer(c), req, c.req.param('id')));
      }));
    api.delete('/targets/register/:id', (c) =>
      answer(c, async () => {
        await hub.deregister(bearer(c), c.req.param('id'));
        return null;
      }));
    api.get(
      '/targets/register/:id',
      (c) => answer(c, async () => view(await hub.get(bearer(c), c.req.param('id')))),
    );
  };
}
