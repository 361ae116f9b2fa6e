/**
 * The Hono application: lifecycle endpoints, `/metrics`, and the Prometheus HTTP API v1.
 * Tests call `app.request()` on it without opening a port.
 * @module
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { ApiError, failure } from './envelope.ts';
import type { ApiDeps } from './deps.ts';
import { lifecycleRoutes } from './lifecycle.ts';
import { statusRoutes } from './status.ts';
import { uiRoutes } from './ui.ts';

/** Extra routes a capability (query engine, storage, …) mounts under `/api/v1`. */
export type ApiExtension = (api: Hono) => void;

/** A whole application served under a path (the prefix is stripped), e.g. `/api/v2`. */
export interface ApiMount {
  path: string;
  fetch: (req: Request) => Response | Promise<Response>;
}

/** Builds the HTTP application. */
export function createApiApp(
  deps: ApiDeps,
  extensions: readonly ApiExtension[] = [],
  middleware: readonly MiddlewareHandler[] = [],
  mounts: readonly ApiMount[] = [],
): Hono {
  const api = new Hono();
  api.route('/status', statusRoutes(deps));
  for (const extend of extensions) extend(api);
  api.all(
    '*',
    (c) => failure(c, 'not_found', `unknown API endpoint ${c.req.method} ${c.req.path}`),
  );

  const root = new Hono();
  for (const m of middleware) root.use('*', m);
  root.route('/-', lifecycleRoutes(deps));
  root.get('/metrics', async (c) => {
    const { contentType, body } = await deps.metrics(c.req.header('accept'));
    return c.body(body, 200, { 'content-type': contentType });
  });
  root.route('/api/v1', api);
  for (const m of mounts) root.mount(m.path, m.fetch);
  root.route('/', uiRoutes({ routePrefix: deps.routePrefix, externalUrl: deps.externalUrl }));

  root.onError((err, c) => {
    if (err instanceof ApiError) return failure(c, err.type, err.message);
    deps.logger.error('unhandled error in HTTP handler', { path: c.req.path, err });
    return c.req.path.includes('/api/v1/')
      ? failure(c, 'internal', err.message)
      : c.text('Internal Server Error', 500);
  });

  if (!deps.routePrefix || deps.routePrefix === '/') return root;
  const prefixed = new Hono();
  prefixed.route(deps.routePrefix, root);
  prefixed.get('/', (c) => c.redirect(`${deps.routePrefix}/`));
  return prefixed;
}
