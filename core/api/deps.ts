/**
 * What the HTTP API needs from the rest of Beacon; the runtime supplies it.
 * @module
 */
import type { Logger } from '../log/logger.ts';

/** Prometheus's build info fields (and no `features`). */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** Dependencies of {@link createApiApp}. */
export interface ApiDeps {
  logger: Logger;
  /** Path prefix for every route, e.g. `/beacon`; `''` for none. */
  routePrefix: string;
  /** `--web.external-url`, when given. */
  externalUrl?: string;
  enableLifecycle: boolean;
  enableAdminApi: boolean;
  /** Flag values by name, as `/api/v1/status/flags` shows them. */
  flags: Record<string, string>;
  buildInfo(): BuildInfo;
  runtimeInfo(): Record<string, unknown>;
  /** The effective config as YAML, secrets redacted. */
  configYAML(): string;
  /** Whether startup has finished (`/-/ready`). */
  isReady(): boolean;
  /** Reloads the config; rejects with the reason when the new config is invalid. */
  reload(): Promise<void>;
  /** Starts a graceful shutdown. */
  quit(): void;
  /** Beacon's own metrics in the format the `Accept` header asks for. */
  metrics(accept: string | undefined): Promise<{ contentType: string; body: string }>;
}
