/**
 * `check rules`: the verdicts and report of `promtool check rules` — each file parsed and
 * validated, then linted for duplicate rules (same name and labels), with promtool's exit
 * codes (0 fine or lint only, 1 errors, 3 lint findings under `--lint-fatal`).
 * @module
 */

import { ConfigError } from '../config/mod.ts';
import { compareStrings, Labels } from '../model/mod.ts';
import { parseRuleFile } from './rule_file.ts';
import type { RuleFileOptions, RuleGroupSpec } from './rule_file_types.ts';

/** Options of {@link checkRules}: the rule-file options plus promtool's lint flags. */
export interface CheckRulesOptions extends RuleFileOptions {
  /** `--lint`: comma-separated `duplicate-rules`, `all`, `none`; default `duplicate-rules`. */
  lint?: string;
  /** `--lint-fatal`: lint findings make the exit code 3. */
  lintFatal?: boolean;
}

/** Rules that share a name and a label set (group labels overlaid by rule labels). */
export interface DuplicateRule {
  /** The alert or record name. */
  readonly metric: string;
  /** The label set, sorted by name. */
  readonly labels: Labels;
}

/** The verdict on one file. */
export interface CheckRulesFileResult {
  /** The file name, as given. */
  readonly file: string;
  /** `success`, `lint` (only lint findings) or `failed` (errors). */
  readonly status: 'success' | 'lint' | 'failed';
  /** The number of rules (reported only on success, as promtool does). */
  readonly ruleCount: number;
  /** Parse and validation errors. */
  readonly errors: readonly ConfigError[];
  /** Duplicate rules found by the lint. */
  readonly duplicates: readonly DuplicateRule[];
  /** Non-fatal findings (not printed by promtool). */
  readonly warnings: readonly ConfigError[];
}

/** The verdict on a set of files. */
export interface CheckRulesResult {
  /** One entry per file, in the order given. */
  readonly files: readonly CheckRulesFileResult[];
  /** promtool's exit code: 0, 1 (errors) or 3 (lint findings with `lintFatal`). */
  readonly exitCode: 0 | 1 | 3;
  /** `WARNING: unknown lint option: "x"` lines, printed before the files. */
  readonly notices: readonly string[];
}

/** One line of the report, for the stream promtool writes it to. */
export interface ReportLine {
  /** `stdout` or `stderr`. */
  readonly stream: 'stdout' | 'stderr';
  /** The text, without the trailing newline. */
  readonly text: string;
}

/** Which lints are on, plus warnings about unknown options. */
function lintSettings(lint = 'duplicate-rules'): { duplicates: boolean; notices: string[] } {
  let duplicates = false;
  const notices: string[] = [];
  if (lint === '') return { duplicates, notices };
  for (const option of lint.split(',')) {
    if (option === 'all' || option === 'duplicate-rules') duplicates = true;
    else if (option !== 'none') {
      notices.push(`WARNING: unknown lint option: ${JSON.stringify(option)}`);
    }
  }
  return { duplicates, notices };
}

/** Checks one rule file's text (promtool reads stdin this way). */
export function checkRuleText(
  text: string,
  file: string,
  opts: CheckRulesOptions,
): CheckRulesFileResult {
  const parsed = parseRuleFile(text, file, opts);
  const base = { file, errors: parsed.errors, warnings: parsed.warnings };
  if (parsed.errors.length) return { ...base, status: 'failed', ruleCount: 0, duplicates: [] };
  const duplicates = lintSettings(opts.lint).duplicates ? findDuplicateRules(parsed.groups) : [];
  if (duplicates.length) return { ...base, status: 'lint', ruleCount: 0, duplicates };
  const ruleCount = parsed.groups.reduce((n, g) => n + g.rules.length, 0);
  return { ...base, status: 'success', ruleCount, duplicates };
}

/**
 * Reads and checks each file, as `promtool check rules FILE…` does; an unreadable file
 * fails with its read error.
 */
export async function checkRules(
  files: readonly string[],
  fs: { readTextFile(path: string): Promise<string> },
  opts: CheckRulesOptions,
): Promise<CheckRulesResult> {
  const results: CheckRulesFileResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readTextFile(file);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      results.push({
        file,
        status: 'failed',
        ruleCount: 0,
        errors: [new ConfigError(file, 1, 1, [], `cannot read rule file: ${message}`)],
        duplicates: [],
        warnings: [],
      });
      continue;
    }
    results.push(checkRuleText(text, file, opts));
  }
  return summarizeCheck(results, opts);
}

/** Combines per-file verdicts into promtool's exit code. */
export function summarizeCheck(
  files: readonly CheckRulesFileResult[],
  opts: Pick<CheckRulesOptions, 'lint' | 'lintFatal'> = {},
): CheckRulesResult {
  const hasErrors = files.some((f) => f.status === 'failed');
  const hasLint = files.some((f) => f.status === 'lint');
  const exitCode = hasErrors ? 1 : hasLint && opts.lintFatal ? 3 : 0;
  return { files, exitCode, notices: lintSettings(opts.lint).notices };
}

/**
 * Rules whose name and label set (group labels, then the rule's) equal another rule's,
 * each reported once, sorted by name then labels.
 */
export function findDuplicateRules(groups: readonly RuleGroupSpec[]): DuplicateRule[] {
  const all: DuplicateRule[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      const metric = r.kind === 'alerting' ? r.alert : r.record;
      all.push({ metric, labels: Labels.from({ ...g.labels, ...r.labels }) });
    }
  }
  const cmp = (a: DuplicateRule, b: DuplicateRule) =>
    compareStrings(a.metric, b.metric) || a.labels.compare(b.labels);
  all.sort(cmp);
  const out: DuplicateRule[] = [];
  for (let i = 1; i < all.length; i++) {
    if (cmp(all[i - 1], all[i]) !== 0) continue;
    if (out.length === 0 || cmp(out[out.length - 1], all[i]) !== 0) out.push(all[i]);
  }
  return out;
}

/** promtool's text for a duplicate-rules lint finding (several lines). */
export function formatDuplicates(duplicates: readonly DuplicateRule[]): string {
  let s = `lint error ${duplicates.length} duplicate rule(s) found.\n`;
  for (const d of duplicates) {
    s += `Metric: ${d.metric}\nLabel(s):\n`;
    d.labels.forEach((name, value) => {
      s += `\t${name}: ${value}\n`;
    });
  }
  return s + 'Might cause inconsistency while recording expressions';
}

/**
 * The report promtool prints: `Checking FILE`, then `  SUCCESS: N rules found` or
 * `  FAILED:` and one error per line (on stderr), then a blank line.
 */
export function formatCheckRules(result: CheckRulesResult): ReportLine[] {
  const lines: ReportLine[] = [];
  const out = (text: string) => lines.push({ stream: 'stdout', text });
  const err = (text: string) => lines.push({ stream: 'stderr', text });
  for (const n of result.notices) out(n);
  for (const f of result.files) {
    out(`Checking ${f.file}`);
    if (f.status === 'success') out(`  SUCCESS: ${f.ruleCount} rules found`);
    else {
      err('  FAILED:');
      for (const e of f.errors) err(e.toString());
      if (f.status === 'lint') {
        for (const l of formatDuplicates(f.duplicates).split('\n')) err(l);
      }
    }
    // promtool skips the blank line after a file with errors.
    if (f.status !== 'failed') out('');
  }
  return lines;
}
