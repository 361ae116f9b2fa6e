/**
 * Built-in services: capabilities that live for the whole process rather than in the config's
 * `plugins` list, yet come from plugins/ (core never imports them). Registration discovery is
 * one: its mechanism serves `registration_sd_configs`, its routes sit under `/api/v1`, and its
 * registrations are loaded before the first scrape config is applied.
 * @module
 */
import type { ApiExtension } from '../api/mod.ts';
import type { DiscoveryMechanism } from '../discovery/mod.ts';
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import type { StateStore } from '../state/mod.ts';

/** What a service factory receives. */
export interface RuntimeServiceContext {
  host: Host;
  logger: Logger;
  registry: Registry;
  /** Beacon's data directory (`--storage.tsdb.path`). */
  dataDir: string;
  /** The relational state store (durable with the DuckDB engine). */
  state: StateStore;
}

/** A running service. */
export interface RuntimeService {
  /** Discovery mechanisms it adds to every scrape config. */
  mechanisms?: readonly DiscoveryMechanism[];
  /** Routes it adds under `/api/v1`. */
  apiExtensions?: readonly ApiExtension[];
  /** Runs before the first config is applied (e.g. loads persisted state). */
  start?(): void | Promise<void>;
  /** Runs after scraping has stopped. */
  stop?(): void | Promise<void>;
}

/** Creates a service for one runtime. */
export type RuntimeServiceFactory = (ctx: RuntimeServiceContext) => RuntimeService;
