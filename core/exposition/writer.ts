/**
 * Writes metric families in the Prometheus text format 0.0.4 and in OpenMetrics 1.0 text,
 * byte for byte as Prometheus's Go libraries (`expfmt`) do where they overlap: the same float
 * formatting (Go's `strconv.FormatFloat(f, 'g', -1, 64)`), escaping, quoting of UTF-8 names
 * (`{"my.metric", "a.b"="v"}`), `+Inf` bucket and counter `_total` handling.
 *
 * @example
 * ```ts
 * const text = writeText([{
 *   name: 'http_requests_total', help: 'Requests.', type: 'counter',
 *   metrics: [{ labels: { code: '200' }, value: 1027 }],
 * }]);
 * // # HELP http_requests_total Requests.
 * // # TYPE http_requests_total counter
 * // http_requests_total{code="200"} 1027
 * ```
 * @module
 */
import { Labels } from '../model/labels.ts';
import { isLegacyLabelName, isLegacyMetricName } from '../model/names.ts';
import type { ExpositionFormat } from './types.ts';

/**
 * Every metric type of OpenMetrics 1.0 plus the text format's `untyped` (named apart from the
 * parser's `MetricType`, which folds `untyped` into `unknown`).
 */
export type FamilyType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'summary'
  | 'untyped'
  | 'info'
  | 'stateset'
  | 'gaugehistogram'
  | 'unknown';

/** A label set: a sorted `Labels`, or a plain record written in its key order. */
export type LabelSet = Labels | Readonly<Record<string, string>>;

/** An OpenMetrics exemplar; written only in OpenMetrics and only when it has labels. */
export interface FamilyExemplar {
  labels: LabelSet;
  value: number;
  /** Milliseconds since the epoch. */
  timestamp?: number;
}

/** One cumulative histogram bucket: observations `<= le`. */
export interface Bucket {
  le: number;
  count: number;
  exemplar?: FamilyExemplar;
}

/** One summary quantile. */
export interface Quantile {
  quantile: number;
  value: number;
}

/**
 * One labelled metric (a "child") of a family. Which fields are read depends on the type:
 * - counter, gauge, untyped, unknown: `value` (counter also `exemplar`, `created`);
 * - info: nothing but `labels` (the value is always 1);
 * - stateset: `states` (state name → enabled); the state label is named after the family;
 * - histogram, gaugehistogram: `buckets` (cumulative, ascending; a `+Inf` bucket is added when
 *   missing, with `count`), `sum`, `count` (defaults to the `+Inf` bucket), `created`;
 * - summary: `quantiles`, `sum`, `count`, `created`.
 */
export interface MetricPoint {
  labels?: LabelSet;
  value?: number;
  /** Milliseconds since the epoch; text writes integer ms, OpenMetrics float seconds. */
  timestamp?: number;
  /** Creation time in milliseconds since the epoch, for OpenMetrics `_created` lines. */
  created?: number;
  exemplar?: FamilyExemplar;
  buckets?: readonly Bucket[];
  quantiles?: readonly Quantile[];
  sum?: number;
  count?: number;
  states?: Readonly<Record<string, boolean>>;
}

/**
 * A metric family. `name` is the name the text format exposes: counters normally end in
 * `_total` (OpenMetrics drops it from the HELP/TYPE/UNIT lines; a counter without it is
 * written as `unknown` in OpenMetrics so that series names stay the same in both formats, as
 * client_golang does); info families are named without `_info`, which samples get appended.
 */
export interface MetricFamily {
  name: string;
  help?: string;
  type: FamilyType;
  /** OpenMetrics unit; its `# UNIT` line is written only when the name ends in `_<unit>`. */
  unit?: string;
  metrics: readonly MetricPoint[];
}

/** Options of the writers. */
export interface WriteOptions {
  /** OpenMetrics only: write `_created` lines where points carry `created` (default false). */
  created?: boolean;
}

/**
 * Formats a float as Go's `strconv.FormatFloat(v, 'g', -1, 64)`: the shortest round-trip
 * digits, in exponent form (at least two exponent digits) when the decimal exponent is below
 * -4 or at least 6, so `1000000` is `1e+06`, `123456` stays, `0.00001` is `1e-05`.
 * Infinities and NaN come out as Prometheus writes them (`+Inf`, `-Inf`, `NaN`).
 */
export function formatGoFloat(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = v < 0 ? -v : v;
  // JS and Go agree on the shortest digits; JS prints fixed notation in [1e-7, 1e21),
  // Go in [1e-4, 1e6), so only the exponent form needs rebuilding.
  if (a >= 1e-4 && a < 1e6) return String(v);
  const s = a.toExponential();
  const e = s.indexOf('e');
  const exp = s.charCodeAt(e + 1) === 45 ? -Number(s.slice(e + 2)) : Number(s.slice(e + 2));
  const abs = exp < 0 ? -exp : exp;
  return (v < 0 ? '-' : '') + s.slice(0, e) + (exp < 0 ? 'e-' : 'e+') +
    (abs < 10 ? '0' + abs : String(abs));
}

