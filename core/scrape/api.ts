/**
 * The scrape part of the HTTP API: `/targets`, `/scrape_pools`, `/targets/metadata` and
 * `/metadata`, with Prometheus's parameters and JSON shapes.
 * @module
 */
import type { Hono } from 'hono';
import { failure, success } from '../api/envelope.ts';
import { type Matcher, matchLabels } from '../model/mod.ts';
import type { ScrapeManager } from './manager.ts';
import { SCRAPE_INTERVAL_LABEL, SCRAPE_TIMEOUT_LABEL, type Target } from './target.ts';

/** Options of {@link scrapeApi}. */
export interface ScrapeApiOptions {
  /** Parses a `match_target` selector such as `{job="node"}` (the PromQL parser's). */
  parseMatchers?: (selector: string) => Matcher[];
  /** Host name that replaces a loopback host in `globalUrl` (Prometheus: the external URL's). */
  globalHost?: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(?=:|$)/;

function globalUrl(t: Target, host: string | undefined): string {
  const url = t.url();
  if (!host) return url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!m) return url;
  return m[1] + m[2].replace(LOOPBACK, host) + m[3];
}

function activeJson(pool: string, t: Target, host: string | undefined) {
  return {
    discoveredLabels: t.discoveredLabels.toRecord(),
    labels: t.publicLabels().toRecord(),
    scrapePool: pool,
    scrapeUrl: t.url(),
    globalUrl: globalUrl(t, host),
    lastError: t.lastError,
    lastScrape: t.lastScrape ? new Date(t.lastScrape).toISOString() : ZERO_TIME,
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: t.labels.get(SCRAPE_INTERVAL_LABEL),
    scrapeTimeout: t.labels.get(SCRAPE_TIMEOUT_LABEL),
  };
}

/**
 * An API extension (mount with the runtime's `apiExtensions`) serving the manager's targets.
 *
 * @example
 * ```ts
 * createApiApp(deps, [scrapeApi(manager, { parseMatchers })]);
 * ```
 */
export function scrapeApi(
  manager: ScrapeManager,
  opts: ScrapeApiOptions = {},
): (api: Hono) => void {
  return (api) => {
    api.get('/scrape_pools', (c) => success(c, { scrapePools: manager.poolNames() }));

    api.get('/targets', (c) => {
      const state = (c.req.query('state') ?? '').toLowerCase();
      const poolFilter = c.req.query('scrapePool') ?? '';
      const showActive = state === '' || state === 'any' || state === 'active';
      const showDropped = state === '' || state === 'any' || state === 'dropped';
      const keep = (pool: string) => poolFilter === '' || pool === poolFilter;
      const activeTargets: unknown[] = [];
      const droppedTargets: unknown[] = [];
      let droppedTargetCounts: Record<string, number> | null = null;
      if (showActive) {
        for (const [pool, targets] of manager.targetsActive()) {
          if (!keep(pool)) continue;
          for (const t of targets) activeTargets.push(activeJson(pool, t, opts.globalHost));
        }
      }
      if (showDropped) {
        droppedTargetCounts = {};
        for (const [pool, targets] of manager.targetsDropped()) {
          if (!keep(pool)) continue;
          for (const t of targets) {
            droppedTargets.push({
              discoveredLabels: t.discoveredLabels.toRecord(),
              scrapePool: pool,
            });
          }
        }
        for (const [pool, n] of Object.entries(manager.droppedTargetCounts())) {
          if (keep(pool)) droppedTargetCounts[pool] = n;
        }
      }
      // Jobs using SD mechanisms Beacon lacks have no targets from them; say so.
      const warnings: string[] = [];
      for (const [pool, keys] of manager.discovery.unsupported()) {
        if (!keep(pool)) continue;
        for (const key of keys) {
          const name = JSON.stringify(pool);
          warnings.push(
            `scrape pool ${name}: ${key} is not supported by Beacon; no targets are discovered from it`,
          );
        }
      }
      return success(c, { activeTargets, droppedTargets, droppedTargetCounts }, { warnings });
    });

    api.get('/targets/metadata', (c) => {
      const limitText = c.req.query('limit');
      let limit = -1;
      if (limitText !== undefined && limitText !== '') {
        limit = Number(limitText);
        if (!Number.isInteger(limit)) return failure(c, 'bad_data', 'limit must be a number');
      }
      const matchTarget = c.req.query('match_target') ?? '';
      let matchers: Matcher[] | undefined;
      if (matchTarget !== '') {
        if (!opts.parseMatchers) return failure(c, 'bad_data', 'match_target is not supported');
        try {
          matchers = opts.parseMatchers(matchTarget);
        } catch (e) {
          return failure(c, 'bad_data', (e as Error).message);
        }
      }
      const metric = c.req.query('metric') ?? '';
      const res: Record<string, unknown>[] = [];
      outer: for (const targets of manager.targetsActive().values()) {
        for (const t of targets) {
          if (limit >= 0 && res.length >= limit) break outer;
          const labels = t.publicLabels();
          if (matchers && !matchLabels(matchers, labels)) continue;
          const md = t.metadata;
          if (!md) continue;
          if (metric === '') {
            for (const m of md.listMetadata()) {
              res.push({
                target: labels.toRecord(),
                metric: m.metric,
                type: m.type,
                help: m.help,
                unit: m.unit,
              });
            }
          } else {
            const m = md.getMetadata(metric);
            if (m) {
              res.push({ target: labels.toRecord(), type: m.type, help: m.help, unit: m.unit });
            }
          }
        }
      }
      return success(c, res);
    });

    api.get('/metadata', (c) => {
      const num = (name: string) => {
        const s = c.req.query(name);
        return s === undefined || s === '' ? -1 : Number(s);
      };
      const limit = num('limit'), perMetric = num('limit_per_metric');
      if (!Number.isInteger(limit)) return failure(c, 'bad_data', 'limit must be a number');
      if (!Number.isInteger(perMetric)) {
        return failure(c, 'bad_data', 'limit_per_metric must be a number');
      }
      const metric = c.req.query('metric') ?? '';
      const byMetric = new Map<string, Map<string, { type: string; help: string; unit: string }>>();
      for (const targets of manager.targetsActive().values()) {
        for (const t of targets) {
          const list = metric === ''
            ? t.metadata?.listMetadata() ?? []
            : [t.metadata?.getMetadata(metric)].filter((m) => m !== undefined);
          for (const m of list) {
            let set = byMetric.get(m.metric);
            if (!set) byMetric.set(m.metric, set = new Map());
            const entry = { type: m.type, help: m.help, unit: m.unit };
            set.set(JSON.stringify(entry), entry);
          }
        }
      }
      const out: Record<string, unknown[]> = {};
      let n = 0;
      for (const name of [...byMetric.keys()].sort()) {
        if (limit >= 0 && n >= limit) break;
        let entries = [...byMetric.get(name)!.values()];
        if (perMetric >= 0) entries = entries.slice(0, perMetric);
        out[name] = entries;
        n++;
      }
      return success(c, out);
    });
  };
}
