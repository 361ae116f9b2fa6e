/**
 * The running Beacon: config, self metrics, plugins and the HTTP app wired together, with
 * reload (keeping the old config when the new one is invalid) and graceful shutdown.
 * @module
 */
import type { Hono } from 'hono';
import {
  adminApi,
  type ApiExtension,
  bodyLimit,
  createApiApp,
  federateHandler,
  remoteReadApi,
  remoteWriteApi,
  remoteWriteDisabledApi,
  sqlApi,
  tsdbStatusApi,
} from '../api/mod.ts';
import {
  type Config,
  ConfigError,
  ConfigLoadError,
  configToYAML,
  dirname,
  loadConfig,
  parseConfig,
  parseDurationMs,
} from '../config/mod.ts';
import { negotiate } from '../exposition/mod.ts';
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import { httpMetrics } from '../metrics/mod.ts';
import type { PluginRegistry } from '../plugin.ts';
import { BUILD_INFO } from '../version.ts';
import { DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from './default_config.ts';
import type { DiscoveryMechanism } from '../discovery/mod.ts';
import type { Matcher } from '../model/mod.ts';
import { alertmanagersApi } from '../notify/mod.ts';
import { type ExprParser, rulesApi } from '../rules/mod.ts';
import { scrapeApi, ScrapeManager } from '../scrape/mod.ts';
import { RemoteWriteManager } from '../remote/send/mod.ts';
import { RemoteReadManager } from '../remote/read/mod.ts';
import type { MetricMetadata as RemoteMetricMetadata } from '../remote/mod.ts';
import { hostHttpDeps } from '../http_client/mod.ts';
import { FanoutStorage, type Storage } from '../storage/mod.ts';
import { MemoryStateStore, sqlRunnerOf, type StateStore, stateStoreOf } from '../state/mod.ts';
import { type OpenStorage, openStorage } from './storage.ts';
import {
  declaredNotifiers,
  type LoadedPlugin,
  type PluginEnv,
  type ResolvedPlugin,
  resolvePlugins,
  startPlugins,
  stopPlugins,
} from './plugins.ts';
import { Alerting, type AlertingSettings, alertingSettings } from './alerting.ts';
import { type OpenEngine, openEngine } from './engine.ts';
import { BuiltinRouting } from './routing.ts';
import { createSelfMetrics, type SelfMetrics } from './self_metrics.ts';
import type { RuntimeService, RuntimeServiceFactory } from './services.ts';

/** Settings of a {@link Runtime}, mostly from the command line. */
export interface RuntimeOptions {
  host: Host;
  logger: Logger;
  plugins: PluginRegistry;
  /** `--config.file`. */
  configFile: string;
  /** Flag values, for `/api/v1/status/flags`. */
  flags: Record<string, string>;
  routePrefix: string;
  enableLifecycle: boolean;
  enableAdminApi: boolean;
  /** `--web.enable-remote-write-receiver`: accept `POST /api/v1/write`. */
  enableRemoteWriteReceiver?: boolean;
  /** Called when `/-/quit` asks Beacon to stop. */
  onQuit?: () => void;
  /** Built-in discovery mechanisms (static_configs, file_sd_configs, …), from plugins/. */
  discoveryMechanisms?: readonly DiscoveryMechanism[];
  /** Parses a PromQL expression (rule files); the engine plugin provides it. */
  parseExpr?: ExprParser;
  /** Parses a PromQL series selector (`match[]`); the engine plugin provides it. */
  parseMatchers?: (selector: string) => Matcher[];
  /** Also run on every reload (signal or endpoint), e.g. the web config's. */
  reloadHooks?: readonly (() => Promise<unknown>)[];
  /** Routes other capabilities add under `/api/v1`. */
  apiExtensions?: readonly ApiExtension[];
  /** Built-in services (registration discovery), created once per runtime. */
  services?: readonly RuntimeServiceFactory[];
}

/** A configured Beacon instance. Create with {@link Runtime.create}, then `start`. */
export class Runtime {
  readonly app: Hono;
  readonly metrics: SelfMetrics;
  #config: Config;
  #plugins: LoadedPlugin[] = [];
  #ready = false;
  #lastReloadOk = true;
  #lastConfigTime: Date;
  readonly #startTime = new Date();
  readonly #opts: RuntimeOptions;
  #reloading: Promise<void> = Promise.resolve();

  readonly #storage: OpenStorage;
  readonly #scrape: ScrapeManager;
  readonly #routing: BuiltinRouting;
  readonly #alerting: Alerting;
  readonly #remoteWrite: RemoteWriteManager;
  readonly #remoteRead: RemoteReadManager;
  /** Local storage merged with the `remote_read` endpoints: what queries and rules read. */
  readonly #queryStorage: FanoutStorage;

  readonly #engine: OpenEngine;
  readonly #state: StateStore;
  readonly #services: RuntimeService[];

  private constructor(
    opts: RuntimeOptions,
    config: Config,
    metrics: SelfMetrics,
    storage: OpenStorage,
    engine: OpenEngine,
    alerting: AlertingSettings,
  ) {
    this.#opts = opts;
    this.#config = config;
    this.#storage = storage;
    this.#engine = engine;
    // The engine's state store (duckdb: its database file), else state lives in memory.
    this.#state = stateStoreOf(storage.storage) ?? new MemoryStateStore();
    this.#remoteRead = new RemoteReadManager({
      storage: storage.storage,
      logger: opts.logger,
      registry: metrics.registry,
      http: hostHttpDeps(opts.host),
    });
    this.#remoteRead.apply(config);
    this.#queryStorage = new FanoutStorage(storage.storage, () => this.#remoteRead.queryables());
    this.#routing = new BuiltinRouting({
      host: opts.host,
      logger: opts.logger,
      registry: metrics.registry,
      plugins: opts.plugins,
      externalURL: opts.flags['web.external-url'] || undefined,
      state: this.#state,
    });
    this.#alerting = new Alerting({
      host: opts.host,
      logger: opts.logger,
      registry: metrics.registry,
      storage: this.#queryStorage,
      engine: engine.engine,
      routing: this.#routing,
      parseExpr: opts.parseExpr ?? noExprParser,
      externalURL: opts.flags['web.external-url'] || `http://${opts.host.hostname()}:9090`,
      settings: alerting,
    });
    this.#services = (opts.services ?? []).map((create) =>
      create({
        host: opts.host,
        logger: opts.logger,
        registry: metrics.registry,
        dataDir: opts.flags['storage.tsdb.path'] || 'data/',
        state: this.#state,
      })
    );
    this.#scrape = new ScrapeManager({
      storage: storage.storage,
      logger: opts.logger.with({ component: 'scrape manager' }),
      registry: metrics.registry,
      host: opts.host,
      mechanisms: [
        ...(opts.discoveryMechanisms ?? []),
        ...this.#services.flatMap((s) => s.mechanisms ?? []),
      ],
    });
    this.#remoteWrite = new RemoteWriteManager({
      storage: storage.storage,
      logger: opts.logger,
      registry: metrics.registry,
      http: hostHttpDeps(opts.host),
      metadata: () => scrapeMetadata(this.#scrape),
    });
    this.#lastConfigTime = new Date();
    this.metrics = metrics;
    const app = createApiApp(
      {
        logger: opts.logger.with({ component: 'web' }),
        routePrefix: opts.routePrefix,
        enableLifecycle: opts.enableLifecycle,
        enableAdminApi: opts.enableAdminApi,
        flags: opts.flags,
        buildInfo: () => ({
          ...BUILD_INFO,
          goVersion: `${opts.host.runtime.name} ${opts.host.runtime.version}`,
        }),
        runtimeInfo: () => this.runtimeInfo(),
        configYAML: () => configToYAML(this.#config),
        isReady: () => this.#ready,
        reload: () => this.reload(),
        quit: () => opts.onQuit?.(),
        metrics: async (accept) => {
          const { format, contentType } = negotiate(accept);
          return { contentType, body: await this.metrics.registry.metrics(format) };
        },
      },
      [
        scrapeApi(this.#scrape, {
          parseMatchers: opts.parseMatchers,
          globalHost: opts.host.hostname(),
        }),
        engine.engine.apiExtension(this.#queryStorage),
        rulesApi(this.#alerting.rules, { parseSelector: opts.parseMatchers }),
        alertmanagersApi(this.#alerting.alertmanagers),
        tsdbStatusApi({ storage: storage.storage }),
        remoteReadApi({
          storage: storage.storage,
          externalLabels: () => this.#config.global.external_labels,
        }),
        sqlApi({
          enabled: opts.flags['web.enable-sql'] === 'true',
          engine: config.storage.engine,
          runner: sqlRunnerOf(storage.storage, { disableExternalAccess: true }),
          maxRows: Number(opts.flags['web.sql.max-rows'] || 10_000),
          timeoutMs: parseDurationMs(opts.flags['web.sql.timeout'] || '30s') ?? 30_000,
        }),
        adminApi({
          storage: storage.storage,
          enabled: opts.enableAdminApi,
          parseSelector: opts.parseMatchers ?? noSelectorParser,
        }),
        opts.enableRemoteWriteReceiver
          ? remoteWriteApi({
            storage: storage.storage,
            logger: opts.logger.with({ component: 'remote write receiver' }),
            registry: metrics.registry,
          })
          : remoteWriteDisabledApi(),
        ...(opts.apiExtensions ?? []),
        ...this.#services.flatMap((s) => s.apiExtensions ?? []),
      ],
      [
        httpMetrics({ registry: this.metrics.registry }),
        (c, next) => this.#servePluginRoute(c.req.raw, opts.routePrefix) ?? next(),
        bodyLimit({
          readTimeoutMs: parseDurationMs(opts.flags['web.read-timeout'] || '5m') ?? undefined,
          registry: this.metrics.registry,
        }),
      ],
      [
        { path: '/api/v2', fetch: (req) => this.#routing.fetch(req) },
        {
          path: '/federate',
          fetch: federateHandler({
            storage: storage.storage,
            parseMatchers: opts.parseMatchers ?? noSelectorParser,
            externalLabels: () => this.#config.global.external_labels,
            lookbackDeltaMs: parseDurationMs(opts.flags['query.lookback-delta'] || '5m') ?? 300_000,
          }),
        },
      ],
    );
    this.app = app;
  }

  /** Loads the config (or the embedded default when the file is absent) and builds Beacon. */
  static async create(opts: RuntimeOptions): Promise<Runtime> {
    const config = await readConfig(opts);
    const metrics = createSelfMetrics(opts.host);
    // Storage opens first: every API route and plugin reads or writes through it.
    let alerting;
    try {
      alerting = alertingSettings(opts.flags);
    } catch (e) {
      throw new ConfigLoadError([
        new ConfigError('<command line>', 0, 0, [], (e as Error).message),
      ]);
    }
    const env = pluginEnv(opts, metrics);
    const storage = await openStorage(config, opts.flags, env);
    let engine;
    try {
      engine = await openEngine(config, opts.flags, {
        ...env,
        capabilities: new Map([['storage', [storage.plugin.instance]]]),
      });
    } catch (e) {
      await stopPlugins([storage.plugin], opts.logger);
      throw e;
    }
    return new Runtime(opts, config, metrics, storage, engine, alerting);
  }

  /** The scrape manager (targets, pools). */
  get scrape(): ScrapeManager {
    return this.#scrape;
  }

  /** The rule manager and Alertmanager client. */
  get alerting(): Alerting {
    return this.#alerting;
  }

  /** The built-in alert routing (active when the config has a `route`). */
  get routing(): BuiltinRouting {
    return this.#routing;
  }

  /** The remote-write sender (`remote_write` queues). */
  get remoteWrite(): RemoteWriteManager {
    return this.#remoteWrite;
  }

  /** The storage engine. */
  get storage(): Storage {
    return this.#storage.storage;
  }

  /** The relational state store (silences, notification log, registrations). */
  get state(): StateStore {
    return this.#state;
  }

  /** The config in force. */
  get config(): Config {
    return this.#config;
  }

  /** Whether start-up has finished. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Starts every plugin; afterwards `/-/ready` answers 200. */
  async start(): Promise<void> {
    const resolved = await resolvePlugins(this.#config, this.#pluginEnv());
    this.#plugins = await this.#applyPlugins(resolved, []);
    const queryLogError = await this.#applyQueryLog(this.#config);
    // As Prometheus: a query log file that cannot be opened fails the start.
    if (queryLogError) throw queryLogError;
    for (const s of this.#services) await s.start?.();
    await this.#routing.restore();
    await this.#routing.apply(this.#config, declaredNotifiers(resolved));
    await this.#alerting.apply(this.#config);
    // Remote write starts before scraping, so that its log readers see the first commits.
    await this.#remoteWrite.apply(this.#config);
    await this.#scrape.applyConfig(this.#config);
    this.#markReload(true);
    this.#ready = true;
    this.metrics.ready.set(1);
  }

  /**
   * Re-reads the config file. An invalid file leaves the running config in place, logs every
   * error and sets `beacon_config_last_reload_successful` to 0; the promise then rejects.
   */
  reload(): Promise<void> {
    // Reloads run one at a time, in the order asked.
    const run = async () => {
      // The hooks run whatever the config's fate: they log their own errors.
      await Promise.all((this.#opts.reloadHooks ?? []).map((h) => h().catch(() => {})));
      await this.#reload();
    };
    const next = this.#reloading.then(run, run);
    this.#reloading = next.catch(() => {});
    return next;
  }

  async #reload(): Promise<void> {
    const log = this.#opts.logger.with({ component: 'config' });
    log.info('Loading configuration file', { filename: this.#opts.configFile });
    let config: Config;
    try {
      config = await readConfig(this.#opts);
    } catch (e) {
      this.#markReload(false);
      logConfigError(log, e);
      throw e;
    }
    if (config.storage.engine !== this.#config.storage.engine) {
      log.warn('storage.engine changed; the new engine takes effect after a restart', {
        running: this.#config.storage.engine,
        configured: config.storage.engine,
      });
    }
    // Every plugin block is validated before anything running is touched.
    let resolved: ResolvedPlugin[];
    try {
      resolved = await resolvePlugins(config, this.#pluginEnv());
    } catch (e) {
      this.#markReload(false);
      logConfigError(log, e);
      throw e;
    }
    // Rules and routing validate first, then swap; on error the old ones keep running.
    try {
      await this.#alerting.apply(config);
      await this.#routing.apply(config, declaredNotifiers(resolved));
    } catch (e) {
      this.#markReload(false);
      logConfigError(log, e);
      throw e;
    }
    const previous = this.#plugins;
    try {
      this.#plugins = await this.#applyPlugins(resolved, previous);
    } catch (e) {
      // The new set failed to start: bring the previous plugins back.
      this.#markReload(false);
      logConfigError(log, e);
      this.#plugins = await this.#applyPlugins(
        previous.map(({ use, definition, config }) => ({ use, definition, config })),
        [],
      ).catch((err) => {
        log.error('Could not restore the previous plugins', { err: err as Error });
        return [];
      });
      throw e;
    }
    this.#config = config;
    const queryLogError = await this.#applyQueryLog(config);
    this.#remoteRead.apply(config);
    await this.#remoteWrite.apply(config);
    await this.#scrape.applyConfig(config);
    // As Prometheus: everything else is applied, but the reload counts as failed.
    if (queryLogError) {
      this.#markReload(false);
      throw queryLogError;
    }
    this.#markReload(true);
    log.info('Completed loading of configuration file', { filename: this.#opts.configFile });
  }

  /**
   * (Re)opens `global.query_log_file`, as Prometheus on start and every reload; resolves to the
   * error (already logged) when the file cannot be opened.
   */
  async #applyQueryLog(config: Config): Promise<Error | undefined> {
    const path = config.global.query_log_file;
    try {
      await this.#engine.engine.setQueryLogFile?.(path);
      return undefined;
    } catch (err) {
      this.#opts.logger.error('Failed to open the query log file', {
        filename: path,
        err: err as Error,
      });
      return new Error(`open query log file ${path}: ${(err as Error).message}`);
    }
  }

  #pluginEnv(): PluginEnv {
    return {
      ...pluginEnv(this.#opts, this.metrics),
      capabilities: new Map([['storage', [this.#storage.plugin.instance]]]),
    };
  }

  /**
   * Makes `resolved` the running set: a plugin with the same `use` that can reload in place
   * keeps its instance; the rest of `previous` is stopped before the new ones start, so that
   * their metrics and ports are free.
   */
  async #applyPlugins(
    resolved: readonly ResolvedPlugin[],
    previous: readonly LoadedPlugin[],
  ): Promise<LoadedPlugin[]> {
    const reused: LoadedPlugin[] = [];
    const fresh: ResolvedPlugin[] = [];
    const pool = [...previous];
    for (const r of resolved) {
      const i = pool.findIndex((p) => p.use === r.use && p.instance.reload);
      if (i >= 0) {
        const [old] = pool.splice(i, 1);
        await old.instance.reload!(r.config);
        reused.push({ ...old, config: r.config });
      } else fresh.push(r);
    }
    await stopPlugins(pool, this.#opts.logger);
    return [...reused, ...(await startPlugins(fresh, this.#pluginEnv()))];
  }

  /** The answer of a running plugin that serves `req`'s path (an exporter's page), if any. */
  #servePluginRoute(req: Request, prefix: string): Promise<Response> | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    let path = new URL(req.url).pathname;
    if (prefix && prefix !== '/') {
      if (!path.startsWith(prefix)) return undefined;
      path = path.slice(prefix.length) || '/';
    }
    for (const p of this.#plugins) {
      for (const r of p.instance.routes ?? []) {
        if (r.path === path) return Promise.resolve(r.fetch(req));
      }
    }
    return undefined;
  }

  #markReload(ok: boolean): void {
    this.#lastReloadOk = ok;
    this.metrics.configReloadSuccess.set(ok ? 1 : 0);
    if (ok) {
      this.#lastConfigTime = new Date();
      this.metrics.configReloadSuccessTime.set(this.#lastConfigTime.getTime() / 1000);
    }
  }

  /** Stops plugins in reverse order. */
  async stop(): Promise<void> {
    this.#ready = false;
    this.metrics.ready.set(0);
    // Scraping stops first so that no append races the storage closing.
    await this.#scrape.stop();
    // Bounded: what is not sent by then stays in the log for the next start.
    await this.#remoteWrite.stop(10_000);
    this.#remoteRead.close();
    for (const s of this.#services) await s.stop?.();
    await this.#alerting.stop();
    await this.#routing.stop();
    await stopPlugins(this.#plugins, this.#opts.logger);
    this.#plugins = [];
    await stopPlugins([this.#engine.plugin, this.#storage.plugin], this.#opts.logger);
  }

  /** `/api/v1/status/runtimeinfo`. */
  runtimeInfo(): Record<string, unknown> {
    const host = this.#opts.host;
    return {
      startTime: this.#startTime.toISOString(),
      CWD: host.cwd(),
      hostname: host.hostname(),
      serverTime: new Date().toISOString(),
      reloadConfigSuccess: this.#lastReloadOk,
      lastConfigTime: this.#lastConfigTime.toISOString(),
      corruptionCount: 0,
      storageRetention: storageRetention(this.#opts.flags),
      runtime: host.runtime.name,
      runtimeVersion: host.runtime.version,
    };
  }
}

/** The metadata of every active target, each distinct entry once (remote write sends it). */
function scrapeMetadata(scrape: ScrapeManager): RemoteMetricMetadata[] {
  const seen = new Map<string, RemoteMetricMetadata>();
  for (const targets of scrape.targetsActive().values()) {
    for (const t of targets) {
      for (const m of t.metadata?.listMetadata() ?? []) {
        const k = `${m.metric}\xff${m.type}\xff${m.help}\xff${m.unit}`;
        if (!seen.has(k)) {
          seen.set(k, { metricFamilyName: m.metric, type: m.type, help: m.help, unit: m.unit });
        }
      }
    }
  }
  return [...seen.values()];
}

function noExprParser(): never {
  throw new Error('no PromQL parser is configured');
}

function noSelectorParser(): never {
  throw new Error('no series selector parser is configured');
}

function pluginEnv(opts: RuntimeOptions, metrics: SelfMetrics): PluginEnv {
  return {
    host: opts.host,
    logger: opts.logger,
    registry: metrics.registry,
    plugins: opts.plugins,
    baseDir: dirname(opts.host.resolvePath(opts.configFile)),
  };
}

async function readConfig(opts: RuntimeOptions): Promise<Config> {
  const file = opts.configFile;
  let exists = true;
  try {
    await opts.host.readTextFile(file);
  } catch {
    exists = false;
  }
  if (!exists) {
    opts.logger.info('Config file not found, using the embedded default config', {
      filename: file,
    });
    return parseConfig(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_NAME, {
      baseDir: opts.host.cwd(),
      env: opts.host.env,
    });
  }
  return await loadConfig(file, opts.host, { env: opts.host.env });
}

function logConfigError(log: Logger, e: unknown): void {
  if (e instanceof ConfigLoadError) {
    for (const err of e.errors) log.error('Invalid configuration', { err: err.toString() });
  } else log.error('Failed to apply configuration', { err: e as Error });
}

function storageRetention(flags: Record<string, string>): string {
  const time = flags['storage.tsdb.retention.time'];
  const size = flags['storage.tsdb.retention.size'];
  if (!time && !size) return '15d';
  return [time, size].filter(Boolean).join(' or ');
}
