/**
 * The `webhook` notifier: Alertmanager's generic webhook, payload version 4. Configured as a
 * receiver's `webhook_configs` entry, exactly as in an `alertmanager.yml`.
 *
 * @example
 * ```yaml
 * receivers:
 *   - name: ops
 *     webhook_configs:
 *       - url: http://127.0.0.1:5001/hook
 *         max_alerts: 10
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import {
  type Alert,
  durationField,
  exactlyOne,
  fingerprint,
  goTimeJSON,
  httpConfigClient,
  httpConfigField,
  isResolved,
  notificationData,
  type Notifier,
  type NotifyContext,
  NotifyError,
  postJSON,
  secretField,
  secretValue,
  sendResolvedField,
  stringField,
} from '../../../core/notify/mod.ts';

/** A `webhook_configs` entry. */
export const webhookConfigSchema = v.pipe(
  v.strictObject({
    send_resolved: sendResolvedField(true),
    http_config: httpConfigField,
    url: secretField,
    url_file: stringField,
    /** 0: no limit. */
    max_alerts: v.pipe(
      v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
      v.transform((n) => n ?? 0),
    ),
    timeout: durationField('0s'),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = exactlyOne('url', dataset.value.url, dataset.value.url_file);
    if (msg) addIssue({ message: msg });
  }),
);

/** A validated webhook config. */
export type WebhookConfig = v.InferOutput<typeof webhookConfigSchema>;

/** Alertmanager's webhook message, version 4. */
export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
}

/** Builds the message for a notification, keeping at most `maxAlerts` alerts (0: all). */
export function webhookMessage(
  ctx: Pick<NotifyContext, 'receiver' | 'groupKey' | 'groupLabels' | 'externalURL' | 'now'>,
  alerts: readonly Alert[],
  maxAlerts: number,
): WebhookMessage {
  const data = notificationData(ctx, alerts);
  const kept = maxAlerts > 0 ? alerts.slice(0, maxAlerts) : alerts;
  return {
    receiver: data.Receiver,
    status: data.Status,
    alerts: kept.map((a) => ({
      status: isResolved(a, ctx.now) ? 'resolved' : 'firing',
      labels: a.labels.toRecord(),
      annotations: a.annotations.toRecord(),
      startsAt: goTimeJSON(a.startsAt),
      endsAt: goTimeJSON(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: fingerprint(a.labels),
    })),
    groupLabels: data.GroupLabels.toJSON(),
    commonLabels: data.CommonLabels.toJSON(),
    commonAnnotations: data.CommonAnnotations.toJSON(),
    externalURL: data.ExternalURL,
    version: '4',
    groupKey: ctx.groupKey,
    truncatedAlerts: alerts.length - kept.length,
  };
}

/** The webhook notifier plugin. */
export const webhookNotifierPlugin: PluginDefinition<WebhookConfig> = definePlugin({
  kind: 'notifier',
  name: 'webhook',
  description: "Alertmanager's generic webhook (payload version 4)",
  schema: webhookConfigSchema,
  create(config, ctx): Notifier {
    const readFile = (p: string) => ctx.host.readTextFile(p);
    const http = httpConfigClient(config.http_config, ctx.host, (m) => ctx.logger.warn(m));
    return {
      sendResolved: config.send_resolved,
      async notify(nctx, alerts) {
        let url: string;
        try {
          url = await secretValue(config.url, config.url_file, readFile);
        } catch (e) {
          throw new NotifyError(`read url_file: ${(e as Error).message}`, false);
        }
        await postJSON(url, webhookMessage(nctx, alerts, config.max_alerts), {
          headers: await http.headers(),
          fetch: http.transportFetch,
          signal: nctx.signal,
          timeoutMs: config.timeout.ms,
        });
      },
    };
  },
});

export default webhookNotifierPlugin;
