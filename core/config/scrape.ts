/**
 * `scrape_configs[]`: one scrape job — what to scrape (service discovery), how (HTTP client,
 * protocols, limits) and how to relabel. {@link resolveScrapeConfig} fills what a job inherits
 * from `global`, as Prometheus's ScrapeConfig.Validate does.
 * @module
 */

import * as v from 'valibot';
import { Duration } from './duration.ts';
import { ByteSize } from './size.ts';
import { durationSchema, sizeSchema } from './schema_types.ts';
import { bool, float, nonNull, str, strict, uint } from './schema_helpers.ts';
import { checkHttpClient, httpClientEntries } from './http_client.ts';
import { sdConfigEntries } from './discovery/mod.ts';
import { relabelListSchema } from './relabel.ts';
import {
  DEFAULT_SCRAPE_PROTOCOLS,
  ESCAPING_SCHEMES,
  type GlobalConfig,
  PROTO_FIRST_SCRAPE_PROTOCOLS,
  scrapeProtocolProblem,
  scrapeProtocolsProblem,
  validationSchemeSchema,
} from './global.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

/** The fields of a scrape job as written (before inheriting from `global`). */
export const scrapeConfigEntries = {
  job_name: v.pipe(v.optional(v.nullable(str), ''), v.transform((s) => s ?? '')),
  honor_labels: v.optional(bool, false),
  honor_timestamps: v.optional(bool, true),
  track_timestamps_staleness: v.optional(bool, false),
  params: o(v.record(v.string(), v.array(str))),
  scrape_interval: o(durationSchema),
  scrape_timeout: o(durationSchema),
  scrape_protocols: o(v.array(str)),
  fallback_scrape_protocol: o(
    v.string((issue) =>
      `cannot unmarshal ${
        Array.isArray(issue.input) ? 'a list' : 'a value'
      } into a scrape protocol (unmarshal errors)`
    ),
  ),
  scrape_native_histograms: o(bool),
  always_scrape_classic_histograms: o(bool),
  convert_classic_histograms_to_nhcb: o(bool),
  extra_scrape_metrics: o(bool),
  scrape_failure_log_file: o(str),
  metrics_path: v.optional(str, '/metrics'),
  scheme: v.optional(str, 'http'),
  enable_compression: v.optional(bool, true),
  body_size_limit: o(sizeSchema),
  sample_limit: o(uint),
  target_limit: o(uint),
  label_limit: o(uint),
  label_name_length_limit: o(uint),
  label_value_length_limit: o(uint),
  native_histogram_bucket_limit: o(uint),
  native_histogram_min_bucket_factor: o(float),
  keep_dropped_targets: o(uint),
  metric_name_validation_scheme: o(validationSchemeSchema),
  metric_name_escaping_scheme: o(str),
  relabel_configs: o(relabelListSchema('empty or null target relabeling rule in scrape config')),
  metric_relabel_configs: o(
    relabelListSchema('empty or null metric relabeling rule in scrape config'),
  ),
  ...httpClientEntries,
  ...sdConfigEntries,
};

const scrapeObject = strict('scrape_config', scrapeConfigEntries);

type RawScrape = v.InferOutput<typeof scrapeObject>;

/** A scrape job as parsed, before it inherits from `global`. */
export type ScrapeConfigInput = RawScrape;

/** A scrape job with everything it inherits from `global` filled in. */
export type ScrapeConfig =
  & Omit<
    RawScrape,
    | 'scrape_interval'
    | 'scrape_timeout'
    | 'scrape_protocols'
    | 'body_size_limit'
    | 'sample_limit'
    | 'target_limit'
    | 'label_limit'
    | 'label_name_length_limit'
    | 'label_value_length_limit'
    | 'keep_dropped_targets'
    | 'scrape_native_histograms'
    | 'always_scrape_classic_histograms'
    | 'convert_classic_histograms_to_nhcb'
    | 'extra_scrape_metrics'
    | 'metric_name_validation_scheme'
    | 'metric_name_escaping_scheme'
    | 'relabel_configs'
    | 'metric_relabel_configs'
  >
  & {
    scrape_interval: Duration;
    scrape_timeout: Duration;
    scrape_protocols: string[];
    body_size_limit: ByteSize;
    sample_limit: number;
    target_limit: number;
    label_limit: number;
    label_name_length_limit: number;
    label_value_length_limit: number;
    keep_dropped_targets: number;
    scrape_native_histograms: boolean;
    always_scrape_classic_histograms: boolean;
    convert_classic_histograms_to_nhcb: boolean;
    extra_scrape_metrics: boolean;
    metric_name_validation_scheme: 'utf8' | 'legacy';
    metric_name_escaping_scheme: string;
    relabel_configs: NonNullable<RawScrape['relabel_configs']>;
    metric_relabel_configs: NonNullable<RawScrape['metric_relabel_configs']>;
  };

type Problem = { field?: string; message: string };

