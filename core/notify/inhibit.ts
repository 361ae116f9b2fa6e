/**
 * Inhibition: a firing alert matching a rule's source matchers mutes alerts matching its
 * target matchers when both have the same values for the rule's `equal` labels. When the muted
 * alert also matches the source side, source alerts that match both sides are ignored, so an
 * alert never inhibits itself and two such alerts never inhibit each other.
 * @module
 */
import { type Labels, Matcher } from '../model/mod.ts';
import { type Alert, fingerprint, isResolved } from './alert.ts';
import type { InhibitRuleConfig } from './config.ts';
import { parseMatchers } from './matchers.ts';

/** A compiled inhibition rule. */
export interface InhibitRule {
  readonly name: string;
  readonly source: readonly Matcher[];
  readonly target: readonly Matcher[];
  readonly equal: readonly string[];
}

function matchersOf(
  eq: Record<string, string> | undefined,
  re: Record<string, string> | undefined,
  lines: readonly string[] | undefined,
): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, val] of Object.entries(eq ?? {})) out.push(Matcher.create('=', k, val));
  for (const [k, val] of Object.entries(re ?? {})) out.push(Matcher.create('=~', k, val));
  for (const l of lines ?? []) out.push(...parseMatchers(l));
  return out;
}

/** Compiles the validated `inhibit_rules`. */
export function compileInhibitRules(rules: readonly InhibitRuleConfig[]): InhibitRule[] {
  return rules.map((r) => ({
    name: r.name ?? '',
    source: matchersOf(r.source_match, r.source_match_re, r.source_matchers),
    target: matchersOf(r.target_match, r.target_match_re, r.target_matchers),
    equal: r.equal ?? [],
  }));
}

const matchesAll = (ms: readonly Matcher[], l: Labels) => ms.every((m) => m.matches(l.get(m.name)));

/** Decides which alerts are muted by inhibition, given the alerts currently known. */
export class Inhibitor {
  readonly rules: readonly InhibitRule[];
  readonly #alerts: () => Iterable<Alert>;
  readonly #now: () => number;

  constructor(rules: readonly InhibitRule[], alerts: () => Iterable<Alert>, now: () => number) {
    this.rules = rules;
    this.#alerts = alerts;
    this.#now = now;
  }

  /** Fingerprints of the firing alerts that inhibit an alert with `labels` (empty: not muted). */
  mutedBy(labels: Labels): string[] {
    const now = this.#now();
    const self = fingerprint(labels);
    for (const rule of this.rules) {
      if (!matchesAll(rule.target, labels)) continue;
      const twoSided = matchesAll(rule.source, labels);
      for (const a of this.#alerts()) {
        if (isResolved(a, now) || !matchesAll(rule.source, a.labels)) continue;
        if (twoSided && matchesAll(rule.target, a.labels)) continue;
        if (!rule.equal.every((n) => a.labels.get(n) === labels.get(n))) continue;
        const fp = fingerprint(a.labels);
        if (fp !== self) return [fp];
      }
    }
    return [];
  }
}
