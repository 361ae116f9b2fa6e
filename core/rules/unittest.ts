/**
 * `beacon test rules`: promtool's rule unit tests. Each test group loads its input series into
 * a fresh storage step by step, evaluates the rule groups every evaluation interval from the
 * group's start, checks the firing alerts at each `alert_rule_test` time and, at the end, the
 * results of the `promql_expr_test` queries — with promtool's verdicts and messages.
 *
 * ```ts
 * const results = await runRuleUnitTests(files, host, deps, { run: ['correct'] });
 * for (const line of formatUnitTestResults(results)) print(line);
 * ```
 * @module
 */
import { Labels } from '../model/labels.ts';
import { cachedRegex } from '../model/regex.ts';
import { formatDuration } from '../config/mod.ts';
import { ManualClock } from '../notify/mod.ts';
import type { Storage } from '../storage/mod.ts';
import { AlertingRule } from './alerting_rule.ts';
import type { RuleGroup } from './group.ts';
import { groupKey } from './group.ts';
import { RuleManager } from './manager.ts';
import type { InstantSample } from './rule.ts';
import type { ReportLine } from './rule_file_check.ts';
import { loadRuleFiles, type RuleFileFS } from './rule_file_load.ts';
import type { ExprParser } from './rule_file_types.ts';
import { parseUnitTestFile, type UnitTestFile, type UnitTestGroup } from './unittest_file.ts';
import { parseMetric, parseSeriesDesc, type SeriesValue } from './unittest_series.ts';

/** A query result as the PromQL engine shapes it; only vectors and scalars are used. */
export interface UnitTestQueryValue {
  readonly resultType: string;
  readonly result: unknown;
}

/**
 * Runs an instant query over `storage` at `timeMs`. `subqueryStepMs` is the step of subqueries
 * written without one: the file's evaluation interval, as promtool sets it.
 */
export type UnitTestQuery = (
  storage: Storage,
  expr: string,
  timeMs: number,
  opts: { readonly subqueryStepMs: number },
) => Promise<UnitTestQueryValue>;

/** What the unit tests need that core cannot import (the PromQL plugin, a storage engine). */
export interface UnitTestDeps {
  /** The PromQL parser rule files are checked with. */
  readonly parseExpr: ExprParser;
  readonly query: UnitTestQuery;
  /** A fresh, empty storage (one per test group; closed after it). */
  readonly createStorage: () => Storage;
}

/** Options of {@link runRuleUnitTests}. */
export interface UnitTestOptions {
  /** Run only test groups whose name matches one of these RE2 expressions (`--run`). */
  readonly run?: readonly string[];
  /** Accept unknown keys in rule files (`--ignore-unknown-fields`). */
  readonly ignoreUnknownFields?: boolean;
}

/** The outcome of one unit-test file. */
export interface UnitTestFileResult {
  readonly file: string;
  /** promtool's failure messages; empty means SUCCESS. */
  readonly errors: string[];
  /** Rule file patterns that matched nothing. */
  readonly warnings: string[];
}

/** Runs every file's tests; files are independent. */
export async function runRuleUnitTests(
  files: readonly string[],
  fs: RuleFileFS,
  deps: UnitTestDeps,
  opts: UnitTestOptions = {},
): Promise<UnitTestFileResult[]> {
  const out: UnitTestFileResult[] = [];
  for (const file of files) out.push(await runFile(file, fs, deps, opts));
  return out;
}