/** The job's own rules, checkable without `global`. */
export function checkScrapeConfig(c: RawScrape): Problem | undefined {
  if (!c.job_name) return { field: 'job_name', message: 'job_name is empty' };
  const http = checkHttpClient(c);
  if (http) return { message: http };
  const job = JSON.stringify(c.job_name);
  if (c.scrape_interval && c.scrape_timeout && c.scrape_timeout.ms > c.scrape_interval.ms) {
    return {
      field: 'scrape_timeout',
      message: `scrape timeout greater than scrape interval for scrape config with job name ${job}`,
    };
  }
  if (c.scrape_protocols) {
    const why = scrapeProtocolsProblem(c.scrape_protocols);
    if (why) {
      return {
        field: 'scrape_protocols',
        message: `${why} for scrape config with job name ${job}`,
      };
    }
  }
  if (c.fallback_scrape_protocol) {
    const why = scrapeProtocolProblem(c.fallback_scrape_protocol);
    if (why) {
      return {
        field: 'fallback_scrape_protocol',
        message: `invalid fallback_scrape_protocol for scrape config with job name ${job}: ${why}`,
      };
    }
  }
  return undefined;
}

/** One scrape job; a null list item is "empty or null scrape config section". */
export const scrapeConfigSchema = nonNull(
  v.pipe(
    scrapeObject,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const p = checkScrapeConfig(dataset.value);
      if (!p) return;
      const value = dataset.value as Record<string, unknown>;
      addIssue({
        message: p.message,
        path: p.field
          ? [{ type: 'object', origin: 'value', input: value, key: p.field, value: value[p.field] }]
          : undefined,
      });
    }),
  ),
  'empty or null scrape config section',
);

/**
 * Fills what a job inherits from `global` (interval, timeout = min(global timeout, interval),
 * limits, protocols, name validation and escaping) and applies the checks that need it.
 * Returns the resolved job, or a problem naming the field.
 */
export function resolveScrapeConfig(
  c: RawScrape,
  g: GlobalConfig,
): { config: ScrapeConfig } | { problem: Problem } {
  const job = JSON.stringify(c.job_name);
  const interval = c.scrape_interval?.ms ? c.scrape_interval : g.scrape_interval;
  if (c.scrape_timeout && c.scrape_timeout.ms > interval.ms) {
    return {
      problem: {
        field: 'scrape_timeout',
        message:
          `scrape timeout greater than scrape interval for scrape config with job name ${job}`,
      },
    };
  }
  const timeout = c.scrape_timeout?.ms
    ? c.scrape_timeout
    : new Duration(Math.min(g.scrape_timeout.ms, interval.ms));
  const nativeHistograms = c.scrape_native_histograms ?? g.scrape_native_histograms;
  const protocols = c.scrape_protocols ?? g.scrape_protocols ??
    [...(nativeHistograms ? PROTO_FIRST_SCRAPE_PROTOCOLS : DEFAULT_SCRAPE_PROTOCOLS)];

  const globalEscaping = g.metric_name_escaping_scheme;
  if (!(ESCAPING_SCHEMES as readonly string[]).includes(globalEscaping)) {
    return {
      problem: {
        message:
          `unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got ${
            JSON.stringify(globalEscaping)
          }`,
      },
    };
  }
  const localValidation = c.metric_name_validation_scheme || undefined;
  const validation = (localValidation ?? g.metric_name_validation_scheme) as 'utf8' | 'legacy';
  let escaping = c.metric_name_escaping_scheme || '';
  if (!escaping) {
    if (!localValidation) escaping = globalEscaping;
    else escaping = validation === 'legacy' ? 'underscores' : 'allow-utf-8';
  }
  if (escaping === 'allow-utf-8' && validation !== 'utf8') {
    return {
      problem: {
        field: 'metric_name_escaping_scheme',
        message: 'utf8 metric names requested but validation scheme is not set to UTF8',
      },
    };
  }
  if (!(ESCAPING_SCHEMES as readonly string[]).includes(escaping)) {
    return {
      problem: {
        field: 'metric_name_escaping_scheme',
        message:
          `unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got ${
            JSON.stringify(escaping)
          }`,
      },
    };
  }

  const config: ScrapeConfig = {
    ...c,
    scrape_interval: interval,
    scrape_timeout: timeout,
    scrape_protocols: protocols,
    body_size_limit: c.body_size_limit?.bytes ? c.body_size_limit : g.body_size_limit,
    sample_limit: c.sample_limit || g.sample_limit,
    target_limit: c.target_limit || g.target_limit,
    label_limit: c.label_limit || g.label_limit,
    label_name_length_limit: c.label_name_length_limit || g.label_name_length_limit,
    label_value_length_limit: c.label_value_length_limit || g.label_value_length_limit,
    keep_dropped_targets: c.keep_dropped_targets || g.keep_dropped_targets,
    scrape_native_histograms: nativeHistograms,
    always_scrape_classic_histograms: c.always_scrape_classic_histograms ??
      g.always_scrape_classic_histograms,
    convert_classic_histograms_to_nhcb: c.convert_classic_histograms_to_nhcb ??
      g.convert_classic_histograms_to_nhcb,
    extra_scrape_metrics: c.extra_scrape_metrics ?? g.extra_scrape_metrics,
    metric_name_validation_scheme: validation,
    metric_name_escaping_scheme: escaping,
    relabel_configs: c.relabel_configs ?? [],
    metric_relabel_configs: c.metric_relabel_configs ?? [],
  };
  const failureLog = c.scrape_failure_log_file || g.scrape_failure_log_file;
  if (failureLog) config.scrape_failure_log_file = failureLog;
  else delete config.scrape_failure_log_file;
  // Keep the YAML field order (as Prometheus prints it) and drop unset optional fields.
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(scrapeConfigEntries)) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) ordered[key] = value;
  }
  return { config: ordered as ScrapeConfig };
}
