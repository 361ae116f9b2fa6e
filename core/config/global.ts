/**
 * The `global` section: defaults for scrape jobs and rule evaluation, external labels.
 * @module
 */

import * as v from 'valibot';
import { Duration } from './duration.ts';
import { durationSchema, sizeSchema } from './schema_types.ts';
import { bool, str, strict, uint } from './schema_helpers.ts';
import { isValidUTF8Name } from '../model/mod.ts';
import { goQuote } from '../model/matcher.ts';
import { ByteSize } from './size.ts';

/** The scrape protocols Prometheus negotiates, with their media types. */
export const SCRAPE_PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  PrometheusProto:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
};

/** Protocol names, sorted as Prometheus lists them in errors. */
export const SCRAPE_PROTOCOLS: readonly string[] = Object.keys(SCRAPE_PROTOCOL_HEADERS).sort();

/** Prometheus's default `Accept` order. */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly string[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

/** The default order when native histograms are scraped: protobuf first. */
export const PROTO_FIRST_SCRAPE_PROTOCOLS: readonly string[] = [
  'PrometheusProto',
  ...DEFAULT_SCRAPE_PROTOCOLS,
];

/** Why a protocol name is not accepted, or `undefined`. */
export function scrapeProtocolProblem(p: string): string | undefined {
  if (p in SCRAPE_PROTOCOL_HEADERS) return undefined;
  return `unknown scrape protocol ${p}, supported: [${SCRAPE_PROTOCOLS.join(' ')}]`;
}

/** Prometheus's validateAcceptScrapeProtocols. */
export function scrapeProtocolsProblem(list: string[]): string | undefined {
  if (list.length === 0) return 'scrape_protocols cannot be empty';
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.toLowerCase())) {
      return `duplicated protocol in scrape_protocols, got [${list.join(' ')}]`;
    }
    const why = scrapeProtocolProblem(p);
    if (why) return `scrape_protocols: ${why}`;
    seen.add(p.toLowerCase());
  }
  return undefined;
}

/** Metric name validation schemes. */
export const VALIDATION_SCHEMES = ['utf8', 'legacy'] as const;

/** Metric name escaping schemes. */
export const ESCAPING_SCHEMES = ['allow-utf-8', 'underscores', 'dots', 'values'] as const;

/** `metric_name_validation_scheme`: `utf8`, `legacy`, or blank (inherit). */
export const validationSchemeSchema = v.pipe(
  str,
  v.check(
    (s) => s === '' || (VALIDATION_SCHEMES as readonly string[]).includes(s),
    (issue) => `unrecognized ValidationScheme: ${JSON.stringify(issue.input)}`,
  ),
);

/** `metric_name_escaping_scheme`: checked against the validation scheme later. */
export const escapingSchemeSchema = str;

const externalLabelsSchema = v.pipe(
  v.record(
    v.string(),
    v.union([v.string(), v.number(), v.boolean()]),
    'expected a mapping of label names to values',
  ),
  v.transform((rec) => {
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(rec)) out[k] = String(val);
    return out;
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const [name, value] of Object.entries(dataset.value)) {
      const item = {
        type: 'object' as const,
        origin: 'key' as const,
        input: dataset.value,
        key: name,
        value,
      };
      if (!isValidUTF8Name(name)) {
        addIssue({ message: `${goQuote(name)} is not a valid label name`, path: [item] });
      } else if (!value.isWellFormed()) {
        addIssue({
          message: `${goQuote(value)} is not a valid label value`,
          path: [{ ...item, origin: 'value' }],
        });
      }
    }
  }),
);

const protocolList = v.pipe(
  v.array(str),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const why = scrapeProtocolsProblem(dataset.value);
    if (why) addIssue({ message: `${why} for global config` });
  }),
);

const optDuration = v.optional(v.nullable(durationSchema));

/** The `global` mapping as written (before defaults). */
export const globalObject = strict('global_config', {
  scrape_interval: optDuration,
  scrape_timeout: optDuration,
  scrape_protocols: v.optional(v.nullable(protocolList)),
  evaluation_interval: optDuration,
  rule_query_offset: optDuration,
  query_log_file: v.optional(v.nullable(str)),
  scrape_failure_log_file: v.optional(v.nullable(str)),
  external_labels: v.optional(v.nullable(externalLabelsSchema)),
  body_size_limit: v.optional(v.nullable(sizeSchema)),
  sample_limit: v.optional(v.nullable(uint)),
  target_limit: v.optional(v.nullable(uint)),
  label_limit: v.optional(v.nullable(uint)),
  label_name_length_limit: v.optional(v.nullable(uint)),
  label_value_length_limit: v.optional(v.nullable(uint)),
  keep_dropped_targets: v.optional(v.nullable(uint)),
  metric_name_validation_scheme: v.optional(v.nullable(validationSchemeSchema)),
  metric_name_escaping_scheme: v.optional(v.nullable(escapingSchemeSchema)),
  scrape_native_histograms: v.optional(v.nullable(bool)),
  convert_classic_histograms_to_nhcb: v.optional(v.nullable(bool)),
  always_scrape_classic_histograms: v.optional(v.nullable(bool)),
  extra_scrape_metrics: v.optional(v.nullable(bool)),
});

