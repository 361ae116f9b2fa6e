/**
 * The `alertmanager` notifier: Prometheus's notifier. Sends every alert to every Alertmanager
 * of the config's `alerting.alertmanagers` (API v2), with Prometheus's queue, batching and
 * metrics. Its own block holds what Prometheus sets by flags.
 *
 * @example
 * ```yaml
 * plugins:
 *   - use: alertmanager
 *     config: { queue_capacity: 10000 }   # --alertmanager.notification-queue-capacity
 * alerting:
 *   alertmanagers:
 *     - static_configs: [{ targets: ['127.0.0.1:9093'] }]
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition, type PluginInstance } from '../../../core/plugin.ts';
import {
  AlertmanagerClient,
  alertmanagersApi,
  NOTIFIER_DEFAULTS,
  type NotifierConfig,
} from '../../../core/notify/mod.ts';
import type { Hono } from 'hono';
import { hostHttpDeps } from '../../../core/http_client/mod.ts';

const positiveInt = (dflt: number) =>
  v.pipe(
    v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1)), dflt),
    v.transform((n) => n ?? dflt),
  );

/** The plugin's block: Prometheus's notifier flags. */
export const alertmanagerNotifierSchema = v.pipe(
  v.nullish(
    v.strictObject({
      queue_capacity: positiveInt(NOTIFIER_DEFAULTS.queueCapacity),
      max_batch_size: positiveInt(NOTIFIER_DEFAULTS.maxBatchSize),
      drain_on_shutdown: v.pipe(v.nullish(v.boolean(), true), v.transform((b) => b ?? true)),
    }),
  ),
  v.transform((c) =>
    c ?? {
      queue_capacity: NOTIFIER_DEFAULTS.queueCapacity,
      max_batch_size: NOTIFIER_DEFAULTS.maxBatchSize,
      drain_on_shutdown: true,
    }
  ),
);

/** The validated block. */
export type AlertmanagerNotifierConfig = v.InferOutput<typeof alertmanagerNotifierSchema>;

/** The started plugin: the client, and what the runtime wires to it. */
export interface AlertmanagerNotifier extends PluginInstance {
  readonly client: AlertmanagerClient;
  /** Applies `alerting` and the external labels (on start and every reload). */
  applyConfig(c: NotifierConfig): void;
  /** `/api/v1/alertmanagers`. */
  readonly api: (api: Hono) => void;
}

/** The Alertmanager notifier plugin. */
export const alertmanagerNotifierPlugin: PluginDefinition<AlertmanagerNotifierConfig> =
  definePlugin({
    kind: 'notifier',
    name: 'alertmanager',
    description: 'Sends alerts to Alertmanagers as Prometheus does (API v2)',
    schema: alertmanagerNotifierSchema,
    create(config, ctx): AlertmanagerNotifier {
      const client = new AlertmanagerClient({
        queueCapacity: config.queue_capacity,
        maxBatchSize: config.max_batch_size,
        drainOnShutdown: config.drain_on_shutdown,
        registry: ctx.registry,
        logger: ctx.logger,
        readFile: (p) => ctx.host.readTextFile(p),
        http: hostHttpDeps(ctx.host, (m) => ctx.logger.warn(m)),
      });
      return {
        client,
        applyConfig: (c) => client.applyConfig(c),
        api: alertmanagersApi(client),
        stop: () => client.stop(),
      };
    },
  });

export default alertmanagerNotifierPlugin;
