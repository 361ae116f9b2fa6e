/**
 * Prometheus's template functions (humanize*, query helpers, link builders, string helpers,
 * time conversions), with the output formats of Prometheus's template package.
 * @module
 */
import { Labels } from '../model/labels.ts';
import { compileRegex, translateRegex } from '../model/regex.ts';
import { queryEscape } from './builtins.ts';
import { fail, type ParamType, type TemplateFunc } from './exec.ts';
import { formatGoFloat, goQuote } from './format.ts';
import { parseGoFloat } from './literals.ts';
import { g4, GoDuration, GoTime } from './time.ts';
import { GO_TYPE, typeName } from './values.ts';

/** One sample of a query result as the injected query function returns it. */
export interface QuerySample {
  /** The series labels. */
  readonly labels: Labels | Readonly<Record<string, string>>;
  /** The sample value. */
  readonly value: number;
}

/** Runs a PromQL instant query at `timeMs` (the rule's evaluation time). */
export type QueryFunc = (
  expr: string,
  timeMs: number,
) => Promise<readonly QuerySample[]> | readonly QuerySample[];

/** A query result sample as templates see it: `.Labels`, `.Value`. */
export class TemplateSample {
  /** Labels as a `map[string]string`. */
  readonly Labels: Labels;
  /** The value. */
  readonly Value: number;
  constructor(labels: Labels, value: number) {
    this.Labels = labels;
    this.Value = value;
  }
  get [GO_TYPE](): string {
    return '*template.sample';
  }
}

const SAMPLE: ParamType = {
  name: '*template.sample',
  check: (v) => v instanceof TemplateSample,
};
const QUERY_RESULT: ParamType = {
  name: 'template.queryResult',
  check: (v) => Array.isArray(v) && v.every((s) => s instanceof TemplateSample),
};

/** The context Prometheus's functions close over. */
export interface PrometheusFuncContext {
  /** Runs `query`; when absent, `query` fails. */
  readonly query?: QueryFunc;
  /** Evaluation time in milliseconds since the epoch (for `query` and `now`). */
  readonly timeMs: number;
  /** `externalURL` output. */
  readonly externalURL: string;
  /** `pathPrefix` output. */
  readonly pathPrefix: string;
}

/** Converts a function argument to a float64 as Prometheus's `convertToFloat` does. */
export function convertToFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const f = parseGoFloat(v);
    if (f === undefined) fail(`strconv.ParseFloat: parsing ${goQuote(v)}: invalid syntax`);
    if (!Number.isFinite(f) && !/inf|nan/i.test(v)) {
      fail(`strconv.ParseFloat: parsing ${goQuote(v)}: value out of range`);
    }
    return f;
  }
  if (v instanceof GoTime) return v.ms / 1000;
  if (v instanceof GoDuration) return Number(v.ns) / 1e9;
  fail(`can't convert ${typeName(v)} to float`);
}

const SI_BIG = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
const IEC = ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'];

/** Prometheus's `humanize`: SI prefixes and 4 significant digits (`1.235M`, `120m`). */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of SI_BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  for (const p of SI_SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix;
}

/** Prometheus's `humanize1024`: binary prefixes (`1Mi`, `1.177Mi`). */
export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  for (const p of IEC) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

/** Prometheus's `humanizeDuration` of seconds: `1d 1h 0m 0s`, `1.234s`, `100ms`. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v) + 's';
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const total = Math.trunc(v);
    const seconds = total % 60;
    const minutes = Math.trunc(total / 60) % 60;
    const hours = Math.trunc(total / 3600) % 24;
    const days = Math.trunc(total / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = '';
  for (const p of SI_SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

/** Prometheus's `humanizePercentage`: `12.35%`. */
export function humanizePercentage(v: number): string {
  return g4(v * 100) + '%';
}

const INT64_LIMIT = 2 ** 63;

