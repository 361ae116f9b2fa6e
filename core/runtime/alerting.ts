/**
 * Alerting in the runtime: the rule manager (rule files evaluated with the query engine) and
 * where its alerts go — every configured Alertmanager, and the built-in routing.
 * @module
 */
import { type Config, parseDurationMs } from '../config/mod.ts';
import { ConfigLoadError } from '../config/mod.ts';
import type { Host } from '../host.ts';
import { hostHttpDeps } from '../http_client/mod.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import { Labels } from '../model/mod.ts';
import { type Alert, AlertmanagerClient, prepareAlert } from '../notify/mod.ts';
import { type ExprParser, loadRuleFiles, RuleManager } from '../rules/mod.ts';
import type { Storage } from '../storage/mod.ts';
import type { QueryEngine } from './engine.ts';
import type { BuiltinRouting } from './routing.ts';

/** What alerting needs from the runtime. */
export interface AlertingEnv {
  host: Host;
  logger: Logger;
  registry: Registry;
  storage: Storage;
  engine: QueryEngine;
  routing: BuiltinRouting;
  parseExpr: ExprParser;
  externalURL: string;
  settings: AlertingSettings;
}

/** Settings from the `--rules.alert.*` and `--alertmanager.*` flags. */
export interface AlertingSettings {
  forOutageToleranceMs: number;
  forGracePeriodMs: number;
  resendDelayMs: number;
  queueCapacity: number;
}

/** Reads the alerting flags; a bad value throws an error naming the flag. */
export function alertingSettings(flags: Record<string, string>): AlertingSettings {
  const duration = (name: string, fallback: string) => {
    const text = flags[name] || fallback;
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new Error(`--${name}: invalid duration ${JSON.stringify(text)}`);
    return ms;
  };
  const capacityText = flags['alertmanager.notification-queue-capacity'] || '10000';
  const queueCapacity = Number(capacityText);
  if (!Number.isSafeInteger(queueCapacity) || queueCapacity < 1) {
    throw new Error(
      `--alertmanager.notification-queue-capacity: want a positive integer, got ${
        JSON.stringify(capacityText)
      }`,
    );
  }
  return {
    forOutageToleranceMs: duration('rules.alert.for-outage-tolerance', '1h'),
    forGracePeriodMs: duration('rules.alert.for-grace-period', '10m'),
    resendDelayMs: duration('rules.alert.resend-delay', '1m'),
    queueCapacity,
  };
}

/** The rule manager and the Alertmanager client, reconfigured together on every reload. */
export class Alerting {
  readonly rules: RuleManager;
  readonly alertmanagers: AlertmanagerClient;
  readonly #env: AlertingEnv;
  #config?: Config;

  constructor(env: AlertingEnv) {
    this.#env = env;
    this.alertmanagers = new AlertmanagerClient({
      queueCapacity: env.settings.queueCapacity,
      registry: env.registry,
      logger: env.logger.with({ component: 'notifier' }),
      readFile: (path) => env.host.readTextFile(path),
      http: hostHttpDeps(env.host, (m) => env.logger.with({ component: 'notifier' }).warn(m)),
    });
    this.rules = new RuleManager({
      storage: env.storage,
      logger: env.logger.with({ component: 'rule manager' }),
      registry: env.registry,
      externalURL: env.externalURL,
      resendDelay: env.settings.resendDelayMs,
      forOutageToleranceMs: env.settings.forOutageToleranceMs,
      forGracePeriodMs: env.settings.forGracePeriodMs,
      queryFn: async (expr, t, origin) => {
        const r = await env.engine.query(
          env.storage,
          expr,
          t,
          origin
            ? { logContext: { ruleGroup: { file: origin.file, name: origin.name } } }
            : undefined,
        );
        if (r.resultType === 'vector') {
          return r.result.map((s) => ({ labels: s.labels, value: s.v }));
        }
        if (r.resultType === 'scalar') return [{ labels: Labels.EMPTY, value: r.result.v }];
        throw new Error(`rule expression gave a ${r.resultType}, not a vector or scalar`);
      },
      onAlerts: (alerts) => this.#send(alerts),
    });
  }

  #send(alerts: readonly Alert[]): void {
    this.alertmanagers.send(alerts);
    const config = this.#config;
    if (!config || !this.#env.routing.active) return;
    // The built-in router sees what an Alertmanager would: external labels and relabelling.
    const ext = Labels.from(config.global.external_labels);
    const relabel = config.alerting.alert_relabel_configs;
    this.#env.routing.send(
      alerts.map((a) => prepareAlert(a, ext, relabel)).filter((a): a is Alert => a !== undefined),
    );
  }

  /**
   * Loads the rule files of `config` and applies them; a bad rule file rejects with every
   * error positioned, and the running rules stay. With `schedule: false` the groups get no
   * timers: a host without long-lived timers (the edge tick) evaluates them itself.
   */
  async apply(config: Config, opts: { schedule?: boolean } = {}): Promise<void> {
    const { groups, errors } = await loadRuleFiles(config.rule_files, this.#env.host, {
      parseExpr: this.#env.parseExpr,
    });
    if (errors.length) throw new ConfigLoadError(errors);
    this.#config = config;
    this.alertmanagers.applyConfig({
      alerting: config.alerting,
      externalLabels: config.global.external_labels,
    });
    await this.rules.update(groups, {
      evaluationInterval: config.global.evaluation_interval.ms,
      queryOffset: config.global.rule_query_offset.ms,
      externalLabels: config.global.external_labels,
      externalURL: this.#env.externalURL,
      start: opts.schedule,
    });
  }

  /** Stops evaluating, then drains the Alertmanager queues. */
  async stop(): Promise<void> {
    await this.rules.stop();
    await this.alertmanagers.stop();
  }
}
