/**
 * Rule files: Prometheus's recording and alerting rule format, read from `rule_files` globs
 * and validated with errors that name file, line, column and key path; plus the verdicts of
 * `promtool check rules`.
 *
 * ```ts
 * const { groups, errors } = await loadRuleFiles(config.rule_files, host, { parseExpr });
 * if (errors.length) for (const e of errors) logger.error(e.toString());
 * ```
 * @module
 */

export type {
  AlertingRuleSpec,
  ExprParser,
  RecordingRuleSpec,
  RuleFileOptions,
  RuleGroupSpec,
  RuleSpec,
  TemplateChecker,
} from './rule_file_types.ts';
export { type ParsedRuleFile, parseRuleFile } from './rule_file.ts';
export { type LoadedRules, loadRuleFiles, type RuleFileFS } from './rule_file_load.ts';
export {
  checkRules,
  type CheckRulesFileResult,
  type CheckRulesOptions,
  type CheckRulesResult,
  checkRuleText,
  type DuplicateRule,
  findDuplicateRules,
  formatCheckRules,
  formatDuplicates,
  type ReportLine,
  summarizeCheck,
} from './rule_file_check.ts';
export type {
  InstantSample,
  OutputSample,
  Rule,
  RuleEvalContext,
  RuleHealth,
  RuleQueryFn,
  RuleQueryOrigin,
} from './rule.ts';
export { DUPLICATE_RECORDING_LABELSET, RecordingRule } from './recording_rule.ts';
export {
  AlertingRule,
  type AlertState,
  DUPLICATE_ALERT_LABELSET,
  needsSending,
  RESOLVED_RETENTION_MS,
  type RuleAlert,
  tableLink,
} from './alerting_rule.ts';
export {
  type GroupDefaults,
  type GroupDeps,
  groupHash,
  groupKey,
  RuleGroup,
  RuleMetrics,
} from './group.ts';
export {
  DEFAULT_RESEND_DELAY_MS,
  RuleManager,
  type RuleManagerOptions,
  type RuleUpdateOptions,
} from './manager.ts';
export { formatValueE, goTimeJSON, rulesApi, type RulesApiOptions } from './api.ts';
export {
  formatUnitTestResults,
  runRuleUnitTests,
  type UnitTestDeps,
  type UnitTestFileResult,
  type UnitTestOptions,
} from './unittest.ts';
