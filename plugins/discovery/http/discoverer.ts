/**
 * The http_sd discoverer: GETs the URL every `refresh_interval`, expects status 200, a JSON
 * content type and a list of `{targets, labels}` groups; each group gets `__meta_url` and the
 * source `<url>:<i>`. Any failure counts `prometheus_sd_http_failures_total` and keeps the last
 * good groups; groups that disappear from the answer are emptied.
 * @module
 */
import type { HttpSDConfig } from '../../../core/config/mod.ts';
import {
  type Discoverer,
  type DiscovererContext,
  parseTargetGroups,
  RefreshDiscoverer,
  sharedCounter,
  type TargetGroup,
} from '../../../core/discovery/mod.ts';
import { createHttpClient, hostHttpDeps, type HttpClient } from '../../../core/http_client/mod.ts';
import { BUILD_INFO } from '../../../core/version.ts';

/** The label holding the URL a target came from. */
export const URL_LABEL = '__meta_url';

const FAILURES = 'prometheus_sd_http_failures_total';
const CONTENT_TYPE = /^application\/json(;\s*charset=("utf-8"|utf-8))?$/i;

/** Parses an HTTP SD answer into groups. @throws {Error} naming the problem. */
export function parseHttpSDBody(url: string, text: string): TargetGroup[] {
  return parseTargetGroups(JSON.parse(text), { [URL_LABEL]: url }, (i) => `${url}:${i}`);
}

/** Options beyond the config (tests inject a fetch). */
export interface HttpDiscovererOptions {
  fetch?: typeof fetch;
}

/** Discovers the groups served by one `http_sd_configs` entry. */
export class HttpDiscoverer implements Discoverer {
  readonly #cfg: HttpSDConfig;
  readonly #ctx: DiscovererContext;
  readonly #client: HttpClient;
  readonly #failures;
  #lastLength = 0;

  constructor(cfg: HttpSDConfig, ctx: DiscovererContext, opts: HttpDiscovererOptions = {}) {
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#client = createHttpClient(cfg, {
      ...hostHttpDeps(ctx.host, (m) => ctx.logger.warn(m)),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    this.#failures = sharedCounter(
      ctx.registry,
      FAILURES,
      'Number of HTTP service discovery refresh failures.',
    );
  }

  async run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): Promise<void> {
    const poller = new RefreshDiscoverer({
      mechanism: 'http',
      intervalMs: this.#cfg.refresh_interval.ms,
      logger: this.#ctx.logger,
      registry: this.#ctx.registry,
      refresh: (s) => this.refresh(s),
    });
    try {
      await poller.run(signal, onUpdate);
    } finally {
      this.#client.close();
    }
  }

  /** Fetches once; the groups to report, or an error (already counted). */
  async refresh(signal?: AbortSignal): Promise<TargetGroup[]> {
    try {
      return await this.#fetchGroups(signal);
    } catch (e) {
      this.#failures?.inc();
      throw e;
    }
  }

  async #fetchGroups(signal?: AbortSignal): Promise<TargetGroup[]> {
    const url = this.#cfg.url!;
    const ms = this.#cfg.refresh_interval.ms;
    // A hung server must not stall discovery past one interval.
    const timeout = AbortSignal.timeout(Math.max(ms, 1000));
    const resp = await this.#client.fetch(url, {
      headers: {
        'Accept': 'application/json',
        'User-Agent': `Beacon/${BUILD_INFO.version}`,
        'X-Prometheus-Refresh-Interval-Seconds': String(ms / 1000),
      },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (resp.status !== 200) {
      await resp.body?.cancel().catch(() => {});
      throw new Error(`server returned HTTP status ${resp.status} ${resp.statusText}`.trim());
    }
    const ct = resp.headers.get('content-type') ?? '';
    if (!CONTENT_TYPE.test(ct.trim())) {
      await resp.body?.cancel().catch(() => {});
      throw new Error(`unsupported content type ${JSON.stringify(ct)}`);
    }
    const groups = parseHttpSDBody(url, await resp.text());
    const n = groups.length;
    for (let i = n; i < this.#lastLength; i++) {
      groups.push({ targets: [], labels: {}, source: `${url}:${i}` });
    }
    this.#lastLength = n;
    return groups;
  }
}
