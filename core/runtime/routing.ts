/**
 * Beacon's built-in routing (a top-level `route:` in the config): receivers built from notifier
 * plugins, a dispatcher that groups, throttles, silences and inhibits, and Alertmanager's v2
 * API over it. Silences, the notification log and the metrics outlive reloads.
 * @module
 */
import type { Hono } from 'hono';
import { type Config, ConfigError, ConfigLoadError } from '../config/mod.ts';
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import {
  type Alert,
  alertmanagerApiV2,
  buildReceivers,
  buildRoute,
  compileInhibitRules,
  compileTimeIntervals,
  Dispatcher,
  DispatcherMetrics,
  NotificationLog,
  Silences,
} from '../notify/mod.ts';
import type { PluginRegistry } from '../plugin.ts';
import { BUILD_INFO } from '../version.ts';

/** What the built-in routing needs from the runtime. */
export interface RoutingEnv {
  host: Host;
  logger: Logger;
  registry: Registry;
  plugins: PluginRegistry;
  externalURL?: string;
}

/** The built-in router; inactive while the config has no `route`. */
export class BuiltinRouting {
  readonly silences = new Silences();
  readonly #nflog = new NotificationLog();
  readonly #metrics: DispatcherMetrics;
  readonly #env: RoutingEnv;
  readonly #started = Date.now();
  #dispatcher?: Dispatcher;
  #api?: Hono;
  #configText = '';

  constructor(env: RoutingEnv) {
    this.#env = env;
    this.#metrics = new DispatcherMetrics(env.registry);
  }

  /** Whether a `route` is configured. */
  get active(): boolean {
    return this.#dispatcher !== undefined;
  }

  /**
   * Builds the dispatcher for `config` (receivers validated by their plugins' schemas) and
   * swaps it in; on error nothing changes and a ConfigLoadError names the receiver's place.
   */
  async apply(config: Config): Promise<void> {
    if (!config.route) {
      await this.#swap(undefined);
      return;
    }
    const env = this.#env;
    let receivers;
    try {
      receivers = await buildReceivers(
        config.receivers,
        (type) => env.plugins.resolve(type).catch(() => undefined),
        {
          logger: env.logger.with({ component: 'notify' }),
          host: env.host,
          registry: env.registry,
          capabilities: new Map(),
        },
      );
    } catch (e) {
      throw receiverErrors(config, (e as Error).message);
    }
    const dispatcher = new Dispatcher({
      route: buildRoute(config.route),
      receivers,
      inhibitRules: compileInhibitRules(config.inhibit_rules),
      timeIntervals: compileTimeIntervals([
        ...config.time_intervals,
        ...config.mute_time_intervals,
      ]),
      silences: this.silences,
      nflog: this.#nflog,
      externalURL: env.externalURL,
      metrics: this.#metrics,
      logger: env.logger.with({ component: 'dispatcher' }),
    });
    this.#configText = config.source?.text ?? '';
    await this.#swap(dispatcher);
  }

  async #swap(next: Dispatcher | undefined): Promise<void> {
    const old = this.#dispatcher;
    this.#dispatcher = next;
    this.#api = next
      ? alertmanagerApiV2({
        dispatcher: next,
        silences: this.silences,
        configText: () => this.#configText,
        startTime: this.#started,
        version: BUILD_INFO,
      })
      : undefined;
    // The notification log carries over, so the new dispatcher does not notify again.
    await old?.stop();
  }

  /** Routes alerts (from rules, or posted to `/api/v2/alerts`). */
  send(alerts: readonly Alert[]): void {
    this.#dispatcher?.send([...alerts]);
  }

  /** Serves Alertmanager's `/api/v2` (mounted with the prefix stripped). */
  fetch(req: Request): Response | Promise<Response> {
    if (!this.#api) {
      return Response.json(
        { code: 404, message: 'built-in routing is not enabled: the config has no route' },
        { status: 404 },
      );
    }
    return this.#api.fetch(req);
  }

  /** Stops the dispatcher (flushing nothing further). */
  async stop(): Promise<void> {
    await this.#swap(undefined);
  }
}

// `receivers[0].slack_configs[1].channel: message` lines become positioned config errors.
function receiverErrors(config: Config, text: string): ConfigLoadError {
  const file = config.source?.file ?? '<config>';
  return new ConfigLoadError(
    text.split('\n').map((line) => {
      const m = /^(receivers(?:\[\d+\]|\.[A-Za-z_]\w*|\.\d+)*)(?::\s|$)/.exec(line);
      const path: (string | number)[] = [];
      if (m) {
        for (const seg of m[1].matchAll(/([A-Za-z_]\w*)|\[(\d+)\]|\.(\d+)/g)) {
          path.push(seg[1] ?? Number(seg[2] ?? seg[3]));
        }
      }
      const message = m ? line.slice(m[0].length) : line;
      const pos = config.source?.positionOf(path.length ? path : ['receivers']) ??
        { line: 1, column: 1 };
      return new ConfigError(file, pos.line, pos.column, path, message || line);
    }),
  );
}