/** A sample value as the text format writes it (`expfmt` `writeFloat`). */
export function formatTextFloat(v: number): string {
  if (v === 0) return '0';
  if (v === 1) return '1';
  if (v === -1) return '-1';
  return formatGoFloat(v);
}

/** A value as OpenMetrics writes it: like text, but integral numbers get `.0` (`1.0`). */
export function formatOpenMetricsFloat(v: number): string {
  if (v === 0) return '0.0';
  if (v === 1) return '1.0';
  if (v === -1) return '-1.0';
  const s = formatGoFloat(v);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 || c === 101 || c === 73 || c === 78) return s; // '.', 'e', Inf, NaN
  }
  return s + '.0';
}

/** Escapes `\` and newline (HELP in text format), plus `"` when `quote` (label values, OM). */
export function escapeString(s: string, quote: boolean): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 10 || (quote && c === 34)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (quote && ch === '"') out += '\\"';
    else out += ch;
  }
  return out;
}

// Names repeat on every line of a family and across scrapes, so their written forms are
// memoised; the caches are dropped when they grow past a bound (arbitrary federated names).
const MEMO_LIMIT = 4096;
const metricNames = new Map<string, string>();
const labelNames = new Map<string, string>();

function memo(cache: Map<string, string>, name: string, legacy: boolean): string {
  const out = legacy ? name : '"' + escapeString(name, true) + '"';
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(name, out);
  return out;
}

function writeName(name: string): string {
  return metricNames.get(name) ?? memo(metricNames, name, isLegacyMetricName(name));
}

function labelName(name: string): string {
  return labelNames.get(name) ?? memo(labelNames, name, isLegacyLabelName(name));
}

/** Appends `name="value"` pairs, each preceded by `,` (the caller strips the first). */
function labelPairs(labels: LabelSet | undefined): string {
  if (labels === undefined) return '';
  let out = '';
  if (labels instanceof Labels) {
    const f = labels.flat;
    for (let i = 0; i < f.length; i += 2) {
      out += ',' + labelName(f[i]) + '="' + escapeString(f[i + 1], true) + '"';
    }
  } else {
    for (const k in labels) {
      out += ',' + labelName(k) + '="' + escapeString(labels[k], true) + '"';
    }
  }
  return out;
}

/** `name{pairs}` with the name moved inside the braces, quoted, when it is not legacy. */
function series(name: string, pairs: string): string {
  const n = writeName(name);
  if (n === name) return pairs === '' ? name : name + '{' + pairs.slice(1) + '}';
  return '{' + n + pairs + '}';
}

function typeLine(out: string[], name: string, help: string | undefined, type: string, q: boolean) {
  const n = writeName(name);
  if (help !== undefined) out.push('# HELP ' + n + ' ' + escapeString(help, q) + '\n');
  out.push('# TYPE ' + n + ' ' + type + '\n');
}

function textTimestamp(p: MetricPoint): string {
  return p.timestamp === undefined ? '\n' : ' ' + Math.trunc(p.timestamp) + '\n';
}

function withInf(p: MetricPoint): readonly Bucket[] {
  const b = p.buckets ?? [];
  if (b.length > 0 && b[b.length - 1].le === Infinity) return b;
  const count = p.count ?? 0;
  return [...b, { le: Infinity, count }];
}

function countOf(p: MetricPoint, buckets: readonly Bucket[]): number {
  return p.count ?? buckets[buckets.length - 1].count;
}

const TEXT_TYPES: Record<FamilyType, string> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
  unknown: 'untyped',
  info: 'gauge',
  stateset: 'gauge',
  gaugehistogram: 'histogram',
};

/** Appends one family in text format 0.0.4 to `out`. */
export function appendText(out: string[], fam: MetricFamily): void {
  const { name, type } = fam;
  const headName = type === 'info' ? name + '_info' : name;
  typeLine(out, headName, fam.help, TEXT_TYPES[type], false);
  const f = formatTextFloat;
  for (const p of fam.metrics) {
    const pairs = labelPairs(p.labels);
    const ts = textTimestamp(p);
    switch (type) {
      case 'info':
        out.push(series(headName, pairs) + ' 1' + ts);
        break;
      case 'stateset':
        for (const st in p.states) {
          const sp = pairs + ',' + labelName(name) + '="' + escapeString(st, true) + '"';
          out.push(series(name, sp) + (p.states[st] ? ' 1' : ' 0') + ts);
        }
        break;
      case 'histogram':
      case 'gaugehistogram': {
        const buckets = withInf(p);
        for (const b of buckets) {
          out.push(
            series(name + '_bucket', pairs + ',le="' + f(b.le) + '"') + ' ' + f(b.count) + ts,
          );
        }
        const g = type === 'gaugehistogram' ? '_g' : '_';
        if (p.sum !== undefined) out.push(series(name + g + 'sum', pairs) + ' ' + f(p.sum) + ts);
        out.push(series(name + g + 'count', pairs) + ' ' + f(countOf(p, buckets)) + ts);
        break;
      }
      case 'summary':
        for (const q of p.quantiles ?? []) {
          out.push(
            series(name, pairs + ',quantile="' + f(q.quantile) + '"') + ' ' + f(q.value) + ts,
          );
        }
        out.push(series(name + '_sum', pairs) + ' ' + f(p.sum ?? 0) + ts);
        out.push(series(name + '_count', pairs) + ' ' + f(p.count ?? 0) + ts);
        break;
      default:
        out.push(series(name, pairs) + ' ' + f(p.value ?? 0) + ts);
    }
  }
}

