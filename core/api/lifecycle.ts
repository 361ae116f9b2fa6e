/**
 * `/-/healthy`, `/-/ready`, `/-/reload` and `/-/quit`, as Prometheus serves them.
 * @module
 */
import { Hono } from 'hono';
import type { ApiDeps } from './deps.ts';

/** Routes mounted at `/-`. */
export function lifecycleRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.on(['GET', 'HEAD'], '/healthy', (c) => c.text('Beacon is Healthy.\n'));
  app.on(
    ['GET', 'HEAD'],
    '/ready',
    (c) => deps.isReady() ? c.text('Beacon is Ready.\n') : c.text('Service Unavailable', 503),
  );

  const disabled = (c: { text: (t: string, s: 403) => Response }) =>
    c.text('Lifecycle API is not enabled.', 403);
  app.on(['POST', 'PUT'], '/reload', async (c) => {
    if (!deps.enableLifecycle) return disabled(c);
    try {
      await deps.reload();
      return c.body(null, 200);
    } catch (e) {
      return c.text(`failed to reload config: ${(e as Error).message}\n`, 500);
    }
  });
  app.on(['POST', 'PUT'], '/quit', (c) => {
    if (!deps.enableLifecycle) return disabled(c);
    // Answer first, then stop: the caller should see its request succeed.
    setTimeout(() => deps.quit(), 0);
    return c.text('Requesting termination... Goodbye!\n');
  });
  return app;
}
