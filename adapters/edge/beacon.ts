/**
 * Beacon for platforms that run code per request or per cron trigger (Cloudflare Workers, Deno
 * Deploy): the runtime is built as on a server (memory storage, PromQL engine, rules, routing,
 * the HTTP API), but nothing runs on timers. Each {@link EdgeBeacon.tick} scrapes the targets
 * that are due, evaluates the rule groups that are due, waits for the notifications they
 * caused, pushes new samples to every `remote_write` endpoint, and saves the state that must
 * outlive the isolate through a {@link StateStore}.
 * @module
 */
import { parseFlags } from '../../core/cli/mod.ts';
import type { Config, ScrapeConfig } from '../../core/config/mod.ts';
import { createLogger, isLogLevel, type Logger } from '../../core/log/logger.ts';
import { PluginRegistry } from '../../core/plugin.ts';
import { MemoryStateStore as RelationalMemoryStore } from '../../core/state/mod.ts';
import { AlertingRule, type RuleGroup } from '../../core/rules/mod.ts';
import { Runtime } from '../../core/runtime/mod.ts';
import {
  newScrapeLoop,
  ScrapeCache,
  type ScrapeLoop,
  targetsFromGroup,
} from '../../core/scrape/mod.ts';
import { staticGroup, staticMechanism } from '../../plugins/discovery/static/mod.ts';
import { createEdgeHost } from './host.ts';
import {
  EDGE_PLUGINS,
  edgeImporter,
  edgeParseExpr,
  edgeParseMatchers,
  edgeStoragePlugin,
} from './plugins.ts';
import { pushRemoteWrite, type PushResult } from './remote_push.ts';
import { type EdgeState, emptyState, restoreAlert, type StateStore, storeAlert } from './state.ts';

/** Where the config is read from unless {@link EdgeBeaconOptions.configFile} says otherwise. */
export const EDGE_CONFIG_FILE = '/etc/beacon/prometheus.yml';

/** How long the memory storage keeps samples unless `storage.tsdb.retention.time` is set. */
export const EDGE_RETENTION = '6h';

/** Settings of {@link EdgeBeacon.create}. */
export interface EdgeBeaconOptions {
  /** The platform, for the build info: e.g. `{ name: 'workerd', version: '2026-11-17' }`. */
  runtime: { name: string; version: string };
  /** Absolute path → text; must hold the config file and the rule files it names. */
  files: Readonly<Record<string, string>>;
  /** Default {@link EDGE_CONFIG_FILE}. */
  configFile?: string;
  /** Environment (bindings), for `${VAR}` in the config. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Keeps alert state, schedules and remote-write cursors between invocations. */
  store: StateStore;
  /** Command-line flags as on a server (`web.external-url`, `log.level`, …). */
  flags?: Readonly<Record<string, string>>;
  /** Receives log lines (default `console.error`). */
  write?: (line: string) => void;
  /** The fetch for scrapes and remote write (default the global one). */
  fetch?: typeof fetch;
}

/** One target's scrape in a tick. */
export interface TickScrape {
  job: string;
  url: string;
  health: string;
  error?: string;
}

/** What one tick did. */
export interface TickReport {
  /** Tick start, ms since the epoch. */
  at: number;
  scraped: TickScrape[];
  /** Keys (`file;name`) of the rule groups evaluated. */
  evaluated: string[];
  /** Alerts handed to the notifiers. */
  alertsSent: number;
  remoteWrite: PushResult[];
  durationMs: number;
}

interface EdgeTarget {
  key: string;
  job: string;
  intervalMs: number;
  loop: ScrapeLoop;
}

