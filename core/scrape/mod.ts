/**
 * Scraping: relabelling, targets, scrape loops with Prometheus's semantics (staleness, limits,
 * report series), pools per job, the manager fed by discovery, and the targets API.
 *
 * @example
 * ```ts
 * const manager = new ScrapeManager({ storage, logger, host, mechanisms: [staticMechanism, fileMechanism] });
 * await manager.applyConfig(config);
 * createApiApp(deps, [scrapeApi(manager)]);
 * await manager.stop();
 * ```
 * @module
 */
export { relabelBuilder, relabelLabels } from './relabel.ts';
export { expandTemplate } from './expand.ts';
export { hashMod, md5 } from './md5.ts';
export {
  ADDRESS_LABEL,
  discoveredLabels,
  INSTANCE_LABEL,
  JOB_LABEL,
  METRICS_PATH_LABEL,
  PARAM_LABEL_PREFIX,
  populateLabels,
  type PopulateResult,
  SCHEME_LABEL,
  SCRAPE_INTERVAL_LABEL,
  SCRAPE_TIMEOUT_LABEL,
  Target,
  type TargetConfig,
  type TargetHealth,
  targetsFromGroup,
} from './target.ts';
export {
  type CacheEntry,
  type MetadataStore,
  type MetricMetadata,
  ScrapeCache,
} from './scrape_cache.ts';
export {
  AppendError,
  type AppendOptions,
  type AppendResult,
  appendScrape,
  labelLimitProblem,
  MAX_AHEAD_MS,
  mutateSampleLabels,
  SAMPLE_LIMIT_ERROR,
  scrapeFormat,
} from './append.ts';
export {
  BODY_SIZE_LIMIT_ERROR,
  headerBuilder,
  ScrapeError,
  scrapeHttp,
  type ScrapeRequest,
} from './http.ts';
export { ReportWriter, type ScrapeReport } from './report.ts';
export { ScrapeLoop, type ScrapeLoopOptions } from './loop.ts';
export { newScrapeLoop, ScrapePool, type ScrapePoolDeps } from './pool.ts';
export { ScrapeManager, type ScrapeManagerConfig, type ScrapeManagerOptions } from './manager.ts';
export { scrapeApi, type ScrapeApiOptions } from './api.ts';