function omTimestamp(p: MetricPoint): string {
  return p.timestamp === undefined ? '' : ' ' + formatOpenMetricsFloat(p.timestamp / 1000);
}

function omExemplar(e: FamilyExemplar | undefined): string {
  if (e === undefined) return '';
  const pairs = labelPairs(e.labels);
  if (pairs === '') return '';
  return ' # {' + pairs.slice(1) + '} ' + formatOpenMetricsFloat(e.value) +
    (e.timestamp === undefined ? '' : ' ' + formatOpenMetricsFloat(e.timestamp / 1000));
}

function omInt(v: number): string {
  return Number.isInteger(v) && v >= 0 ? String(v) : formatOpenMetricsFloat(v);
}

/** Appends one family in OpenMetrics 1.0 text to `out` (without the final `# EOF`). */
export function appendOpenMetrics(out: string[], fam: MetricFamily, opts: WriteOptions = {}): void {
  const { type } = fam;
  let name = fam.name;
  let omType: string = type === 'untyped' ? 'unknown' : type;
  let sampleName = name;
  if (type === 'counter') {
    if (name.endsWith('_total')) name = name.slice(0, -6);
    else omType = 'unknown';
  }
  typeLine(out, name, fam.help, omType, true);
  if (fam.unit !== undefined && fam.unit !== '' && name.endsWith('_' + fam.unit)) {
    out.push('# UNIT ' + writeName(name) + ' ' + escapeString(fam.unit, true) + '\n');
  }
  if (type === 'info') sampleName = name + '_info';
  const f = formatOpenMetricsFloat;
  const created = opts.created === true;
  for (const p of fam.metrics) {
    const pairs = labelPairs(p.labels);
    const ts = omTimestamp(p) + '\n';
    const createdLine = created && p.created !== undefined
      ? series(name + '_created', pairs) + ' ' + f(p.created / 1000) + '\n'
      : undefined;
    switch (type) {
      case 'info':
        out.push(series(sampleName, pairs) + ' 1' + ts);
        break;
      case 'stateset':
        for (const st in p.states) {
          const sp = pairs + ',' + labelName(name) + '="' + escapeString(st, true) + '"';
          out.push(series(name, sp) + (p.states[st] ? ' 1' : ' 0') + ts);
        }
        break;
      case 'histogram':
      case 'gaugehistogram': {
        const buckets = withInf(p);
        for (const b of buckets) {
          out.push(
            series(name + '_bucket', pairs + ',le="' + f(b.le) + '"') + ' ' + omInt(b.count) +
              omTimestamp(p) + omExemplar(b.exemplar) + '\n',
          );
        }
        const g = type === 'gaugehistogram' ? '_g' : '_';
        if (p.sum !== undefined) out.push(series(name + g + 'sum', pairs) + ' ' + f(p.sum) + ts);
        out.push(series(name + g + 'count', pairs) + ' ' + omInt(countOf(p, buckets)) + ts);
        if (createdLine !== undefined && type === 'histogram') out.push(createdLine);
        break;
      }
      case 'summary':
        for (const q of p.quantiles ?? []) {
          out.push(
            series(name, pairs + ',quantile="' + f(q.quantile) + '"') + ' ' + f(q.value) + ts,
          );
        }
        out.push(series(name + '_sum', pairs) + ' ' + f(p.sum ?? 0) + ts);
        out.push(series(name + '_count', pairs) + ' ' + omInt(p.count ?? 0) + ts);
        if (createdLine !== undefined) out.push(createdLine);
        break;
      case 'counter':
        out.push(
          series(sampleName, pairs) + ' ' + f(p.value ?? 0) + omTimestamp(p) +
            omExemplar(p.exemplar) + '\n',
        );
        if (createdLine !== undefined && omType === 'counter') out.push(createdLine);
        break;
      default:
        out.push(series(sampleName, pairs) + ' ' + f(p.value ?? 0) + ts);
    }
  }
}

/** Writes families in the Prometheus text format 0.0.4. */
export function writeText(families: Iterable<MetricFamily>): string {
  const out: string[] = [];
  for (const fam of families) appendText(out, fam);
  return out.join('');
}

/** Writes families in OpenMetrics 1.0 text, ending with `# EOF`. */
export function writeOpenMetrics(families: Iterable<MetricFamily>, opts?: WriteOptions): string {
  const out: string[] = [];
  for (const fam of families) appendOpenMetrics(out, fam, opts);
  out.push('# EOF\n');
  return out.join('');
}

/** Writes families in the given format. */
export function writeFamilies(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat,
  opts?: WriteOptions,
): string {
  return format === 'openmetrics' ? writeOpenMetrics(families, opts) : writeText(families);
}