/** See the module doc. */
export class EdgeBeacon {
  readonly runtime: Runtime;
  readonly #o: EdgeBeaconOptions;
  readonly #log: Logger;
  /** Silences and the notification log, as the runtime's routing writes them. */
  readonly #relational: RelationalMemoryStore;
  readonly #targets: EdgeTarget[];
  readonly #scrapeAbort = new AbortController();
  #alertsSent = 0;
  /** The `savedAt` of the state this isolate wrote last: a different one came from elsewhere. */
  #savedAt = -1;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(
    o: EdgeBeaconOptions,
    runtime: Runtime,
    relational: RelationalMemoryStore,
    log: Logger,
  ) {
    this.#o = o;
    this.#log = log;
    this.runtime = runtime;
    this.#relational = relational;
    this.#targets = [];
  }

  /** Builds the runtime from the config in `files`; a bad config rejects with its errors. */
  static async create(o: EdgeBeaconOptions): Promise<EdgeBeacon> {
    const host = createEdgeHost({
      runtime: o.runtime,
      files: o.files,
      env: o.env,
      write: o.write,
    });
    // The isolate's memory is small: keep 6 hours unless told otherwise.
    const flags: Record<string, string> = {
      ...parseFlags([]).values,
      'storage.tsdb.retention.time': EDGE_RETENTION,
      ...o.flags,
    };
    const configFile = o.configFile ?? EDGE_CONFIG_FILE;
    flags['config.file'] = configFile;
    const level = flags['log.level'];
    const logger = createLogger({
      level: isLogLevel(level) ? level : 'info',
      format: flags['log.format'] === 'json' ? 'json' : 'logfmt',
      write: host.writeErr,
    });
    const relational = new RelationalMemoryStore();
    await fillRelational(relational, (await o.store.load()) ?? emptyState());
    const memory = edgeStoragePlugin(relational);
    const runtime = await Runtime.create({
      host,
      logger,
      plugins: new PluginRegistry(edgeImporter(logger, memory), [
        memory,
        ...EDGE_PLUGINS.filter((p) => p.name !== memory.name),
      ]),
      configFile,
      flags,
      routePrefix: '',
      enableLifecycle: false,
      enableAdminApi: false,
      discoveryMechanisms: [staticMechanism],
      parseExpr: edgeParseExpr,
      parseMatchers: edgeParseMatchers,
    });
    const config = runtime.config;
    // Notifications and rules as on a server, but no schedules: ticks drive them.
    await runtime.routing.restore();
    await runtime.routing.apply(config);
    await runtime.alerting.apply(config, { schedule: false });
    const beacon = new EdgeBeacon(o, runtime, relational, logger);
    beacon.#targets.push(...beacon.#buildTargets(config, host.readTextFile.bind(host)));
    return beacon;
  }

  #buildTargets(config: Config, readFile: (p: string) => Promise<string>): EdgeTarget[] {
    const log = this.#log.with({ component: 'scrape' });
    const out: EdgeTarget[] = [];
    const seen = new Set<string>();
    for (const cfg of config.scrape_configs) {
      warnUnsupportedSD(cfg, (msg) => log.warn(msg, { job: cfg.job_name }));
      (cfg.static_configs ?? []).forEach((sc, i) => {
        const { targets, errors } = targetsFromGroup(staticGroup(sc, i), cfg);
        for (const e of errors) log.error('Creating target failed', { err: e });
        for (const target of targets) {
          // Targets are told apart by their labels and URL, as in a scrape pool.
          const key = `${cfg.job_name}|${target.url()}|${target.hash().toString(36)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const loop = newScrapeLoop(cfg, target, new ScrapeCache(), {
            storage: this.runtime.storage,
            logger: log.with({ scrape_pool: cfg.job_name }),
            offsetSeed: '',
            shutdown: this.#scrapeAbort.signal,
            fetch: this.#o.fetch ?? globalThis.fetch.bind(globalThis),
            readFile,
          });
          out.push({
            key,
            job: cfg.job_name,
            intervalMs: target.intervalAndTimeout().intervalMs,
            loop,
          });
        }
      });
    }
    return out;
  }

  /** The config in force. */
  get config(): Config {
    return this.runtime.config;
  }

  /** Serves the HTTP API (queries read what this isolate's memory storage holds). */
  fetch(req: Request): Response | Promise<Response> {
    // Readiness means "can answer": the runtime never `start`s here, it is driven by ticks.
    if (new URL(req.url).pathname === '/-/ready') return new Response('Beacon is Ready.\n');
    return this.runtime.app.fetch(req);
  }

  /** Runs one tick at `now` (ms); ticks never overlap. */
  tick(now: number = Date.now()): Promise<TickReport> {
    const run = this.#chain.then(() => this.#tick(now));
    this.#chain = run.catch(() => {});
    return run;
  }

  async #tick(now: number): Promise<TickReport> {
    const started = Date.now();
    const state = (await this.#o.store.load()) ?? emptyState();
    const groups = this.runtime.alerting.rules.groups();
    if (stateSavedAt(state) !== this.#savedAt) {
      restoreAlerts(groups, state);
      await fillRelational(this.#relational, state);
      await this.runtime.routing.restore();
    }

    const due = this.#targets.filter((t) => isDue(state.targets[t.key], t.intervalMs, now));
    await Promise.all(due.map((t) => t.loop.scrapeOnce(now)));
    for (const t of due) state.targets[t.key] = now;

    const sentBefore = this.#alertsSent;
    const evaluated: string[] = [];
    for (const g of groups) {
      if (!isDue(state.groups[g.key], g.interval, now)) continue;
      // After the scrapes, so that the rules see the samples of this tick.
      const ts = Math.max(Date.now(), now);
      await g.evaluate(ts);
      this.#alertsSent += countSentAt(g, ts);
      state.groups[g.key] = now;
      evaluated.push(g.key);
    }
    // Timers of 0 ms (group_wait: 0s) fire after this one; then every flush is tracked.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await Promise.all([this.runtime.alerting.alertmanagers.idle(), this.runtime.routing.idle()]);

    const remoteWrite = await pushRemoteWrite({
      storage: this.runtime.storage,
      config: this.config,
      cursors: state.remoteWrite,
      until: Math.max(Date.now(), now),
      fetch: this.#o.fetch,
    });
    for (const r of remoteWrite) {
      if (r.error) {
        this.#log.warn('Remote write failed', { endpoint: r.endpoint, err: r.error });
      }
    }

    saveAlerts(groups, state);
    state.silences = await this.#relational.listSilences();
    state.nflog = await this.#relational.listNflog();
    pruneState(state, this.#targets, groups);
    this.#savedAt = Date.now();
    state.savedAt = this.#savedAt;
    await this.#o.store.save(state);
    return {
      at: now,
      scraped: due.map((t) => ({
        job: t.job,
        url: t.loop.target.url(),
        health: t.loop.target.health,
        ...(t.loop.target.lastError ? { error: t.loop.target.lastError } : {}),
      })),
      evaluated,
      alertsSent: this.#alertsSent - sentBefore,
      remoteWrite,
      durationMs: Date.now() - started,
    };
  }

  /** Stops the runtime (tests; an isolate just goes away). */
  async stop(): Promise<void> {
    this.#scrapeAbort.abort();
    await this.#chain;
    await this.runtime.stop();
  }
}

/**
 * Whether something run every `intervalMs` is due at `now`, given its last run. A tenth of the
 * interval (at most 5 s) is forgiven, so that cron jitter does not skip a whole period.
 */
export function isDue(last: number | undefined, intervalMs: number, now: number): boolean {
  if (last === undefined) return true;
  return now - last >= intervalMs - Math.min(intervalMs / 10, 5_000);
}

// Replaces the silences and notification log with the stored ones.
async function fillRelational(r: RelationalMemoryStore, state: EdgeState): Promise<void> {
  await r.deleteSilences((await r.listSilences()).map((s) => s.id));
  await r.deleteExpiredNflog(Infinity);
  for (const s of state.silences ?? []) await r.putSilence(s);
  for (const e of state.nflog ?? []) await r.putNflog(e);
}

function stateSavedAt(s: EdgeState): number {
  return s.savedAt ?? 0;
}

function alertingRules(g: RuleGroup): AlertingRule[] {
  return g.rules.filter((r): r is AlertingRule => r instanceof AlertingRule);
}

// Alerts stored by another isolate (or before this one started) replace what this one holds.
function restoreAlerts(groups: readonly RuleGroup[], state: EdgeState): void {
  for (const g of groups) {
    const byRule = state.alerts[g.key] ?? {};
    for (const r of alertingRules(g)) {
      r.active = new Map((byRule[r.identity] ?? []).map((s) => [s.key, restoreAlert(s)]));
    }
  }
}

function saveAlerts(groups: readonly RuleGroup[], state: EdgeState): void {
  state.alerts = {};
  for (const g of groups) {
    const byRule: Record<string, ReturnType<typeof storeAlert>[]> = {};
    for (const r of alertingRules(g)) {
      if (r.active.size === 0) continue;
      byRule[r.identity] = [...r.active].map(([k, a]) => storeAlert(k, a));
    }
    if (Object.keys(byRule).length > 0) state.alerts[g.key] = byRule;
  }
}

// Alerts sent by the evaluation at `ts` (sending stamps them with it): for the report.
function countSentAt(g: RuleGroup, ts: number): number {
  let n = 0;
  for (const r of alertingRules(g)) {
    for (const a of r.active.values()) if (a.lastSentAt === ts) n++;
  }
  return n;
}

// Entries of targets and groups no longer configured are dropped.
function pruneState(state: EdgeState, targets: readonly EdgeTarget[], groups: RuleGroup[]): void {
  const tk = new Set(targets.map((t) => t.key));
  for (const k of Object.keys(state.targets)) if (!tk.has(k)) delete state.targets[k];
  const gk = new Set(groups.map((g) => g.key));
  for (const k of Object.keys(state.groups)) if (!gk.has(k)) delete state.groups[k];
}

function warnUnsupportedSD(cfg: ScrapeConfig, warn: (msg: string) => void): void {
  for (const [k, v] of Object.entries(cfg)) {
    if (k.endsWith('_sd_configs') && Array.isArray(v) && v.length > 0) {
      warn(`${k} is not supported on the edge: only static_configs targets are scraped`);
    }
  }
}
