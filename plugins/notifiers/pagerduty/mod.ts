/**
 * The `pagerduty` notifier: Alertmanager's `pagerduty_configs` over the Events API v2. A group
 * triggers one incident, deduplicated by a hash of its group key, and resolves it when all its
 * alerts resolved. Retries 5xx and 429 answers.
 *
 * @example
 * ```yaml
 * receivers:
 *   - name: oncall
 *     pagerduty_configs:
 *       - routing_key: 0123456789abcdef0123456789abcdef
 *         severity: critical
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import {
  type Alert,
  durationField,
  exactlyOne,
  expandNotification,
  httpConfigClient,
  httpConfigField,
  type NotificationData,
  notificationData,
  type Notifier,
  type NotifyContext,
  NotifyError,
  postJSON,
  secretField,
  secretValue,
  sendResolvedField,
  stringField,
  templateField,
  truncateRunes,
} from '../../../core/notify/mod.ts';

/** PagerDuty's Events API v2 endpoint. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** Alertmanager's default `details` (PagerDuty `custom_details`). */
export const DEFAULT_DETAILS: Readonly<Record<string, string>> = {
  firing: '{{ template "pagerduty.default.instances" (firing .Alerts) }}',
  resolved: '{{ template "pagerduty.default.instances" (resolved .Alerts) }}',
  num_firing: '{{ firing .Alerts | len }}',
  num_resolved: '{{ resolved .Alerts | len }}',
};

const linkSchema = v.strictObject({ href: v.string(), text: v.nullish(v.string()) });
const imageSchema = v.strictObject({
  src: v.string(),
  alt: v.nullish(v.string()),
  href: v.nullish(v.string()),
});

/** A `pagerduty_configs` entry (Events API v2), with Alertmanager's defaults. */
export const pagerdutyConfigSchema = v.pipe(
  v.strictObject({
    send_resolved: sendResolvedField(true),
    http_config: httpConfigField,
    routing_key: secretField,
    routing_key_file: stringField,
    service_key: secretField,
    service_key_file: stringField,
    url: templateField(PAGERDUTY_EVENTS_URL),
    client: templateField('{{ template "pagerduty.default.client" . }}'),
    client_url: templateField('{{ template "pagerduty.default.clientURL" . }}'),
    description: templateField('{{ template "pagerduty.default.description" .}}'),
    details: v.pipe(
      v.nullish(v.record(v.string(), v.string()), () => ({ ...DEFAULT_DETAILS })),
      v.transform((d) => d ?? { ...DEFAULT_DETAILS }),
    ),
    images: v.pipe(v.nullish(v.array(imageSchema), () => []), v.transform((l) => l ?? [])),
    links: v.pipe(v.nullish(v.array(linkSchema), () => []), v.transform((l) => l ?? [])),
    source: stringField,
    severity: templateField('error'),
    class: templateField(''),
    component: templateField(''),
    group: templateField(''),
    timeout: durationField('0s'),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const c = dataset.value;
    if (c.service_key !== undefined || c.service_key_file !== undefined) {
      addIssue({ message: 'service_key (Events API v1) is not supported: use routing_key' });
      return;
    }
    const msg = exactlyOne('routing_key', c.routing_key, c.routing_key_file);
    if (msg) addIssue({ message: msg });
  }),
);

/** A validated PagerDuty config. */
export type PagerdutyConfig = v.InferOutput<typeof pagerdutyConfigSchema>;

/** An Events API v2 event. */
export interface PagerdutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  images?: { src: string; alt?: string; href?: string }[];
  links?: { href: string; text?: string }[];
  client?: string;
  client_url?: string;
  payload: {
    summary: string;
    source: string;
    severity: string;
    class?: string;
    component?: string;
    group?: string;
    custom_details?: Record<string, string>;
  };
}

/** Alertmanager's dedup key: the SHA-256 of the group key, in hex. */
export async function dedupKey(groupKey: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(groupKey));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const SUMMARY_MAX_RUNES = 1024;

/** Renders the event of a notification. */
export async function pagerdutyEvent(
  config: PagerdutyConfig,
  data: NotificationData,
  groupKey: string,
  routingKey: string,
): Promise<PagerdutyEvent> {
  const x = (text: string, field: string) => expandNotification(text, data, `pagerduty.${field}`);
  const details: Record<string, string> = {};
  for (const [k, t] of Object.entries(config.details ?? {})) {
    details[k] = await x(t, `details.${k}`);
  }
  const client = await x(config.client, 'client');
  const ev: PagerdutyEvent = {
    routing_key: routingKey,
    event_action: data.Status === 'resolved' ? 'resolve' : 'trigger',
    dedup_key: await dedupKey(groupKey),
    client,
    client_url: await x(config.client_url, 'client_url'),
    payload: {
      summary: truncateRunes(await x(config.description, 'description'), SUMMARY_MAX_RUNES).text,
      // Alertmanager uses the client name when no source is set.
      source: await x(config.source ?? config.client, 'source'),
      severity: await x(config.severity, 'severity'),
      class: await x(config.class, 'class'),
      component: await x(config.component, 'component'),
      group: await x(config.group, 'group'),
      custom_details: details,
    },
  };
  const images = [];
  for (const i of config.images ?? []) {
    images.push({
      src: await x(i.src, 'images.src'),
      ...(i.alt ? { alt: await x(i.alt, 'images.alt') } : {}),
      ...(i.href ? { href: await x(i.href, 'images.href') } : {}),
    });
  }
  const links = [];
  for (const l of config.links ?? []) {
    links.push({
      href: await x(l.href, 'links.href'),
      ...(l.text ? { text: await x(l.text, 'links.text') } : {}),
    });
  }
  if (images.length) ev.images = images;
  if (links.length) ev.links = links;
  for (const k of ['client', 'client_url'] as const) if (!ev[k]) delete ev[k];
  for (const k of ['class', 'component', 'group'] as const) {
    if (!ev.payload[k]) delete ev.payload[k];
  }
  if (Object.keys(details).length === 0) delete ev.payload.custom_details;
  return ev;
}

/** The PagerDuty notifier plugin. */
export const pagerdutyNotifierPlugin: PluginDefinition<PagerdutyConfig> = definePlugin({
  kind: 'notifier',
  name: 'pagerduty',
  description: 'PagerDuty Events API v2 (trigger and resolve per alert group)',
  schema: pagerdutyConfigSchema,
  create(config, ctx): Notifier {
    const readFile = (p: string) => ctx.host.readTextFile(p);
    const http = httpConfigClient(config.http_config, ctx.host, (m) => ctx.logger.warn(m));
    return {
      sendResolved: config.send_resolved,
      async notify(nctx: NotifyContext, alerts: readonly Alert[]) {
        let key: string;
        try {
          key = await secretValue(config.routing_key, config.routing_key_file, readFile);
        } catch (e) {
          throw new NotifyError(`read routing_key_file: ${(e as Error).message}`, false);
        }
        const data = notificationData(nctx, alerts);
        let ev: PagerdutyEvent;
        try {
          ev = await pagerdutyEvent(config, data, nctx.groupKey, key);
        } catch (e) {
          throw new NotifyError((e as Error).message, false);
        }
        await postJSON(await expandNotification(config.url, data, 'pagerduty.url'), ev, {
          headers: await http.headers(),
          fetch: http.transportFetch,
          signal: nctx.signal,
          timeoutMs: config.timeout.ms,
        });
      },
    };
  },
});

export default pagerdutyNotifierPlugin;
