/**
 * The rule unit-test file of `promtool test rules`, read strictly (unknown keys are errors,
 * as Go's `yaml.UnmarshalStrict`): rule files, evaluation interval, group order, and test
 * groups of input series with alert and PromQL expectations.
 * @module
 */
import { parse } from 'yaml';
import { parseDurationMs } from '../config/mod.ts';

/** One input series: a metric and its values notation. */
export interface UnitTestSeries {
  readonly series: string;
  readonly values: string;
}

/** One expected alert. */
export interface UnitTestExpAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** `alert_rule_test` item: the firing alerts of one alert name at one time. */
export interface UnitTestAlertCase {
  /** ms after the group's start. */
  readonly evalTime: number;
  readonly alertname: string;
  readonly expAlerts: readonly UnitTestExpAlert[];
}

/** One expected sample; `histogram` (a `{{…}}` notation) replaces the value when set. */
export interface UnitTestExpSample {
  readonly labels: string;
  readonly value: number;
  readonly histogram: string;
}

/** `promql_expr_test` item. */
export interface UnitTestExprCase {
  readonly expr: string;
  /** ms after the group's start. */
  readonly evalTime: number;
  readonly expSamples: readonly UnitTestExpSample[];
}

/** One entry of `tests`. */
export interface UnitTestGroup {
  readonly name: string;
  /** Input series step, ms; 0 means the file's evaluation interval. */
  readonly interval: number;
  readonly inputSeries: readonly UnitTestSeries[];
  readonly alertCases: readonly UnitTestAlertCase[];
  readonly exprCases: readonly UnitTestExprCase[];
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  /** ms since the epoch where time 0 of the test is (default 0). */
  readonly startTimestamp: number;
}

/** A parsed unit-test file. */
export interface UnitTestFile {
  readonly ruleFiles: readonly string[];
  /** ms; 1m when not given. */
  readonly evaluationInterval: number;
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly UnitTestGroup[];
  readonly fuzzyCompare: boolean;
}

/** A unit-test file that cannot be read as one. */
export class UnitTestFileError extends Error {
  override name = 'UnitTestFileError';
}

type Node = unknown;
type Obj = Record<string, Node>;

function fail(path: string, msg: string): never {
  throw new UnitTestFileError(path ? `${path}: ${msg}` : msg);
}

function object(n: Node, path: string, keys: readonly string[]): Obj {
  if (n === undefined || n === null || n === '') return {};
  if (typeof n !== 'object' || Array.isArray(n)) fail(path, 'expected a mapping');
  for (const k of Object.keys(n)) {
    if (!keys.includes(k)) fail(path, `field ${k} not found in type`);
  }
  return n as Obj;
}

function list(n: Node, path: string): Node[] {
  if (n === undefined || n === null || n === '') return [];
  if (!Array.isArray(n)) fail(path, 'expected a sequence');
  return n;
}

function str(n: Node, path: string): string {
  if (n === undefined || n === null) return '';
  if (typeof n !== 'string') fail(path, 'expected a string');
  return n;
}

function duration(n: Node, path: string): number {
  const s = str(n, path);
  if (s === '') return 0;
  const ms = parseDurationMs(s);
  if (ms === undefined) fail(path, `not a valid duration string: ${JSON.stringify(s)}`);
  return ms;
}

function float(n: Node, path: string): number {
  const s = str(n, path).trim();
  if (s === '') return 0;
  if (/^[+-]?\.?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.?nan$/i.test(s)) return NaN;
  const v = /^[+-]?(\d[\d_]*\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)
    ? Number(s.replaceAll('_', ''))
    : NaN;
  if (Number.isNaN(v)) fail(path, `cannot unmarshal ${JSON.stringify(s)} into float64`);
  return v;
}

function bool(n: Node, path: string): boolean {
  const s = str(n, path).toLowerCase();
  if (['', 'false', 'no', 'off', 'n'].includes(s)) return false;
  if (['true', 'yes', 'on', 'y'].includes(s)) return true;
  fail(path, `cannot unmarshal ${JSON.stringify(s)} into bool`);
}

function stringMap(n: Node, path: string): Record<string, string> {
  if (n === undefined || n === null || n === '') return {};
  if (typeof n !== 'object' || Array.isArray(n)) fail(path, 'expected a mapping');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(n)) out[k] = str(v, `${path}.${k}`);
  return out;
}

