/**
 * Redaction of config parts that are kept as written rather than parsed into `Secret`s: the
 * receivers' notifier blocks (validated later by their plugins) and passwords inside URLs
 * (`proxy_url: http://user:pass@proxy`), for every place that prints a config.
 * @module
 */
import { SECRET_MASK } from './secret.ts';

/**
 * Keys whose values are secrets in notifier blocks, as Alertmanager marks them (`Secret`,
 * `SecretURL`): webhook and Slack URLs carry their tokens in the path or query.
 */
const SECRET_KEYS = new Set([
  'url',
  'api_url',
  'webhook_url',
  'routing_key',
  'service_key',
  'app_token',
  'bot_token',
  'token',
  'api_key',
  'api_secret',
  'password',
  'credentials',
  'bearer_token',
  'client_secret',
  'auth_password',
  'auth_secret',
  'user_key',
  'secret',
]);

/** A deep copy of parsed-to-plain `receivers` with every secret-named value masked. */
export function redactReceivers(receivers: unknown): unknown {
  return mask(receivers, false);
}

function mask(x: unknown, secretKey: boolean): unknown {
  if (Array.isArray(x)) return x.map((e) => mask(e, secretKey));
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = mask(v, SECRET_KEYS.has(k));
    return out;
  }
  if (secretKey && (typeof x === 'string' || typeof x === 'number') && x !== '') {
    return SECRET_MASK;
  }
  return x;
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]*)@/i;

/** `url` with the password of its user info masked; other strings unchanged. */
export function redactUrlPassword(url: string): string {
  return url.replace(USERINFO, (_m, head: string) => `${head}:${SECRET_MASK}@`);
}

/** A deep copy of a plain value with {@link redactUrlPassword} applied to every string. */
export function redactUrlPasswords(x: unknown): unknown {
  if (typeof x === 'string') return redactUrlPassword(x);
  if (Array.isArray(x)) return x.map(redactUrlPasswords);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = redactUrlPasswords(v);
    return out;
  }
  return x;
}
