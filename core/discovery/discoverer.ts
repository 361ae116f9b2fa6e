/**
 * The discovery seam: a mechanism turns one `<name>_sd_configs` entry into a
 * {@link Discoverer}, which reports target groups until its signal is aborted.
 * @module
 */
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import type { PluginInstance } from '../plugin.ts';
import type { TargetGroup } from './target_group.ts';

/**
 * Finds targets. `run` first reports the full set of groups it knows, then only the groups
 * that changed (an empty group removes its source), until `signal` is aborted. It may return
 * at once (static) or keep running; it must not report after the abort.
 */
export interface Discoverer {
  run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): void | Promise<void>;
}

/** What a mechanism may use to create its discoverers. */
export interface DiscovererContext {
  logger: Logger;
  /** Files, globs, watching, DNS; absent where the host has none (tests may omit it). */
  host?: Host;
  registry?: Registry;
  /** Position of the config entry in its list (static configs use it as the source). */
  index: number;
  /** The job (or Alertmanager set) the entry belongs to. */
  setName: string;
}

/**
 * A discovery mechanism, registered under the scrape-config key it serves (for example
 * `file_sd_configs`). Adding a mechanism means writing one of these in its own folder and
 * handing it to the discovery manager; the config schema lives in core/config/discovery.
 */
export interface DiscoveryMechanism<C = unknown> {
  /** The config key, e.g. `static_configs`, `file_sd_configs`. */
  readonly configKey: string;
  /** Creates the discoverer for one config entry. */
  create(config: C, ctx: DiscovererContext): Discoverer;
}

/** A discovery plugin instance: a plugin of kind `discovery` exposes its mechanism. */
export interface DiscoveryProvider extends PluginInstance {
  readonly mechanism: DiscoveryMechanism;
}

/** Whether a plugin instance provides a discovery mechanism. */
export function isDiscoveryProvider(x: unknown): x is DiscoveryProvider {
  const m = (x as { mechanism?: Partial<DiscoveryMechanism> } | null)?.mechanism;
  return typeof m === 'object' && m !== null && typeof m.configKey === 'string' &&
    typeof m.create === 'function';
}
