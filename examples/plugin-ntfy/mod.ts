/**
 * `beacon-plugin-ntfy`: a Beacon notifier plugin that sends alerts as
 * [ntfy](https://ntfy.sh) push notifications — one HTTP POST to `<server>/<topic>` per
 * notification, with the message in the body and `Title`, `Priority` and `Tags` headers.
 *
 * Install it next to your config (`npm install beacon-plugin-ntfy` or
 * `bun add beacon-plugin-ntfy`), name it under `plugins`, and use it in a receiver as
 * `ntfy_configs`:
 *
 * ```yaml
 * plugins:
 *   - use: beacon-plugin-ntfy     # Deno: npm:beacon-plugin-ntfy or jsr:@beacon/plugin-ntfy
 * route:
 *   receiver: phone
 * receivers:
 *   - name: phone
 *     ntfy_configs:
 *       - topic: beacon-alerts
 *         server: https://ntfy.sh   # the default
 *         priority: high
 *         tags: [warning]
 * ```
 *
 * It imports only types from Beacon (erased when it runs) and valibot, which Beacon provides.
 * @module
 */
import * as v from 'valibot';
import type { Alert, Notifier, NotifyContext, PluginDefinition } from 'beacon';

/** ntfy's priorities, lowest first (`default` is 3). */
export const PRIORITIES = ['min', 'low', 'default', 'high', 'urgent'] as const;

/** A validated `ntfy_configs` entry. */
export interface NtfyConfig {
  server: string;
  topic: string;
  priority: (typeof PRIORITIES)[number];
  tags: string[];
  token?: string;
  send_resolved: boolean;
}

/** One `ntfy_configs` entry. */
export const ntfyConfigSchema: v.GenericSchema<unknown, NtfyConfig> = v.strictObject({
  /** The ntfy server; the topic is appended as a path segment. */
  server: v.optional(
    v.pipe(v.string(), v.url('server must be a URL')),
    'https://ntfy.sh',
  ),
  topic: v.pipe(
    v.string(),
    v.regex(
      /^[-_A-Za-z0-9]{1,64}$/,
      'topic must be 1 to 64 letters, digits, - or _',
    ),
  ),
  /** Priority of firing notifications; resolved ones are sent with `low`. */
  priority: v.optional(
    v.picklist(PRIORITIES, 'priority must be one of ' + PRIORITIES.join(', ')),
    'default',
  ),
  /** Extra tags (ntfy shows known ones as emojis); `firing` or `resolved` is always added. */
  tags: v.optional(v.array(v.string()), []),
  /** An access token, sent as `Authorization: Bearer …`. */
  token: v.optional(v.string()),
  /** Whether to notify when all alerts of a group resolved. */
  send_resolved: v.optional(v.boolean(), true),
});

/** The HTTP request a notification becomes (exported for tests and reuse). */
export function ntfyRequest(
  config: NtfyConfig,
  ctx: Pick<NotifyContext, 'now' | 'receiver'>,
  alerts: readonly Alert[],
): { url: string; headers: Record<string, string>; body: string } {
  const firing = alerts.filter((a) => !(a.endsAt > 0 && a.endsAt <= ctx.now));
  const status = firing.length > 0 ? 'firing' : 'resolved';
  const names = [...new Set(alerts.map((a) => a.labels.get('alertname')))].join(
    ', ',
  );
  const lines = alerts.map((a) => {
    const summary = a.annotations.get('summary') ||
      a.annotations.get('description');
    return `${a.labels.toString()}${summary ? ': ' + summary : ''}`;
  });
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: `[${status.toUpperCase()}:${
      status === 'firing' ? firing.length : alerts.length
    }] ${names}`,
    priority: status === 'firing' ? config.priority : 'low',
    tags: [status, ...config.tags].join(','),
  };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  return {
    url: `${config.server.replace(/\/+$/, '')}/${config.topic}`,
    headers,
    body: lines.join('\n'),
  };
}

/** The `ntfy` notifier plugin definition. */
export const ntfyPlugin: PluginDefinition<NtfyConfig> = {
  kind: 'notifier',
  name: 'ntfy',
  description: 'Push notifications through an ntfy server',
  schema: ntfyConfigSchema,
  create(config, ctx): Notifier {
    return {
      sendResolved: config.send_resolved,
      async notify(nctx, alerts) {
        const req = ntfyRequest(config, nctx, alerts);
        const res = await fetch(req.url, {
          method: 'POST',
          headers: req.headers,
          body: req.body,
          signal: nctx.signal,
        });
        await res.body?.cancel();
        // Any error is retried by Beacon until the flush's deadline.
        if (!res.ok) {
          throw new Error(`ntfy answered ${res.status} for ${req.url}`);
        }
        ctx.logger.debug('Sent ntfy notification', {
          topic: config.topic,
          alerts: alerts.length,
        });
      },
    };
  },
};

export default ntfyPlugin;