/** Seconds since the epoch to a time, truncated to milliseconds as Prometheus does. */
export function floatToTime(v: number): GoTime {
  const ns = v * 1e9;
  if (ns > INT64_LIMIT || ns < -INT64_LIMIT) {
    fail(
      `${
        formatGoFloat(v)
      } cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  const nsInt = ns >= INT64_LIMIT ? (1n << 63n) - 1n : BigInt(Math.trunc(ns));
  return new GoTime(Number(nsInt / 1_000_000n));
}

/** Prometheus's `humanizeTimestamp`: `2015-06-23 13:19:44.128 +0000 UTC`. */
export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  return floatToTime(v).String();
}

/** Go's `net.SplitHostPort`; `undefined` where Go returns an error. */
export function splitHostPort(hp: string): [string, string] | undefined {
  const i = hp.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  if (hp[0] === '[') {
    const end = hp.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = hp.slice(1, end);
    if (hp.indexOf('[', 1) >= 0 || hp.indexOf(']', end + 1) >= 0) return undefined;
  } else {
    host = hp.slice(0, i);
    if (host.includes(':') || host.includes('[') || host.includes(']')) return undefined;
  }
  return [host, hp.slice(i + 1)];
}

function isIP(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && (o === '0' || o[0] !== '0'));
  if (!s.includes(':') || /[^0-9a-fA-F:.]/.test(s)) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

/** Prometheus's `stripPort`. */
export function stripPort(hp: string): string {
  return splitHostPort(hp)?.[0] ?? hp;
}

/** Prometheus's `stripDomain`: keeps the first DNS label (and the port), leaves IPs alone. */
export function stripDomain(hp: string): string {
  const split = splitHostPort(hp);
  const [host, port] = split ?? [hp, ''];
  if (isIP(host)) return hp;
  const first = host.split('.')[0];
  if (port === '') return first;
  return first.includes(':') ? `[${first}]:${port}` : `${first}:${port}`;
}

/** Go's (deprecated but used) `strings.Title`. */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? upperRune(ch) : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

function upperRune(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

function lowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : ch;
}

const ASCII = /^\p{ASCII}*$/u;

/** Go's `strings.ToUpper` (rune by rune, no special-casing expansions). */
export function toUpper(s: string): string {
  return ASCII.test(s) ? s.toUpperCase() : [...s].map(upperRune).join('');
}

/** Go's `strings.ToLower`. */
export function toLower(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : [...s].map(lowerRune).join('');
}

/** Prometheus's link to the graph page for an expression (`tab` 0 graph, 1 table). */
export function graphLink(expr: string, tab: 0 | 1 = 0): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=${tab}`;
}

interface CompiledRe {
  re: RegExp;
  names: readonly string[];
}

const reCache = new Map<string, CompiledRe>();

function compileGoRegex(pattern: string): CompiledRe {
  let c = reCache.get(pattern);
  if (!c) {
    const t = translateRegex(pattern, { anchored: false, dotAll: false });
    c = {
      re: new RegExp(t.source, t.flags.includes('g') ? t.flags : t.flags + 'g'),
      names: t.groupNames,
    };
    if (reCache.size > 500) reCache.delete(reCache.keys().next().value!);
    reCache.set(pattern, c);
  }
  return c;
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; a name is the longest run of word chars.
function expandReplacement(repl: string, m: RegExpExecArray, names: readonly string[]): string {
  if (!repl.includes('$')) return repl;
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (repl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (repl[i + 1] === '{') {
      const close = repl.indexOf('}', i + 2);
      const inner = close < 0 ? '' : repl.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const w = /^\w+/.exec(repl.slice(i + 1));
      if (w) {
        name = w[0];
        end = i + 1 + w[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    let value: string | undefined;
    if (/^\d+$/.test(name)) value = m[Number(name)];
    else {
      const idx = names.indexOf(name);
      value = idx > 0 ? m[idx] : undefined;
    }
    out += value ?? '';
    i = end - 1;
  }
  return out;
}

/** Go's `Regexp.ReplaceAllString` with RE2 syntax and Go's empty-match rules. */
export function reReplaceAll(pattern: string, repl: string, text: string): string {
  let c: CompiledRe;
  try {
    c = compileGoRegex(pattern);
  } catch (e) {
    fail(`regexp: Compile(${goQuoteBackticks(pattern)}): ${(e as Error).message}`);
  }
  const re = c.re;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let prevMatchEnd = -1;
  let searchPos = 0;
  while (searchPos <= text.length) {
    re.lastIndex = searchPos;
    const m = re.exec(text);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start && start === prevMatchEnd) {
      // Go ignores an empty match right after the previous match.
      searchPos = start + (text.codePointAt(start)! > 0xffff ? 2 : 1);
      if (start >= text.length) break;
      continue;
    }
    out += text.slice(last, start) + expandReplacement(repl, m, c.names);
    last = end;
    prevMatchEnd = end;
    if (end === start) {
      if (start >= text.length) break;
      const step = text.codePointAt(start)! > 0xffff ? 2 : 1;
      out += text.slice(start, start + step);
      last = start + step;
      searchPos = start + step;
    } else searchPos = end;
  }
  return out + text.slice(last);
}

function goQuoteBackticks(s: string): string {
  return s.includes('`') ? goQuote(s) : '`' + s + '`';
}

/** Go's `regexp.MatchString`: unanchored RE2 match. */
export function matchRegex(pattern: string, text: string): boolean {
  return compileRegex(pattern, { anchored: false, dotAll: false }).test(text);
}

function toLabels(l: Labels | Readonly<Record<string, string>>): Labels {
  return l instanceof Labels ? l : Labels.from(l);
}

/** Prometheus's `parseDuration`: a Prometheus duration string to seconds. */
export function parseDurationSeconds(d: string): number {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/
    .exec(d);
  if (d === '0') return 0;
  if (d === '' || !m) fail(`not a valid duration string: ${goQuote(d)}`);
  const units = [31536000, 604800, 86400, 3600, 60, 1, 0.001];
  let ms = 0;
  for (let i = 0; i < units.length; i++) if (m[i + 1]) ms += Number(m[i + 1]) * units[i] * 1000;
  return ms / 1000;
}

const fn = (
  params: readonly ParamType[],
  f: TemplateFunc['fn'],
  variadic?: ParamType,
): TemplateFunc => ({ params, fn: f, variadic });

/** Prometheus's template functions that depend on the expansion's context. */
export function contextFuncs(ctx: PrometheusFuncContext): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    [
      'query',
      fn(['string'], async (q: string) => {
        if (!ctx.query) fail('no query function configured');
        const vec = await ctx.query(q, ctx.timeMs);
        const res = vec.map((s) => new TemplateSample(toLabels(s.labels), s.value));
        Object.defineProperty(res, GO_TYPE, { value: 'template.queryResult' });
        return res;
      }),
    ],
    ['now', fn([], () => ctx.timeMs / 1000)],
    ['pathPrefix', fn([], () => ctx.pathPrefix)],
    ['externalURL', fn([], () => ctx.externalURL)],
  ]);
}

const floatFn = (f: (v: number) => unknown) => fn(['any'], (v: unknown) => f(convertToFloat(v)));

/** Prometheus's template functions that need no context, built once. */
export const STATIC_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  [
    'first',
    fn([QUERY_RESULT], (v: TemplateSample[] | null) => {
      if (v && v.length > 0) return v[0];
      fail('first() called on vector with no elements');
    }),
  ],
  [
    'label',
    fn(['string', SAMPLE], (l: string, s: TemplateSample | null) => nonNil(s).Labels.get(l)),
  ],
  ['value', fn([SAMPLE], (s: TemplateSample | null) => nonNil(s).Value)],
  ['strvalue', fn([SAMPLE], (s: TemplateSample | null) => nonNil(s).Labels.get('__value__'))],
  [
    'args',
    fn([], (...a: unknown[]) => {
      const m: Record<string, unknown> = {};
      a.forEach((v, i) => (m[`arg${i}`] = v));
      return m;
    }, 'any'),
  ],
  ['reReplaceAll', fn(['string', 'string', 'string'], reReplaceAll)],
  ['safeHtml', fn(['string'], (s: string) => s)],
  ['match', fn(['string', 'string'], matchRegex)],
  ['title', fn(['string'], title)],
  ['toUpper', fn(['string'], toUpper)],
  ['toLower', fn(['string'], toLower)],
  ['graphLink', fn(['string'], (e: string) => graphLink(e, 0))],
  ['tableLink', fn(['string'], (e: string) => graphLink(e, 1))],
  [
    'sortByLabel',
    fn(['string', QUERY_RESULT], (l: string, v: TemplateSample[] | null) => {
      if (!v) return v;
      return v.sort((a, b) => {
        const x = a.Labels.get(l);
        const y = b.Labels.get(l);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }),
  ],
  ['stripPort', fn(['string'], stripPort)],
  ['stripDomain', fn(['string'], stripDomain)],
  ['humanize', floatFn(humanize)],
  ['humanize1024', floatFn(humanize1024)],
  ['humanizeDuration', floatFn(humanizeDuration)],
  ['humanizePercentage', floatFn(humanizePercentage)],
  ['humanizeTimestamp', floatFn(humanizeTimestamp)],
  [
    'toTime',
    floatFn((v) => {
      if (!Number.isFinite(v)) fail('value is NaN or Inf');
      return floatToTime(v);
    }),
  ],
  ['toDuration', floatFn((v) => new GoDuration(durationNs(v)))],
  ['parseDuration', fn(['string'], parseDurationSeconds)],
  ['urlQueryEscape', fn(['string'], queryEscape)],
]);

function nonNil(s: TemplateSample | null): TemplateSample {
  if (!s) fail('runtime error: invalid memory address or nil pointer dereference');
  return s;
}

// Go's time.Duration(v * 1e9) conversion saturates differently per platform; clamp to int64.
function durationNs(seconds: number): bigint {
  const ns = seconds * 1e9;
  if (Number.isNaN(ns)) return -(1n << 63n);
  if (ns >= INT64_LIMIT) return (1n << 63n) - 1n;
  if (ns <= -INT64_LIMIT) return -(1n << 63n);
  return BigInt(Math.trunc(ns));
}
