/**
 * `label_replace` and `label_join`.
 * @module
 */
import { cachedRegex, isValidUTF8Name, type RegexMatcher } from '../../../core/model/mod.ts';
import type { Call } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { type Evaluator, mergeByLabels } from './evaluator.ts';
import { seriesArray, type Value } from './values.ts';

function stringArg(ev: Evaluator, e: Call, i: number): string {
  const v = ev.eval(e.args[i]);
  if (v.kind !== 'string') throw execError(`expected a string argument to ${e.func.name}()`);
  return v.val;
}

/** `label_replace(v, dst, replacement, src, regex)`. */
export function labelReplace(ev: Evaluator, e: Call): Value {
  const dst = stringArg(ev, e, 1);
  const repl = stringArg(ev, e, 2);
  const src = stringArg(ev, e, 3);
  const regexSrc = stringArg(ev, e, 4);
  let re: RegexMatcher;
  try {
    re = cachedRegex(regexSrc);
  } catch (err) {
    throw execError(`invalid regular expression in label_replace(): ${(err as Error).message}`);
  }
  if (!isValidUTF8Name(dst)) {
    throw execError(`invalid destination label name in label_replace(): ${dst}`);
  }
  const series = seriesArray(ev.evalVector(e.args[0]));
  for (const s of series) {
    const m = re.regex.exec(s.labels.get(src));
    if (m === null) continue;
    const value = expand(repl, m, re.groupNames);
    s.labels = s.labels.builder().set(dst, value).labels();
    if (dst === '__name__') s.dropName = false;
  }
  return { kind: 'vector', series: mergeByLabels(series) };
}

/** `label_join(v, dst, separator, src...)`. */
export function labelJoin(ev: Evaluator, e: Call): Value {
  const dst = stringArg(ev, e, 1);
  const sep = stringArg(ev, e, 2);
  const srcs: string[] = [];
  for (let i = 3; i < e.args.length; i++) {
    const s = stringArg(ev, e, i);
    if (!isValidUTF8Name(s)) throw execError(`invalid source label name in label_join(): ${s}`);
    srcs.push(s);
  }
  if (!isValidUTF8Name(dst)) {
    throw execError(`invalid destination label name in label_join(): ${dst}`);
  }
  const series = seriesArray(ev.evalVector(e.args[0]));
  for (const s of series) {
    const value = srcs.map((n) => s.labels.get(n)).join(sep);
    s.labels = s.labels.builder().set(dst, value).labels();
    if (dst === '__name__') s.dropName = false;
  }
  return { kind: 'vector', series: mergeByLabels(series) };
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's `regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expand(tpl: string, m: RegExpExecArray, names: readonly string[]): string {
  let out = '';
  let i = 0;
  while (i < tpl.length) {
    const c = tpl[i];
    if (c !== '$' || i + 1 >= tpl.length) {
      out += c;
      i++;
      continue;
    }
    if (tpl[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let j = i + 1;
    const brace = tpl[j] === '{';
    if (brace) j++;
    const start = j;
    while (j < tpl.length && NAME_CHAR.test(tpl[j])) j++;
    const name = tpl.slice(start, j);
    if (name === '' || (brace && tpl[j] !== '}')) {
      out += '$';
      i++;
      continue;
    }
    if (brace) j++;
    out += group(name, m, names);
    i = j;
  }
  return out;
}

function group(name: string, m: RegExpExecArray, names: readonly string[]): string {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n < m.length ? m[n] ?? '' : '';
  }
  for (let g = 1; g < names.length; g++) if (names[g] === name) return m[g] ?? '';
  return '';
}
