/**
 * Relabelling: Prometheus's `relabel_configs` / `metric_relabel_configs` actions applied to a
 * label set, in order, until one drops it.
 *
 * @example
 * ```ts
 * const out = relabelLabels(Labels.from({ __address__: 'a:9100' }), [
 *   { source_labels: ['__address__'], regex: '(.*):.*', target_label: 'host',
 *     replacement: '$1', separator: ';', modulus: 0, action: 'replace' },
 * ]);
 * out?.get('host'); // 'a'
 * ```
 * @module
 */
import { cachedRegex, isValidUTF8Name, type Labels, type LabelsBuilder } from '../model/mod.ts';
import type { RelabelConfig } from '../config/relabel.ts';
import { expandTemplate } from './expand.ts';
import { hashMod } from './md5.ts';

const DEFAULT_REGEX = '(.*)';

/**
 * Applies `rules` to `lb` in order. Returns false as soon as a rule drops the set (keep, drop,
 * keepequal, dropequal); `lb` then holds a partial result that callers must discard.
 */
export function relabelBuilder(lb: LabelsBuilder, rules: readonly RelabelConfig[]): boolean {
  for (let i = 0; i < rules.length; i++) if (!applyRule(lb, rules[i])) return false;
  return true;
}

/** Applies `rules` to `labels`; `undefined` when a rule drops the set. */
export function relabelLabels(
  labels: Labels,
  rules: readonly RelabelConfig[],
): Labels | undefined {
  if (rules.length === 0) return labels;
  const lb = labels.builder();
  return relabelBuilder(lb, rules) ? lb.labels() : undefined;
}

function sourceValue(lb: LabelsBuilder, rule: RelabelConfig): string {
  const src = rule.source_labels;
  if (!src || src.length === 0) return '';
  if (src.length === 1) return lb.get(src[0]);
  let val = lb.get(src[0]);
  for (let i = 1; i < src.length; i++) val += rule.separator + lb.get(src[i]);
  return val;
}

// A snapshot, since the builder is modified while its labels are walked.
function currentLabels(lb: LabelsBuilder): [string, string][] {
  const out: [string, string][] = [];
  lb.forEach((n, v) => out.push([n, v]));
  return out;
}

function applyRule(lb: LabelsBuilder, rule: RelabelConfig): boolean {
  const val = sourceValue(lb, rule);
  switch (rule.action) {
    case 'drop':
      return !cachedRegex(rule.regex).matches(val);
    case 'keep':
      return cachedRegex(rule.regex).matches(val);
    case 'dropequal':
      return lb.get(rule.target_label) !== val;
    case 'keepequal':
      return lb.get(rule.target_label) === val;
    case 'replace': {
      const target = rule.target_label, replacement = rule.replacement;
      if (
        val === '' && rule.regex === DEFAULT_REGEX && !target.includes('$') &&
        !replacement.includes('$')
      ) {
        lb.set(target, replacement);
        return true;
      }
      const re = cachedRegex(rule.regex);
      const m = re.regex.exec(val);
      if (m === null) return true;
      const name = target.includes('$') ? expandTemplate(target, m, re.groupNames) : target;
      if (!isValidUTF8Name(name)) return true;
      const res = replacement.includes('$')
        ? expandTemplate(replacement, m, re.groupNames)
        : replacement;
      lb.set(name, res);
      return true;
    }
    case 'lowercase':
      lb.set(rule.target_label, val.toLowerCase());
      return true;
    case 'uppercase':
      lb.set(rule.target_label, val.toUpperCase());
      return true;
    case 'hashmod':
      lb.set(rule.target_label, String(hashMod(val, rule.modulus)));
      return true;
    case 'labelmap': {
      const re = cachedRegex(rule.regex);
      for (const [n, v] of currentLabels(lb)) {
        const m = re.regex.exec(n);
        if (m !== null) lb.set(expandTemplate(rule.replacement, m, re.groupNames), v);
      }
      return true;
    }
    case 'labeldrop': {
      const re = cachedRegex(rule.regex);
      for (const [n] of currentLabels(lb)) if (re.matches(n)) lb.del(n);
      return true;
    }
    case 'labelkeep': {
      const re = cachedRegex(rule.regex);
      for (const [n] of currentLabels(lb)) if (!re.matches(n)) lb.del(n);
      return true;
    }
    default:
      throw new Error(`relabel: unknown relabel action type ${JSON.stringify(rule.action)}`);
  }
}
