/**
 * The shapes of a loaded rule file: groups of recording and alerting rules, as Prometheus's
 * rule-file format writes them, plus where each came from.
 * @module
 */

import type { Duration, Position } from '../config/mod.ts';

/** A recording rule: `record` names the series that `expr`'s result is stored as. */
export interface RecordingRuleSpec {
  /** Discriminant. */
  readonly kind: 'recording';
  /** The metric name the result is written under. */
  readonly record: string;
  /** The PromQL expression, as written. */
  readonly expr: string;
  /** Labels added to (or overriding) the result's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Where the rule starts in its file. */
  readonly position: Position;
}

/** An alerting rule: each sample of `expr`'s result is an alert named `alert`. */
export interface AlertingRuleSpec {
  /** Discriminant. */
  readonly kind: 'alerting';
  /** The alert name (the `alertname` label). */
  readonly alert: string;
  /** The PromQL expression, as written. */
  readonly expr: string;
  /** How long an alert stays pending before it fires (0: fires at once). */
  readonly for: Duration;
  /** How long a firing alert keeps firing after its condition clears. */
  readonly keep_firing_for: Duration;
  /** Labels (templates) added to each alert. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations (templates) of each alert. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Where the rule starts in its file. */
  readonly position: Position;
}

/** One rule of a group. */
export type RuleSpec = RecordingRuleSpec | AlertingRuleSpec;

/** A rule group: rules evaluated in order at one interval. */
export interface RuleGroupSpec {
  /** The file the group was read from (as given to the loader). */
  readonly file: string;
  /** The group name, unique within its file. */
  readonly name: string;
  /** The evaluation interval; `undefined` (absent or `0`) means the global `evaluation_interval`. */
  readonly interval?: Duration;
  /** How far back queries are shifted; `undefined` means the global `rule_query_offset`. */
  readonly query_offset?: Duration;
  /** Series (recording) or alerts (alerting) a rule may produce; 0 means no limit. */
  readonly limit: number;
  /** Labels added to every rule's output; the rule's own labels win. */
  readonly labels: Readonly<Record<string, string>>;
  /** The rules, in evaluation order. */
  readonly rules: readonly RuleSpec[];
  /** Where the group starts in its file. */
  readonly position: Position;
}

/**
 * Checks a PromQL expression; throws (anything with a `message`) when it does not parse.
 * The lead passes the PromQL plugin's `parseExpr`; core cannot import plugins.
 */
export type ExprParser = (text: string) => unknown;

/**
 * Checks the syntax of one label or annotation template; throws (anything with a `message`,
 * e.g. `template: __alert_X:1: undefined variable "$label"`) when it does not parse. `text`
 * already starts with the definitions Prometheus prepends (`{{$labels := .Labels}}`,
 * `$externalLabels`, `$externalURL`, `$value`); `name` is `__alert_<alertname>`.
 */
export type TemplateChecker = (text: string, name: string) => void;

/** Options of {@link parseRuleFile} and the loaders built on it. */
export interface RuleFileOptions {
  /** The PromQL parser that every `expr` must satisfy. */
  parseExpr: ExprParser;
  /**
   * The template syntax check for alerting rules' labels and annotations. Defaults to
   * a parse with core/template (Go's text/template rules); `false` switches template checking off.
   */
  checkTemplate?: TemplateChecker | false;
  /** Accept (and ignore) keys the format does not know, like `--ignore-unknown-fields`. */
  ignoreUnknownFields?: boolean;
  /** Metric and label name rules: `utf8` (Prometheus 3's default) or `legacy`. */
  nameValidation?: 'utf8' | 'legacy';
}
