/**
 * Relabel rules (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`,
 * `alert_relabel_configs`): defaults and Prometheus's per-action validation.
 *
 * The config keeps each `regex` as its source text (so it prints back unchanged); it is
 * compiled once here to reject bad patterns, and {@link relabelRegex} hands out the anchored
 * compiled form, cached per rule, to the code that applies the rules.
 * @module
 */

import * as v from 'valibot';
import { compileRegex, isValidUTF8Name } from '../model/mod.ts';
import { nonNull, str, strict, uint } from './schema_helpers.ts';
import { goQuote } from '../model/matcher.ts';

/** Every relabel action Prometheus knows. */
export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

/** A relabel action name. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** The defaults Prometheus applies to an omitted relabel field. */
export const RELABEL_DEFAULTS = {
  separator: ';',
  regex: '(.*)',
  replacement: '$1',
  action: 'replace',
} as const;

// A target label (or labelmap replacement) made of name characters and $1/${name} references.
const RELABEL_TARGET_RE = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

// YAML `key:` (null) means Go's zero value, the empty string, not the default.
const nullableStr = (dflt: string) =>
  v.pipe(v.optional(v.nullable(str), dflt), v.transform((s) => s ?? ''));

const actionSchema = v.pipe(
  v.optional(v.nullable(str), 'replace'),
  v.transform((s) => (s ?? '').toLowerCase()),
  v.check(
    (s) => s === '' || (RELABEL_ACTIONS as readonly string[]).includes(s),
    (issue) => `unknown relabel action ${JSON.stringify(issue.input)}`,
  ),
);

const relabelObject = strict('relabel_config', {
  source_labels: v.optional(v.nullable(v.array(str)), undefined),
  separator: nullableStr(RELABEL_DEFAULTS.separator),
  regex: nullableStr(RELABEL_DEFAULTS.regex),
  modulus: v.optional(v.nullable(uint), 0),
  target_label: nullableStr(''),
  replacement: nullableStr(RELABEL_DEFAULTS.replacement),
  action: actionSchema,
});

/** One validated relabel rule. */
export interface RelabelConfig {
  /** Labels whose values are joined with `separator` to form the input. */
  source_labels?: string[];
  separator: string;
  /** The regex source (unanchored text, as written); see {@link relabelRegex}. */
  regex: string;
  modulus: number;
  target_label: string;
  replacement: string;
  action: RelabelAction;
}

/** Prometheus's relabel Config.Validate, returning the first rule broken or `undefined`. */
export function checkRelabel(c: {
  source_labels?: string[] | null;
  separator: string;
  regex: string;
  modulus: number | null;
  target_label: string;
  replacement: string;
  action: string;
}): { field: string; message: string } | undefined {
  const a = c.action;
  const d = RELABEL_DEFAULTS;
  if (a === '') return { field: 'action', message: 'relabel action cannot be empty' };
  try {
    compileRegex(c.regex, { anchored: true });
  } catch (e) {
    return { field: 'regex', message: (e as Error).message };
  }
  if (a === 'hashmod' && !c.modulus) {
    return {
      field: 'modulus',
      message: 'relabel configuration for hashmod requires non-zero modulus',
    };
  }
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(a) && c.target_label === '') {
    return {
      field: 'action',
      message: `relabel configuration for ${a} action requires 'target_label' value`,
    };
  }
  const badTarget = {
    field: 'target_label',
    message: `${goQuote(c.target_label)} is invalid 'target_label' for ${a} action`,
  };
  if (a === 'replace') {
    const ok = c.target_label.includes('$')
      ? RELABEL_TARGET_RE.test(c.target_label)
      : isValidUTF8Name(c.target_label);
    if (!ok) return badTarget;
  }
  const noReplacement = ['lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (noReplacement.includes(a) && !isValidUTF8Name(c.target_label)) return badTarget;
  if (noReplacement.includes(a) && c.replacement !== d.replacement) {
    return { field: 'replacement', message: `'replacement' can not be set for ${a} action` };
  }
  if (a === 'labelmap' && !RELABEL_TARGET_RE.test(c.replacement)) {
    return {
      field: 'replacement',
      message: `${goQuote(c.replacement)} is invalid 'replacement' for ${a} action`,
    };
  }
  if (a === 'hashmod' && !isValidUTF8Name(c.target_label)) return badTarget;
  if (
    (a === 'keepequal' || a === 'dropequal') &&
    (c.regex !== d.regex || c.modulus || c.separator !== d.separator ||
      c.replacement !== d.replacement)
  ) {
    return {
      field: 'action',
      message:
        `${a} action requires only 'source_labels' and \`target_label\`, and no other fields`,
    };
  }
  if (
    (a === 'labeldrop' || a === 'labelkeep') &&
    (c.source_labels != null || c.target_label !== '' || c.modulus ||
      c.separator !== d.separator || c.replacement !== d.replacement)
  ) {
    return { field: 'action', message: `${a} action requires only 'regex', and no other fields` };
  }
  return undefined;
}

/** One relabel rule; a null list item is rejected with `emptyMessage` (Prometheus's wording). */
export function relabelConfigSchema(emptyMessage: string): v.GenericSchema<unknown, RelabelConfig> {
  return nonNull(
    v.pipe(
      relabelObject,
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const problem = checkRelabel(dataset.value);
        if (!problem) return;
        addIssue({
          message: problem.message,
          path: [{
            type: 'object',
            origin: 'value',
            input: dataset.value,
            key: problem.field,
            value: (dataset.value as Record<string, unknown>)[problem.field],
          }],
        });
      }),
      v.transform((c) => {
        const out: RelabelConfig = {
          ...(c.source_labels ? { source_labels: c.source_labels } : {}),
          separator: c.separator,
          regex: c.regex,
          modulus: c.modulus ?? 0,
          target_label: c.target_label,
          replacement: c.replacement,
          action: c.action as RelabelAction,
        };
        return out;
      }),
    ),
    emptyMessage,
  ) as v.GenericSchema<unknown, RelabelConfig>;
}

/** A list of relabel rules. */
export function relabelListSchema(emptyMessage: string): v.GenericSchema<unknown, RelabelConfig[]> {
  return v.array(relabelConfigSchema(emptyMessage), 'expected a list of relabel rules');
}

const compiled = new WeakMap<RelabelConfig, RegExp>();

/** The rule's regex compiled with Prometheus's full anchoring (`^(?:…)$`), cached per rule. */
export function relabelRegex(rule: RelabelConfig): RegExp {
  let re = compiled.get(rule);
  if (!re) {
    re = compileRegex(rule.regex, { anchored: true });
    compiled.set(rule, re);
  }
  return re;
}