/** The effective `global` section, defaults applied. */
export interface GlobalConfig {
  scrape_interval: Duration;
  scrape_timeout: Duration;
  /** Set only when written; scrape jobs then inherit it. */
  scrape_protocols?: string[];
  evaluation_interval: Duration;
  rule_query_offset: Duration;
  query_log_file?: string;
  scrape_failure_log_file?: string;
  external_labels: Record<string, string>;
  body_size_limit: ByteSize;
  sample_limit: number;
  target_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  keep_dropped_targets: number;
  metric_name_validation_scheme: 'utf8' | 'legacy';
  metric_name_escaping_scheme: string;
  scrape_native_histograms: boolean;
  convert_classic_histograms_to_nhcb: boolean;
  always_scrape_classic_histograms: boolean;
  extra_scrape_metrics: boolean;
}

/** Prometheus's default global scrape interval (1m), timeout (10s) and evaluation interval (1m). */
export const GLOBAL_DEFAULTS = {
  scrape_interval: new Duration(60_000),
  scrape_timeout: new Duration(10_000),
  evaluation_interval: new Duration(60_000),
} as const;

/**
 * The `global` section with Prometheus's defaults and checks: the timeout defaults to
 * min(10s, interval) and may not exceed the interval.
 */
export const globalSchema: v.GenericSchema<unknown, GlobalConfig> = v.pipe(
  v.pipe(
    v.optional(v.nullable(globalObject), {}),
    v.transform((g) => g ?? {}),
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const g = dataset.value;
    const interval = g.scrape_interval?.ms || GLOBAL_DEFAULTS.scrape_interval.ms;
    if (g.scrape_timeout && g.scrape_timeout.ms > interval) {
      addIssue({
        message: 'global scrape timeout greater than scrape interval',
        path: [{
          type: 'object',
          origin: 'value',
          input: g,
          key: 'scrape_timeout',
          value: g.scrape_timeout,
        }],
      });
    }
  }),
  v.transform((g): GlobalConfig => {
    const interval = g.scrape_interval?.ms ? g.scrape_interval : GLOBAL_DEFAULTS.scrape_interval;
    const timeout = g.scrape_timeout?.ms
      ? g.scrape_timeout
      : new Duration(Math.min(GLOBAL_DEFAULTS.scrape_timeout.ms, interval.ms));
    const validation = (g.metric_name_validation_scheme || 'utf8') as 'utf8' | 'legacy';
    const out: GlobalConfig = {
      scrape_interval: interval,
      scrape_timeout: timeout,
      evaluation_interval: g.evaluation_interval?.ms
        ? g.evaluation_interval
        : GLOBAL_DEFAULTS.evaluation_interval,
      rule_query_offset: g.rule_query_offset ?? new Duration(0),
      external_labels: g.external_labels ?? {},
      body_size_limit: g.body_size_limit ?? new ByteSize(0),
      sample_limit: g.sample_limit ?? 0,
      target_limit: g.target_limit ?? 0,
      label_limit: g.label_limit ?? 0,
      label_name_length_limit: g.label_name_length_limit ?? 0,
      label_value_length_limit: g.label_value_length_limit ?? 0,
      keep_dropped_targets: g.keep_dropped_targets ?? 0,
      metric_name_validation_scheme: validation,
      metric_name_escaping_scheme: g.metric_name_escaping_scheme ||
        (validation === 'legacy' ? 'underscores' : 'allow-utf-8'),
      scrape_native_histograms: g.scrape_native_histograms ?? false,
      convert_classic_histograms_to_nhcb: g.convert_classic_histograms_to_nhcb ?? false,
      always_scrape_classic_histograms: g.always_scrape_classic_histograms ?? false,
      extra_scrape_metrics: g.extra_scrape_metrics ?? false,
    };
    if (g.scrape_protocols) out.scrape_protocols = g.scrape_protocols;
    if (g.query_log_file) out.query_log_file = g.query_log_file;
    if (g.scrape_failure_log_file) out.scrape_failure_log_file = g.scrape_failure_log_file;
    return out;
  }),
) as v.GenericSchema<unknown, GlobalConfig>;
