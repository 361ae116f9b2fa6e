/**
 * Label matchers (`name="v"`, `!=`, `=~`, `!~`) with Prometheus semantics: regexes are RE2,
 * fully anchored, `.` matches newline, and a missing label counts as the empty string.
 * @module
 */
import type { Labels } from './labels.ts';
import { isLegacyLabelName } from './names.ts';
import { cachedRegex, type RegexMatcher } from './regex.ts';

/** The four matcher operators. */
export type MatchType = '=' | '!=' | '=~' | '!~';

const MATCH_TYPES: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);

/** Whether `s` is one of the matcher operators. */
export function isMatchType(s: string): s is MatchType {
  return MATCH_TYPES.has(s);
}

/** One label matcher; immutable. Build with {@link Matcher.create} or {@link newMatcher}. */
export class Matcher {
  /** The operator. */
  readonly type: MatchType;
  /** The label name. */
  readonly name: string;
  /** The value or, for `=~`/`!~`, the RE2 source. */
  readonly value: string;
  readonly #re: RegexMatcher | undefined;

  private constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.#re = type === '=~' || type === '!~' ? cachedRegex(value) : undefined;
  }

  /**
   * A matcher; regex values are compiled (and cached) here.
   * @throws {RegexSyntaxError} for a regex RE2 rejects.
   * @throws {TypeError} for an unknown operator.
   */
  static create(type: MatchType, name: string, value: string): Matcher {
    if (!isMatchType(type)) throw new TypeError(`unknown match type ${JSON.stringify(type)}`);
    return new Matcher(type, name, value);
  }

  /** Whether a label value satisfies this matcher (pass '' for a missing label). */
  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.#re!.matches(v);
      case '!~':
        return !this.#re!.matches(v);
    }
  }

  /** Whether the empty string (an absent label) satisfies this matcher. */
  get matchesEmpty(): boolean {
    return this.matches('');
  }

  /** Whether this is `=~` or `!~`. */
  get isRegex(): boolean {
    return this.#re !== undefined;
  }

  /** The compiled regex of a `=~`/`!~` matcher. */
  get regex(): RegexMatcher | undefined {
    return this.#re;
  }

  /**
   * The exact values an `=` or `=~` matcher accepts when that set is finite and known
   * (`=~"a|b"` gives `['a', 'b']`), so an index can look them up instead of scanning.
   */
  setMatches(): readonly string[] | undefined {
    if (this.type === '=') return [this.value];
    if (this.type === '=~') return this.#re!.setMatches;
    return undefined;
  }

  /** The matcher with the opposite operator (`=` ⇄ `!=`, `=~` ⇄ `!~`). */
  inverse(): Matcher {
    const inv: Record<MatchType, MatchType> = { '=': '!=', '!=': '=', '=~': '!~', '!~': '=~' };
    return new Matcher(inv[this.type], this.name, this.value);
  }

  /** Prometheus's rendering: `name="value"`, with the name quoted when it is not legacy. */
  toString(): string {
    const name = isLegacyLabelName(this.name) ? this.name : goQuote(this.name);
    return `${name}${this.type}${goQuote(this.value)}`;
  }
}

/**
 * Shorthand for {@link Matcher.create}.
 * @throws {RegexSyntaxError} for a regex RE2 rejects.
 */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  return Matcher.create(type, name, value);
}

/** Whether `labels` satisfies every matcher; a missing label has the value ''. */
export function matchLabels(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/v;

/**
 * Quotes `s` as Go's `strconv.Quote` does (the form Prometheus prints matchers and label
 * values in): `"` and `\` escaped, control and non-printable characters as escapes.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 11) out += '\\v';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else if (c < 0x80) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xdc80 && c <= 0xdcff) {
      // Surrogate-escaped raw byte (how the config loader keeps invalid UTF-8): Go prints `\xNN`.
      out += '\\x' + (c - 0xdc00).toString(16).padStart(2, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8; Go prints the bytes of its 3-byte encoding.
      for (const b of [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]) {
        out += '\\x' + b.toString(16);
      }
    } else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}
