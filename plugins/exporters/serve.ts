/**
 * Serving a registry as an exporter page, in the format the scraper's `Accept` asks for.
 * @module
 */
import { negotiate } from '../../core/exposition/mod.ts';
import type { Registry } from '../../core/metrics/mod.ts';
import type { PluginRoute } from '../../core/plugin.ts';

/** A route at `path` that writes `registry` (text 0.0.4 or OpenMetrics, negotiated). */
export function registryRoute(path: string, registry: Registry): PluginRoute {
  return {
    path,
    async fetch(req) {
      const { format, contentType } = negotiate(req.headers.get('accept'));
      const body = await registry.metrics(format);
      return new Response(req.method === 'HEAD' ? null : body, {
        headers: { 'content-type': contentType },
      });
    },
  };
}