/** promtool's report lines for the results, and the exit code (1 when any file failed). */
export function formatUnitTestResults(
  results: readonly UnitTestFileResult[],
): { lines: ReportLine[]; exitCode: number } {
  const lines: ReportLine[] = [];
  const out = (text: string) => lines.push({ stream: 'stdout', text });
  const err = (text: string) => lines.push({ stream: 'stderr', text });
  let failed = false;
  for (const r of results) {
    out(`Unit Testing:  ${r.file}`);
    for (const w of r.warnings) err(`  WARNING: no file match pattern ${w}`);
    if (r.errors.length > 0) {
      failed = true;
      err('  FAILED:');
      for (const e of r.errors) {
        err(e);
        out('');
      }
    } else out('  SUCCESS');
    out('');
  }
  return { lines, exitCode: failed ? 1 : 0 };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || /^\\\\/.test(p);

async function runFile(
  file: string,
  fs: RuleFileFS,
  deps: UnitTestDeps,
  opts: UnitTestOptions,
): Promise<UnitTestFileResult> {
  const warnings: string[] = [];
  let parsed: UnitTestFile;
  const ruleFiles: string[] = [];
  try {
    parsed = parseUnitTestFile(await fs.readTextFile(file));
    const base = dirname(file);
    for (const rf of parsed.ruleFiles) {
      const pattern = rf !== '' && !isAbsolute(rf) ? `${base}/${rf}` : rf;
      const matches = [...await fs.expandGlob(pattern)].sort();
      if (matches.length === 0) warnings.push(pattern);
      ruleFiles.push(...matches);
    }
  } catch (e) {
    return { file, errors: [message(e)], warnings };
  }
  const order = new Map<string, number>();
  for (const [i, name] of parsed.groupEvalOrder.entries()) {
    if (order.has(name)) {
      return {
        file,
        errors: [`group name repeated in evaluation order: ${name}`],
        warnings,
      };
    }
    order.set(name, i);
  }
  const run = opts.run && opts.run.length > 0 ? cachedRegex(`.*(?:${opts.run.join('|')}).*`) : null;
  const errors: string[] = [];
  for (const tg of parsed.tests) {
    if (run && !run.matches(tg.name)) continue;
    try {
      errors.push(...await runGroup(tg, parsed, ruleFiles, order, fs, deps, opts));
    } catch (e) {
      errors.push(message(e));
    }
  }
  return { file, errors, warnings };
}

/** Go's `time.Duration` text (`1m0s`, `24h0m0s`, `1.5s`), for evaluation times of rules. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = (rest / 1000).toString();
  const text = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  return neg ? `-${text}` : text;
}

/** Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `3.0000000000000004E+00`, `+Inf`. */
export function goFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mant, exp] = v.toExponential().split('e');
  const n = Number(exp);
  return `${mant}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The next float after `x` towards `dir` (Go's `math.Nextafter`). */
function nextAfter(x: number, dir: number): number {
  if (Number.isNaN(x) || Number.isNaN(dir)) return NaN;
  if (x === dir) return x;
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  i64[0] += (dir > x) === (x > 0) ? 1n : -1n;
  return f64[0];
}

function floatsEqual(x: number, y: number, fuzzy: boolean): boolean {
  if (x === y) return true;
  return fuzzy && (nextAfter(x, -Infinity) === y || nextAfter(x, Infinity) === y);
}

interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

function compareAlerts(a: LabelsAndAnnotations, b: LabelsAndAnnotations): number {
  return a.labels.compare(b.labels) || a.annotations.compare(b.annotations);
}

function indentLines(text: string, indent: string): string {
  return text.split('\n').join('\n' + indent);
}

function alertsString(list: readonly LabelsAndAnnotations[]): string {
  if (list.length === 0) return '[]';
  const items = list.map((a, i) =>
    `${i}:` + indentLines(`\nLabels:${a.labels}\nAnnotations:${a.annotations}`, '  ')
  );
  return `[\n${items.join(',\n')}\n]`;
}

interface Sample {
  labels: Labels;
  value: number;
}

const samplesString = (list: readonly Sample[]) =>
  list.length === 0 ? 'nil' : list.map((s) => `${s.labels} ${goFloatE(s.value)}`).join(', ');

function toSamples(r: UnitTestQueryValue): InstantSample[] {
  if (r.resultType === 'vector') {
    return (r.result as readonly { labels: Labels; v: number }[]).map((s) => ({
      labels: s.labels,
      value: s.v,
    }));
  }
  if (r.resultType === 'scalar') {
    return [{ labels: Labels.EMPTY, value: (r.result as { v: number }).v }];
  }
  throw new Error('rule result is not a vector or scalar');
}

/** The input series as samples sorted by time, each at `start + i × interval`. */
function inputSamples(
  tg: UnitTestGroup,
  interval: number,
): { labels: Labels; t: number; value: SeriesValue }[] {
  const out: { labels: Labels; t: number; value: SeriesValue }[] = [];
  for (const s of tg.inputSeries) {
    const { labels, values } = parseSeriesDesc(`${s.series} ${s.values}`);
    values.forEach((value, i) => {
      if (value.kind !== 'gap') out.push({ labels, t: tg.startTimestamp + i * interval, value });
    });
  }
  return out.sort((a, b) => a.t - b.t);
}

async function runGroup(
  tg: UnitTestGroup,
  file: UnitTestFile,
  ruleFiles: readonly string[],
  order: ReadonlyMap<string, number>,
  fs: RuleFileFS,
  deps: UnitTestDeps,
  opts: UnitTestOptions,
): Promise<string[]> {
  const evalInterval = file.evaluationInterval;
  const interval = tg.interval || evalInterval;
  const pending = inputSamples(tg, interval);
  const loaded = await loadRuleFiles(ruleFiles, fs, {
    parseExpr: deps.parseExpr,
    ignoreUnknownFields: opts.ignoreUnknownFields,
  });
  if (loaded.errors.length > 0) return loaded.errors.map(String);

  const storage = deps.createStorage();
  try {
    const queryOpts = { subqueryStepMs: evalInterval };
    const queryFn = async (expr: string, t: number) =>
      toSamples(await deps.query(storage, expr, t, queryOpts));
    const manager = new RuleManager({
      storage,
      queryFn,
      clock: new ManualClock(tg.startTimestamp),
      externalLabels: tg.externalLabels,
      externalURL: tg.externalURL,
    });
    await manager.update(loaded.groups, {
      evaluationInterval: interval,
      start: false,
      externalLabels: tg.externalLabels,
      externalURL: tg.externalURL,
    });
    const position = new Map(loaded.groups.map((g, i) => [groupKey(g.file, g.name), i]));
    const groups: RuleGroup[] = manager.groups().sort((a, b) =>
      (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0) ||
      position.get(a.key)! - position.get(b.key)!
    );

    const mint = tg.startTimestamp;
    let maxEval = 0;
    for (const c of tg.alertCases) maxEval = Math.max(maxEval, c.evalTime);
    for (const c of tg.exprCases) maxEval = Math.max(maxEval, c.evalTime);
    const maxt = mint + maxEval;

    const alertTimes = new Map<number, typeof tg.alertCases[number][]>();
    for (const c of tg.alertCases) {
      if (c.alertname === '') {
        const where = tg.name ? ` (in TestGroup ${tg.name})` : '';
        return [
          `an item under alert_rule_test misses required attribute alertname at eval_time ${
            formatDuration(c.evalTime)
          }${where}`,
        ];
      }
      const l = alertTimes.get(c.evalTime) ?? [];
      l.push(c);
      alertTimes.set(c.evalTime, l);
    }
    const times = [...alertTimes.keys()].sort((a, b) => a - b);
    let curr = 0;
    const errs: string[] = [];
    let next = 0;
    for (let ts = mint; ts <= maxt; ts += evalInterval) {
      const app = storage.appender();
      for (; next < pending.length && pending[next].t <= ts; next++) {
        const s = pending[next];
        if (s.value.kind === 'stale') app.appendStale(0, s.labels, s.t);
        else if (s.value.kind === 'float') app.append(0, s.labels, s.t, s.value.v);
      }
      await app.commit();
      const evalErrs: string[] = [];
      for (const g of groups) {
        await g.evaluate(ts);
        for (const r of g.rules) {
          if (r.health === 'err') {
            evalErrs.push(`    rule: ${r.name}, time: ${goDuration(ts)}, err: ${r.lastError}`);
          }
        }
      }
      errs.push(...evalErrs);
      if (evalErrs.length > 0) return errs;

      for (; curr < times.length && ts - mint <= times[curr]; curr++) {
        if (times[curr] >= ts - mint + evalInterval) break;
        const t = times[curr];
        const cases = alertTimes.get(t)!;
        const wanted = new Set(cases.map((c) => c.alertname));
        const got = new Map<string, LabelsAndAnnotations[]>();
        for (const g of groups) {
          for (const r of g.rules) {
            if (!(r instanceof AlertingRule) || !wanted.has(r.name)) continue;
            const list = got.get(r.name) ?? [];
            for (const a of r.activeAlerts()) {
              if (a.state === 'firing') list.push({ labels: a.labels, annotations: a.annotations });
            }
            got.set(r.name, list);
          }
        }
        for (const c of cases) {
          const gotAlerts = [...(got.get(c.alertname) ?? [])].sort(compareAlerts);
          const expAlerts = c.expAlerts.map((a) => ({
            labels: Labels.from({ ...a.labels, alertname: c.alertname }),
            annotations: Labels.from(a.annotations),
          })).sort(compareAlerts);
          const same = gotAlerts.length === expAlerts.length &&
            gotAlerts.every((a, i) =>
              a.labels.equals(expAlerts[i].labels) && a.annotations.equals(expAlerts[i].annotations)
            );
          if (same) continue;
          const name = tg.name ? `    name: ${tg.name},\n` : '';
          const indent = '            ';
          errs.push(
            `${name}    alertname: ${c.alertname}, time: ${formatDuration(c.evalTime)}, \n` +
              `        exp:${indentLines(alertsString(expAlerts), indent)}, \n` +
              `        got:${indentLines(alertsString(gotAlerts), indent)}`,
          );
        }
      }
    }

    for (const c of tg.exprCases) {
      const head = `    expr: ${JSON.stringify(c.expr)}, time: ${formatDuration(c.evalTime)}`;
      let got: InstantSample[];
      try {
        got = toSamples(await deps.query(storage, c.expr, mint + c.evalTime, queryOpts));
      } catch (e) {
        errs.push(`${head}, err: ${message(e)}`);
        continue;
      }
      const exp: Sample[] = [];
      let bad = '';
      for (const s of c.expSamples) {
        try {
          if (s.histogram !== '') throw new Error('native histogram samples are not supported');
          exp.push({ labels: parseMetric(s.labels), value: s.value });
        } catch (e) {
          bad = `${head}, err: labels ${JSON.stringify(s.labels)}: ${message(e)}`;
          break;
        }
      }
      if (bad) {
        errs.push(bad);
        continue;
      }
      const gotSamples = got.map((s) => ({ labels: s.labels, value: s.value }));
      const byLabels = (a: Sample, b: Sample) => a.labels.compare(b.labels);
      exp.sort(byLabels);
      gotSamples.sort(byLabels);
      const same = exp.length === gotSamples.length &&
        exp.every((s, i) =>
          s.labels.equals(gotSamples[i].labels) &&
          floatsEqual(s.value, gotSamples[i].value, file.fuzzyCompare)
        );
      if (!same) {
        errs.push(
          `${head},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(gotSamples)}`,
        );
      }
    }
    return errs;
  } finally {
    await storage.close();
  }
}
