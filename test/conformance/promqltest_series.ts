/**
 * The series notation of PromQL test scripts and promtool unit tests: a series selector
 * followed by values with expansions (`1+2x3`, `5x2`, `_x4`, `stale`, `{{…}}` histograms).
 */
import { Labels } from '../../core/model/mod.ts';
import { parseExpr } from '../../plugins/promql/parser/mod.ts';

/** One expanded value: a float, a stale marker, a gap, or a native histogram (not supported). */
export type SeriesValue =
  | { kind: 'float'; v: number }
  | { kind: 'stale' }
  | { kind: 'gap' }
  | { kind: 'histogram' };

/** Go's `strconv.ParseFloat` for the forms the scripts use. */
export function parseGoFloat(s: string): number {
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (m) return /nan/i.test(m[2]) ? NaN : m[1] === '-' ? -Infinity : Infinity;
  if (s === '' || !/^[+-]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)$/i.test(s)) {
    throw new Error(`invalid number ${JSON.stringify(s)}`);
  }
  if (/^[+-]?0x/i.test(s)) {
    return (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[+-]?0x/i, ''), 16);
  }
  return Number(s);
}

/** Splits a line into the series part and the rest (selector braces may hold spaces). */
export function splitSeries(line: string): [string, string] {
  let i = 0, depth = 0, quote = '';
  for (; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    } else if (depth === 0 && /\s/.test(c)) break;
  }
  return [line.slice(0, i), line.slice(i).trim()];
}

/** Labels of a series written as a selector (`name{a="b"}`, `{__name__="x"}`, `{}`). */
export function parseSeriesLabels(text: string): Labels {
  if (text === '{}') return Labels.EMPTY;
  const e = parseExpr(text);
  if (e.type !== 'VectorSelector') throw new Error(`not a series: ${text}`);
  const rec: Record<string, string> = {};
  for (const m of e.matchers) {
    if (m.type !== '=') throw new Error(`series must use "=" matchers: ${text}`);
    rec[m.name] = m.value;
  }
  return Labels.from(rec);
}

/** Splits values on whitespace, keeping `{{ … }}` histograms whole. */
function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    let j = i, depth = 0;
    while (j < s.length) {
      if (s.startsWith('{{', j)) {
        depth++;
        j += 2;
      } else if (s.startsWith('}}', j)) {
        depth--;
        j += 2;
      } else if (depth === 0 && /\s/.test(s[j])) break;
      else j++;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Expands the values part of a series line. */
export function expandValues(s: string): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const tok of tokens(s)) {
    if (tok.includes('{{')) {
      const m = /x(\d+)$/.exec(tok);
      const n = m ? Number(m[1]) + 1 : 1;
      for (let i = 0; i < n; i++) out.push({ kind: 'histogram' });
      continue;
    }
    if (tok === '_') {
      out.push({ kind: 'gap' });
      continue;
    }
    if (tok === 'stale') {
      out.push({ kind: 'stale' });
      continue;
    }
    const m = /^(.+)x(\d+)$/.exec(tok);
    if (!m) {
      out.push({ kind: 'float', v: parseGoFloat(tok) });
      continue;
    }
    const body = m[1], times = Number(m[2]);
    if (body === '_') {
      for (let i = 0; i < times; i++) out.push({ kind: 'gap' });
      continue;
    }
    let split = -1;
    for (let k = 1; k < body.length; k++) {
      if ((body[k] === '+' || body[k] === '-') && !/[eE]/.test(body[k - 1])) {
        split = k;
        break;
      }
    }
    const start = parseGoFloat(split < 0 ? body : body.slice(0, split));
    const inc = split < 0
      ? 0
      : parseGoFloat(body.slice(split + 1)) * (body[split] === '-' ? -1 : 1);
    // Cumulative, as Prometheus's series grammar adds the increment step by step.
    let v = start;
    for (let i = 0; i <= times; i++) {
      out.push({ kind: 'float', v });
      v += inc;
    }
  }
  return out;
}
