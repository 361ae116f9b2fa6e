/**
 * The `self` exporter: Beacon's own metrics (build info, scrapes, storage, HTTP, process) on a
 * page of its choosing. Beacon always serves them on `/metrics`, which the embedded default
 * config scrapes; this plugin adds another path, e.g. one a proxy exposes separately.
 *
 * @example
 * ```yaml
 * plugins:
 *   - use: self
 *     config: { path: /exporters/self/metrics }
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition, type PluginInstance } from '../../../core/plugin.ts';
import { registryRoute } from '../serve.ts';

/** Default page of the self exporter. */
export const SELF_EXPORTER_PATH = '/exporters/self/metrics';

/** The `config` block of the `self` plugin. */
export const selfExporterSchema = v.strictObject({
  path: v.pipe(
    v.optional(v.string(), SELF_EXPORTER_PATH),
    v.startsWith('/', 'path must start with /'),
  ),
});

/** A validated `self` block. */
export type SelfExporterConfig = v.InferOutput<typeof selfExporterSchema>;

/** The built-in `self` exporter plugin. */
export const selfExporterPlugin: PluginDefinition<SelfExporterConfig> = definePlugin({
  kind: 'exporter',
  name: 'self',
  description: "Beacon's own metrics on an extra path (they are always on /metrics).",
  schema: selfExporterSchema,
  create: (config, ctx): PluginInstance => ({ routes: [registryRoute(config.path, ctx.registry)] }),
});

export default selfExporterPlugin;
