/**
 * What a receiver sends through: a notifier (one `webhook_configs` entry, one Slack channel,
 * …) with its `send_resolved` flag, and the retry loop Alertmanager wraps around every send:
 * exponential backoff while the error is retryable and the flush's deadline is not reached.
 * @module
 */
import type { Labels } from '../model/mod.ts';
import type { PluginInstance } from '../plugin.ts';
import type { Alert } from './alert.ts';
import type { Clock } from './clock.ts';

/** What a notifier learns about the notification besides its alerts. */
export interface NotifyContext {
  /** The receiver's name. */
  receiver: string;
  /** The aggregation group's key, `<route key>:<group labels>`. */
  groupKey: string;
  groupLabels: Labels;
  /** Beacon's external URL (`--web.external-url`). */
  externalURL: string;
  /** The flush time (ms); alerts with an end at or before it are resolved. */
  now: number;
  /** Aborts when the flush's deadline passes or Beacon stops. */
  signal: AbortSignal;
}

/** A send that failed; `retry` says whether trying again may help (5xx, 429, network). */
export class NotifyError extends Error {
  override name = 'NotifyError';
  constructor(message: string, readonly retry: boolean) {
    super(message);
  }
}

/** One configured destination. Plugins of kind `notifier` return this from `create`. */
export interface Notifier extends PluginInstance {
  /** Whether resolved alerts are sent (Alertmanager's `send_resolved`). */
  readonly sendResolved: boolean;
  /**
   * Sends one notification.
   * @throws {NotifyError} on failure (other errors count as retryable).
   */
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void>;
}

/** A notifier in a receiver: its type (plugin name) and index among that type's entries. */
export interface Integration {
  readonly type: string;
  readonly index: number;
  readonly notifier: Notifier;
}

/** `webhook[0]`: how logs, metrics and the notification log name an integration. */
export const integrationName = (i: Pick<Integration, 'type' | 'index'>) => `${i.type}[${i.index}]`;

/** Backoff settings; the defaults are those of the backoff library Alertmanager uses. */
export interface RetryOptions {
  initialMs?: number;
  multiplier?: number;
  maxIntervalMs?: number;
}

/** The outcome of {@link notifyWithRetry}. */
export interface RetryResult {
  ok: boolean;
  attempts: number;
  error?: Error;
}

/**
 * Calls `notifier.notify` until it succeeds, fails without `retry`, or `ctx.signal` aborts;
 * waits between attempts (500ms, ×1.5 each time, at most 60s) on `clock`.
 */
export async function notifyWithRetry(
  notifier: Notifier,
  ctx: NotifyContext,
  alerts: readonly Alert[],
  clock: Clock,
  opts: RetryOptions = {},
): Promise<RetryResult> {
  let delay = opts.initialMs ?? 500;
  const factor = opts.multiplier ?? 1.5, cap = opts.maxIntervalMs ?? 60_000;
  for (let attempts = 1;; attempts++) {
    try {
      await notifier.notify(ctx, alerts);
      return { ok: true, attempts };
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const retry = !(e instanceof NotifyError) || e.retry;
      if (!retry || ctx.signal.aborted) return { ok: false, attempts, error };
      try {
        await clock.sleep(delay, ctx.signal);
      } catch {
        return { ok: false, attempts, error };
      }
      delay = Math.min(cap, delay * factor);
    }
  }
}

/** Options of {@link postJSON}. */
export interface PostOptions {
  headers?: HeadersInit;
  signal?: AbortSignal;
  /** Per-request timeout; 0 for none. Real time: it guards against a hung server. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * POSTs `body` as JSON. Resolves with the response text for a 2xx status.
 * @throws {NotifyError} retryable for network errors, 5xx and 429; not for other statuses.
 */
export async function postJSON(
  url: string,
  body: unknown,
  opts: PostOptions = {},
): Promise<string> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = opts.timeoutMs ? setTimeout(() => ctl.abort(), opts.timeoutMs) : undefined;
  try {
    const headers = new Headers(opts.headers);
    headers.set('Content-Type', 'application/json');
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: ctl.signal,
      });
    } catch (e) {
      throw new NotifyError(
        `Post ${JSON.stringify(redactURL(url))}: ${(e as Error).message}`,
        true,
      );
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return text;
    const retry = res.status >= 500 || res.status === 429;
    throw new NotifyError(
      `unexpected status code ${res.status}${text ? `: ${text.slice(0, 1024)}` : ''}`,
      retry,
    );
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** A URL with its path and query hidden, for messages about secret URLs (Slack webhooks). */
export function redactURL(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/<redacted>`;
  } catch {
    return '<redacted>';
  }
}
