/**
 * Alertmanager's matcher syntax as it appears in `matchers:`, `source_matchers:` and amtool:
 * `name="value"`, `name=~"regex"`, `name!=value`, `name!~"re"`, one per string or several in
 * `{…}` separated by commas. Values may be quoted (with `\"`, `\\`, `\n` escapes) or bare.
 * @module
 */
import { Matcher, type MatchType } from '../model/mod.ts';

/** A matcher that cannot be parsed; the message names the input. */
export class MatcherParseError extends Error {
  override name = 'MatcherParseError';
}

const OPS: readonly MatchType[] = ['=~', '!~', '!=', '='];
const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Parses one or more comma-separated matchers, optionally wrapped in braces. */
export function parseMatchers(input: string): Matcher[] {
  let s = input.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new MatcherParseError(`${input}: missing closing '}'`);
    s = s.slice(1, -1);
  }
  const out: Matcher[] = [];
  for (const part of splitOutsideQuotes(s, input)) {
    if (part.trim() === '') continue;
    out.push(parseMatcher(part, input));
  }
  return out;
}

function splitOutsideQuotes(s: string, input: string): string[] {
  const parts: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new MatcherParseError(`${input}: unterminated quoted string`);
  parts.push(cur);
  return parts;
}

/** Parses exactly one matcher such as `severity=~"critical|page"`. */
export function parseMatcher(text: string, whole = text): Matcher {
  const s = text.trim();
  let name: string, rest: string;
  if (s.startsWith('"')) {
    const end = closingQuote(s, 0);
    if (end < 0) throw new MatcherParseError(`${whole}: unterminated quoted label name`);
    name = unquote(s.slice(0, end + 1), whole);
    rest = s.slice(end + 1).trimStart();
  } else {
    const m = /^[^=!~\s]+/.exec(s);
    name = m ? m[0] : '';
    rest = s.slice(name.length).trimStart();
    if (!NAME_RE.test(name)) {
      throw new MatcherParseError(`bad matcher format: ${whole}`);
    }
  }
  const op = OPS.find((o) => rest.startsWith(o));
  if (!op) throw new MatcherParseError(`bad matcher format: ${whole}`);
  let value = rest.slice(op.length).trim();
  if (value.startsWith('"')) {
    if (closingQuote(value, 0) !== value.length - 1) {
      throw new MatcherParseError(`${whole}: invalid quoted value ${value}`);
    }
    value = unquote(value, whole);
  }
  try {
    return Matcher.create(op, name, value);
  } catch (e) {
    throw new MatcherParseError(`${whole}: ${(e as Error).message}`);
  }
}

function closingQuote(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

function unquote(q: string, whole: string): string {
  let out = '';
  for (let i = 1; i < q.length - 1; i++) {
    const c = q[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = q[++i];
    if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === '"' || n === '\\') out += n;
    else throw new MatcherParseError(`${whole}: invalid escape \\${n ?? ''}`);
  }
  return out;
}

/** A matcher in Alertmanager's API form (silences). */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Absent means true, as in Alertmanager's API. */
  isEqual?: boolean;
}

/** The core matcher of an API matcher. */
export function fromApiMatcher(m: ApiMatcher): Matcher {
  const eq = m.isEqual ?? true;
  const type: MatchType = m.isRegex ? (eq ? '=~' : '!~') : eq ? '=' : '!=';
  return Matcher.create(type, m.name, m.value);
}

/** The API form of a core matcher. */
export function toApiMatcher(m: Matcher): ApiMatcher {
  return { name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.type[0] === '=' };
}

/** Alertmanager's text form of a matcher: `name="value"` with Go quoting. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}