/** promtool's `parseTime`: Unix seconds (fractions allowed) or RFC 3339. */
export function parseTestTime(s: string, path = 'start_timestamp'): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  fail(path, `cannot parse ${JSON.stringify(s)} to a valid timestamp`);
}

const FILE_KEYS = [
  'rule_files',
  'evaluation_interval',
  'group_eval_order',
  'tests',
  'fuzzy_compare',
];
const GROUP_KEYS = [
  'interval',
  'input_series',
  'alert_rule_test',
  'promql_expr_test',
  'external_labels',
  'external_url',
  'name',
  'start_timestamp',
];

function testGroup(n: Node, path: string): UnitTestGroup {
  const o = object(n, path, GROUP_KEYS);
  const start = str(o.start_timestamp, `${path}.start_timestamp`);
  return {
    name: str(o.name, `${path}.name`),
    interval: duration(o.interval, `${path}.interval`),
    inputSeries: list(o.input_series, `${path}.input_series`).map((s, i) => {
      const p = `${path}.input_series[${i}]`;
      const so = object(s, p, ['series', 'values']);
      return { series: str(so.series, `${p}.series`), values: str(so.values, `${p}.values`) };
    }),
    alertCases: list(o.alert_rule_test, `${path}.alert_rule_test`).map((a, i) => {
      const p = `${path}.alert_rule_test[${i}]`;
      const ao = object(a, p, ['eval_time', 'alertname', 'exp_alerts']);
      return {
        evalTime: duration(ao.eval_time, `${p}.eval_time`),
        alertname: str(ao.alertname, `${p}.alertname`),
        expAlerts: list(ao.exp_alerts, `${p}.exp_alerts`).map((e, j) => {
          const ep = `${p}.exp_alerts[${j}]`;
          const eo = object(e, ep, ['exp_labels', 'exp_annotations']);
          return {
            labels: stringMap(eo.exp_labels, `${ep}.exp_labels`),
            annotations: stringMap(eo.exp_annotations, `${ep}.exp_annotations`),
          };
        }),
      };
    }),
    exprCases: list(o.promql_expr_test, `${path}.promql_expr_test`).map((c, i) => {
      const p = `${path}.promql_expr_test[${i}]`;
      const co = object(c, p, ['expr', 'eval_time', 'exp_samples']);
      return {
        expr: str(co.expr, `${p}.expr`),
        evalTime: duration(co.eval_time, `${p}.eval_time`),
        expSamples: list(co.exp_samples, `${p}.exp_samples`).map((s, j) => {
          const sp = `${p}.exp_samples[${j}]`;
          const so = object(s, sp, ['labels', 'value', 'histogram']);
          return {
            labels: str(so.labels, `${sp}.labels`),
            value: float(so.value, `${sp}.value`),
            histogram: str(so.histogram, `${sp}.histogram`),
          };
        }),
      };
    }),
    externalLabels: stringMap(o.external_labels, `${path}.external_labels`),
    externalURL: str(o.external_url, `${path}.external_url`),
    startTimestamp: start === '' ? 0 : parseTestTime(start, `${path}.start_timestamp`),
  };
}

/**
 * Parses a unit-test file. Scalars are read as text (YAML's failsafe schema), as Go reads
 * them into string fields, so values like `2.9999999999999996` keep their digits.
 * @throws {UnitTestFileError} for YAML errors, unknown keys and bad values.
 */
export function parseUnitTestFile(text: string): UnitTestFile {
  let doc: Node;
  try {
    doc = parse(text, { schema: 'failsafe', uniqueKeys: true });
  } catch (e) {
    fail('', `yaml: ${e instanceof Error ? e.message : String(e)}`);
  }
  const o = object(doc, '', FILE_KEYS);
  const interval = duration(o.evaluation_interval, 'evaluation_interval');
  return {
    ruleFiles: list(o.rule_files, 'rule_files').map((f, i) => str(f, `rule_files[${i}]`)),
    evaluationInterval: interval || 60_000,
    groupEvalOrder: list(o.group_eval_order, 'group_eval_order').map((g, i) =>
      str(g, `group_eval_order[${i}]`)
    ),
    tests: list(o.tests, 'tests').map((t, i) => testGroup(t, `tests[${i}]`)),
    fuzzyCompare: bool(o.fuzzy_compare, 'fuzzy_compare'),
  };
}
