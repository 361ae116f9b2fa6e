/**
 * Loading the rule files that a config's `rule_files` globs name: every match is read and
 * validated, and every error of every file is collected, so that a reload can reject a bad
 * set as a whole and keep the rules it had.
 * @module
 */

import { ConfigError } from '../config/mod.ts';
import { parseRuleFile } from './rule_file.ts';
import type { RuleFileOptions, RuleGroupSpec } from './rule_file_types.ts';

/** File access for {@link loadRuleFiles}; `Host` provides both methods. */
export interface RuleFileFS {
  /** The text of a file. */
  readTextFile(path: string): Promise<string>;
  /** Files matching a glob pattern; matching nothing is fine. */
  expandGlob(pattern: string): Promise<string[]>;
}

/** What {@link loadRuleFiles} found. */
export interface LoadedRules {
  /** Every group of every file, files in pattern order (each pattern's matches sorted). */
  readonly groups: RuleGroupSpec[];
  /** The files read, without repeats. */
  readonly files: string[];
  /** Every error found; when not empty, `groups` must not replace rules already running. */
  readonly errors: ConfigError[];
  /** Non-fatal findings (for logging). */
  readonly warnings: ConfigError[];
}

/**
 * Expands `patterns` (absolute globs, as the loaded config holds them), reads and validates
 * each matching file. Never throws for file problems; they are returned in `errors`.
 */
export async function loadRuleFiles(
  patterns: readonly string[],
  fs: RuleFileFS,
  opts: RuleFileOptions,
): Promise<LoadedRules> {
  const files: string[] = [];
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const groups: RuleGroupSpec[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns) {
    let matches: string[];
    try {
      matches = [...(await fs.expandGlob(pattern))].sort();
    } catch (e) {
      errors.push(new ConfigError(pattern, 1, 1, [], `cannot expand rule file pattern: ${msg(e)}`));
      continue;
    }
    for (const file of matches) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push(file);
      let text: string;
      try {
        text = await fs.readTextFile(file);
      } catch (e) {
        errors.push(new ConfigError(file, 1, 1, [], `cannot read rule file: ${msg(e)}`));
        continue;
      }
      const parsed = parseRuleFile(text, file, opts);
      errors.push(...parsed.errors);
      warnings.push(...parsed.warnings);
      groups.push(...parsed.groups);
    }
  }
  return { groups, files, errors, warnings };
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
