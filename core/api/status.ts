/**
 * `/api/v1/status/*`: build and runtime facts, flags and the effective config.
 * @module
 */
import { Hono } from 'hono';
import { success } from './envelope.ts';
import type { ApiDeps } from './deps.ts';

/** Routes mounted at `/api/v1/status`. */
export function statusRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  // No `features` field: Grafana takes a server that reports one for Mimir.
  app.get('/buildinfo', (c) => success(c, deps.buildInfo()));
  app.get('/runtimeinfo', (c) => success(c, deps.runtimeInfo()));
  app.get('/flags', (c) => success(c, deps.flags));
  app.get('/config', (c) => success(c, { yaml: deps.configYAML() }));
  return app;
}
