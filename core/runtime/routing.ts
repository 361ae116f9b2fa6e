/**
 * Beacon's built-in routing (a top-level `route:` in the config): receivers built from notifier
 * plugins, a dispatcher that groups, throttles, silences and inhibits, and Alertmanager's v2
 * API over it. Silences, the notification log and the metrics outlive reloads.
 * @module
 */
import type { Hono } from 'hono';
import { type Config, ConfigError, ConfigLoadError, configToYAML } from '../config/mod.ts';
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
import type { PluginDefinition, PluginRegistry } from '../plugin.ts';
import type { StateStore } from '../state/mod.ts';
import { BUILD_INFO } from '../version.ts';

/** What the built-in routing needs from the runtime. */
export interface RoutingEnv {
  host: Host;
  logger: Logger;
  registry: Registry;
  plugins: PluginRegistry;
  externalURL?: string;
  /** Where silences and the notification log persist (kept in memory when absent). */
  state?: StateStore;
}

/** The built-in router; inactive while the config has no `route`. */
export class BuiltinRouting {
  readonly silences: Silences;
  readonly #nflog: NotificationLog;
  readonly #metrics: DispatcherMetrics;
  readonly #env: RoutingEnv;
  readonly #started = Date.now();
  #dispatcher?: Dispatcher;
  #api?: Hono;
  #configText = '';

  constructor(env: RoutingEnv) {
    this.#env = env;
    this.#metrics = new DispatcherMetrics(env.registry);
    const log = env.logger.with({ component: 'notify' });
    const onStoreError = (err: unknown) =>
      log.error('Writing to the state store failed', { err: err as Error });
    this.silences = new Silences({ store: env.state, onStoreError });
    this.#nflog = new NotificationLog({ store: env.state, onStoreError });
  }

  /** Loads silences and the notification log from the state store (before `apply`). */
  async restore(): Promise<void> {
    const state = this.#env.state;
    if (!state) return;
    this.silences.restore(await state.listSilences());
    this.#nflog.restore(await state.listNflog());
    // Expired state is dropped from the store too.
    this.silences.gc();
    this.#nflog.gc();
  }

  /** Whether a `route` is configured. */
  get active(): boolean {
    return this.#dispatcher !== undefined;
  }

  /**
   * Builds the dispatcher for `config` (receivers validated by their plugins' schemas) and
   * swaps it in; on error nothing changes and a ConfigLoadError names the receiver's place.
   * `notifiers` are the notifier plugins the config lists under `plugins`.
   */
  async apply(config: Config, notifiers: readonly PluginDefinition[] = []): Promise<void> {
    if (!config.route) {
      await this.#swap(undefined);
      return;
    }
    const env = this.#env;
    let receivers;
    try {
      receivers = await buildReceivers(
        config.receivers,
        (type) =>
          notifiers.find((d) => d.name === type) ??
            env.plugins.resolve(type).catch(() => undefined),
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
    // Alertmanager shows its config with secrets masked; the file's own text would not be.
    this.#configText = configToYAML(config);
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

  /** Resolves when every notification flush started so far has finished (the edge tick). */
  idle(): Promise<void> {
    return this.#dispatcher?.idle() ?? Promise.resolve();
  }

  /** Stops the dispatcher (flushing nothing further). */
  async stop(): Promise<void> {
    await this.#swap(undefined);
    // Pending writes reach the store before the storage closes.
    await this.silences.settled();
    await this.#nflog.settled();
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
