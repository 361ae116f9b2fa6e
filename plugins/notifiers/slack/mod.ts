/**
 * The `slack` notifier: Alertmanager's `slack_configs`, posting one attachment per
 * notification to an incoming webhook (`api_url`) or, with `app_token`, to `chat.postMessage`.
 * Every text field is a template over Alertmanager's notification data, with Alertmanager's
 * defaults (`[FIRING:2] …` titles, `danger`/`good` colours).
 *
 * @example
 * ```yaml
 * receivers:
 *   - name: team
 *     slack_configs:
 *       - api_url: https://hooks.slack.com/services/T000/B000/XXXX
 *         channel: '#alerts'
 *         send_resolved: true
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

const tmpl = (name: string) => `{{ template "slack.default.${name}" . }}`;

const fieldSchema = v.strictObject({
  title: v.string(),
  value: v.string(),
  short: v.nullish(v.boolean()),
});

/** A `slack_configs` entry, with Alertmanager's defaults. */
export const slackConfigSchema = v.pipe(
  v.strictObject({
    send_resolved: sendResolvedField(false),
    http_config: httpConfigField,
    api_url: secretField,
    api_url_file: stringField,
    app_token: secretField,
    app_token_file: stringField,
    app_url: templateField('https://slack.com/api/chat.postMessage'),
    channel: templateField(''),
    username: templateField(tmpl('username')),
    color: templateField('{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'),
    title: templateField(tmpl('title')),
    title_link: templateField(tmpl('titlelink')),
    pretext: templateField(tmpl('pretext')),
    text: templateField(tmpl('text')),
    fields: v.pipe(v.nullish(v.array(fieldSchema), () => []), v.transform((f) => f ?? [])),
    short_fields: v.pipe(v.nullish(v.boolean(), false), v.transform((b) => b ?? false)),
    footer: templateField(tmpl('footer')),
    fallback: templateField(tmpl('fallback')),
    callback_id: templateField(tmpl('callbackid')),
    icon_emoji: templateField(tmpl('iconemoji')),
    icon_url: templateField(tmpl('iconurl')),
    image_url: templateField(''),
    thumb_url: templateField(''),
    link_names: v.pipe(v.nullish(v.boolean(), false), v.transform((b) => b ?? false)),
    mrkdwn_in: v.pipe(
      v.nullish(v.array(v.string()), () => ['fallback', 'pretext', 'text']),
      v.transform((l) => l ?? ['fallback', 'pretext', 'text']),
    ),
    actions: v.pipe(
      v.nullish(v.array(v.record(v.string(), v.unknown())), () => []),
      v.transform((l) => l ?? []),
    ),
    timeout: durationField('0s'),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const c = dataset.value;
    const msg = exactlyOne('api_url', c.api_url, c.api_url_file, false) ??
      exactlyOne('app_token', c.app_token, c.app_token_file, false) ??
      (c.app_token === undefined && c.app_token_file === undefined
        ? exactlyOne('api_url', c.api_url, c.api_url_file)
        : undefined);
    if (msg) addIssue({ message: msg });
  }),
);

/** A validated Slack config. */
export type SlackConfig = v.InferOutput<typeof slackConfigSchema>;

/** One attachment as Slack takes it; empty fields are left out, as Alertmanager does. */
export interface SlackAttachment {
  title?: string;
  title_link?: string;
  pretext?: string;
  text: string;
  fallback: string;
  callback_id?: string;
  fields?: { title: string; value: string; short: boolean }[];
  actions?: Record<string, unknown>[];
  image_url?: string;
  thumb_url?: string;
  footer?: string;
  color?: string;
  mrkdwn_in?: string[];
}

/** The request body. */
export interface SlackMessage {
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  link_names?: boolean;
  attachments: SlackAttachment[];
}

const TITLE_MAX_RUNES = 1024;

function compact<T extends object>(o: T): T {
  for (const [k, val] of Object.entries(o)) {
    if (val === '' || val === undefined || val === false || (Array.isArray(val) && !val.length)) {
      delete (o as Record<string, unknown>)[k];
    }
  }
  return o;
}

/** Renders the message of a notification. */
export async function slackMessage(
  config: SlackConfig,
  data: NotificationData,
): Promise<SlackMessage> {
  const x = (text: string, field: string) => expandNotification(text, data, `slack.${field}`);
  const title = truncateRunes(await x(config.title, 'title'), TITLE_MAX_RUNES).text;
  const fields = [];
  for (const f of config.fields ?? []) {
    fields.push({
      title: await x(f.title, 'fields.title'),
      value: await x(f.value, 'fields.value'),
      short: f.short ?? config.short_fields,
    });
  }
  const attachment: SlackAttachment = compact({
    title,
    title_link: await x(config.title_link, 'title_link'),
    pretext: await x(config.pretext, 'pretext'),
    text: await x(config.text, 'text'),
    fallback: await x(config.fallback, 'fallback'),
    callback_id: await x(config.callback_id, 'callback_id'),
    fields,
    actions: config.actions,
    image_url: await x(config.image_url, 'image_url'),
    thumb_url: await x(config.thumb_url, 'thumb_url'),
    footer: await x(config.footer, 'footer'),
    color: await x(config.color, 'color'),
    mrkdwn_in: config.mrkdwn_in,
  });
  // Slack requires these two keys even when empty.
  attachment.text ??= '';
  attachment.fallback ??= '';
  return compact({
    channel: await x(config.channel, 'channel'),
    username: await x(config.username, 'username'),
    icon_emoji: await x(config.icon_emoji, 'icon_emoji'),
    icon_url: await x(config.icon_url, 'icon_url'),
    link_names: config.link_names,
    attachments: [attachment],
  });
}

/** Slack's answer: plain `ok` (webhooks) or JSON with `ok: true` (the Web API). */
export function checkSlackResponse(body: string): void {
  const t = body.trim();
  if (t === '' || t === 'ok') return;
  let parsed: { ok?: boolean; error?: string } | undefined;
  try {
    parsed = JSON.parse(t);
  } catch {
    throw new NotifyError(`unexpected response from Slack: ${t.slice(0, 200)}`, false);
  }
  if (parsed?.ok !== true) {
    throw new NotifyError(`error response from Slack: ${parsed?.error ?? 'unknown'}`, false);
  }
}

/** The Slack notifier plugin. */
export const slackNotifierPlugin: PluginDefinition<SlackConfig> = definePlugin({
  kind: 'notifier',
  name: 'slack',
  description: "Alertmanager's Slack integration (incoming webhooks or chat.postMessage)",
  schema: slackConfigSchema,
  create(config, ctx): Notifier {
    const readFile = (p: string) => ctx.host.readTextFile(p);
    const http = httpConfigClient(config.http_config, ctx.host, (m) => ctx.logger.warn(m));
    return {
      sendResolved: config.send_resolved,
      async notify(nctx: NotifyContext, alerts: readonly Alert[]) {
        const data = notificationData(nctx, alerts);
        let msg: SlackMessage;
        try {
          msg = await slackMessage(config, data);
        } catch (e) {
          throw new NotifyError((e as Error).message, false);
        }
        const headers = await http.headers();
        let url: string;
        try {
          const token = await secretValue(config.app_token, config.app_token_file, readFile);
          if (token) {
            headers.set('Authorization', `Bearer ${token}`);
            url = config.app_url;
          } else url = await secretValue(config.api_url, config.api_url_file, readFile);
        } catch (e) {
          throw new NotifyError(`read credentials: ${(e as Error).message}`, false);
        }
        const body = await postJSON(url, msg, {
          headers,
          fetch: http.transportFetch,
          signal: nctx.signal,
          timeoutMs: config.timeout.ms,
        });
        checkSlackResponse(body);
      },
    };
  },
});

export default slackNotifierPlugin;
