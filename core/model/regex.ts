/**
 * Prometheus regular expressions in JavaScript. Prometheus uses Go's RE2 syntax, fully anchored
 * and with `.` matching newline (3.x compiles `^(?s:<re>)$`). JavaScript's RegExp differs from
 * RE2 in syntax and meaning (`\s`, `$`, `.`, case folding, lookarounds, back-references), so
 * this module parses RE2 source itself, rejects what RE2 rejects with Go's error messages, and
 * emits an equivalent RegExp using the `v` flag.
 * @module
 */

/** A regex that RE2 (and therefore Prometheus) would reject; the message follows Go's wording. */
export class RegexSyntaxError extends Error {
  /** Go's error code text, e.g. `invalid escape sequence`. */
  readonly code: string;
  /** The offending fragment of the expression, as Go reports it. */
  readonly expr: string;
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'RegexSyntaxError';
    this.code = code;
    this.expr = expr;
  }
}

/** Options for {@link compileRegex} and {@link translateRegex}. */
export interface RegexOptions {
  /** Match the whole input only (Prometheus semantics). Default true. */
  anchored?: boolean;
  /** Let `.` match newline, as Prometheus 3 does. Default true. */
  dotAll?: boolean;
  /**
   * Express mixed case sensitivity by expanding letters into classes (`[kK\u{212a}]`) even
   * where the engine has `(?i:...)` groups; it is chosen automatically where it has none.
   */
  expandCaseFolding?: boolean;
}

/** The JavaScript form of an RE2 expression. */
export interface TranslatedRegex {
  /** Source for `new RegExp(source, flags)`. */
  readonly source: string;
  /** Flags for `new RegExp`: always `v`, plus `i` when the whole expression is case-insensitive. */
  readonly flags: string;
  /** Capture group names by group number (index 0 unused); '' for unnamed groups. */
  readonly groupNames: readonly string[];
}

const MAX_REPEAT = 1000;
const MAX_RUNE = 0x10ffff;
// Go's limit on compiled program size (128 MiB of 40-byte instructions).
const MAX_SIZE = Math.floor((128 << 20) / 40);
const MAX_DEPTH = 1000;
const REPEAT_RE = /\{(\d+)(?:,(\d*))?\}/y;

const E_CHAR_RANGE = 'invalid character class range';
const E_ESCAPE = 'invalid escape sequence';
const E_NAMED = 'invalid named capture';
const E_PERL = 'invalid or unsupported Perl syntax';
const E_REPEAT_OP = 'invalid nested repetition operator';
const E_REPEAT_SIZE = 'invalid repeat count';
const E_UTF8 = 'invalid UTF-8';
const E_BRACKET = 'missing closing ]';
const E_PAREN = 'missing closing )';
const E_MISSING_ARG = 'missing argument to repetition operator';
const E_TRAILING = 'trailing backslash at end of expression';
const E_UNEXPECTED = 'unexpected )';
const E_DEPTH = 'expression nests too deeply';
const E_LARGE = 'expression too large';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** A character class: sorted, merged code point ranges plus JS class fragments (`\p{L}`). */
interface ClassNode {
  t: 'class';
  ranges: number[];
  parts: string[];
  negated: boolean;
  fold: boolean;
}

type Node =
  | { t: 'empty' }
  | { t: 'lit'; cp: number; fold: boolean }
  | ClassNode
  | { t: 'any'; nl: boolean }
  | { t: 'assert'; kind: 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb' }
  | { t: 'cap'; index: number; name: string; sub: Node }
  | { t: 'concat'; subs: Node[] }
  | { t: 'alt'; subs: Node[] }
  | { t: 'repeat'; min: number; max: number; greedy: boolean; sub: Node };

// ---------------------------------------------------------------------------------------------
// Character sets

const PERL_CLASSES: Record<string, number[]> = {
  d: [0x30, 0x39],
  s: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};

const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

// Go's unicode.Scripts (plus the Unicode 16 additions JS engines know), keyed by canonical name.
const SCRIPTS = [
  'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak',
  'Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian',
  'Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot',
  'Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs',
  'Elbasan Elymaic Ethiopic Garay Georgian Glagolitic Gothic Grantha Greek Gujarati',
  'Gunjala_Gondi Gurmukhi Gurung_Khema Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew',
  'Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese',
  'Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi',
  'Kirat_Rai Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar',
  'Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui',
  'Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean',
  'Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki',
  'Ol_Onal Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian',
  'Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene',
  'Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada',
  'Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Sunuwar',
  'Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut',
  'Telugu Thaana Thai Tibetan Tifinagh Tirhuta Todhri Toto Tulu_Tigalari Ugaritic Vai Vithkuqi',
  'Wancho Warang_Citi Yezidi Yi Zanabazar_Square',
].join(' ').split(' ');

// General categories: short name → aliases Go accepts (Go 1.25 added the long names).
const CATEGORIES: Record<string, string> = {
  C: 'Other',
  Cc: 'Control cntrl',
  Cf: 'Format',
  Cn: 'Unassigned',
  Co: 'Private_Use',
  Cs: 'Surrogate',
  L: 'Letter',
  LC: 'Cased_Letter',
  Ll: 'Lowercase_Letter',
  Lm: 'Modifier_Letter',
  Lo: 'Other_Letter',
  Lt: 'Titlecase_Letter',
  Lu: 'Uppercase_Letter',
  M: 'Mark Combining_Mark',
  Mc: 'Spacing_Mark',
  Me: 'Enclosing_Mark',
  Mn: 'Nonspacing_Mark',
  N: 'Number',
  Nd: 'Decimal_Number digit',
  Nl: 'Letter_Number',
  No: 'Other_Number',
  P: 'Punctuation punct',
  Pc: 'Connector_Punctuation',
  Pd: 'Dash_Punctuation',
  Pe: 'Close_Punctuation',
  Pf: 'Final_Punctuation',
  Pi: 'Initial_Punctuation',
  Po: 'Other_Punctuation',
  Ps: 'Open_Punctuation',
  S: 'Symbol',
  Sc: 'Currency_Symbol',
  Sk: 'Modifier_Symbol',
  Sm: 'Math_Symbol',
  So: 'Other_Symbol',
  Z: 'Separator',
  Zl: 'Line_Separator',
  Zp: 'Paragraph_Separator',
  Zs: 'Space_Separator',
};

let unicodeNames: Map<string, string> | undefined;

/** Go's canonical lookup form: first letter upper, the rest lower, no `_`, `-` or space. */
function canonicalName(name: string): string {
  const s = name.replace(/[_\- ]/g, '');
  return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
}

/** Maps a canonical RE2 Unicode class name to the JS class content for it. */
function unicodeClassNames(): Map<string, string> {
  if (unicodeNames) return unicodeNames;
  const m = new Map<string, string>();
  for (const s of SCRIPTS) m.set(canonicalName(s), `\\p{Script=${s}}`);
  for (const [short, aliases] of Object.entries(CATEGORIES)) {
    // Go's C is Cc|Cf|Co|Cs; JS's C also holds unassigned code points.
    const js = short === 'C' ? '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]' : `\\p{${short}}`;
    m.set(canonicalName(short), js);
    for (const a of aliases.split(' ')) m.set(canonicalName(a), js);
  }
  m.set('Any', '[\\u{0}-\\u{10FFFF}]');
  m.set('Assigned', '\\p{Assigned}');
  m.set('Ascii', '[\\u{0}-\\u{7F}]');
  unicodeNames = m;
  return m;
}

/** Sorts and merges a flat list of [lo, hi] pairs. */
function cleanRanges(r: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i], r[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) {
      if (hi > out[n - 1]) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

function negateRanges(r: number[]): number[] {
  const c = cleanRanges(r);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < c.length; i += 2) {
    if (next <= c[i] - 1) out.push(next, c[i] - 1);
    next = c[i + 1] + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser

const isAlnum = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isOctal = (c: number) => c >= 0x30 && c <= 0x37;

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

class Parser {
  readonly src: string;
  pos = 0;
  ncap = 0;
  names: string[] = [''];

  constructor(src: string) {
    this.src = src;
  }

  /** Code point at `i`, or -1 at the end; lone surrogates are RE2's invalid UTF-8. */
  peek(i = this.pos): number {
    if (i >= this.src.length) return -1;
    const c = this.src.codePointAt(i)!;
    if (c >= 0xd800 && c <= 0xdfff) throw new RegexSyntaxError(E_UTF8, this.src.slice(i));
    return c;
  }

  next(): number {
    const c = this.peek();
    if (c >= 0) this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  startsWith(s: string, i = this.pos): boolean {
    return this.src.startsWith(s, i);
  }

  /** Parses a whole expression. */
  parseAll(flags: Flags): Node {
    const node = this.parseGroupBody(flags, 0);
    if (this.pos < this.src.length) {
      // Only a `)` stops a top-level body.
      throw new RegexSyntaxError(E_UNEXPECTED, this.src);
    }
    return node;
  }

  /** Parses alternatives until `)` or the end; leaves `)` unconsumed. */
  parseGroupBody(outer: Flags, depth: number): Node {
    if (depth > MAX_DEPTH) throw new RegexSyntaxError(E_DEPTH, this.src);
    const flags = { ...outer };
    const branches: Node[][] = [];
    let cur: Node[] = [];
    let lastRepeat = -1; // start of the previous repetition operator, when it was the last token
    while (this.pos < this.src.length) {
      const start = this.pos;
      const c = this.peek();
      let repeatStart = -1;
      switch (c) {
        case 0x29: // )
          branches.push(cur);
          return alternate(branches);
        case 0x7c: // |
          this.pos++;
          branches.push(cur);
          cur = [];
          break;
        case 0x28: { // (
          if (this.peek(this.pos + 1) === 0x3f) {
            const g = this.parsePerlFlags(flags);
            if (g.kind === 'flags') {
              Object.assign(flags, g.flags);
              break;
            }
            const sub = this.parseGroupBody(g.flags, depth + 1);
            this.closeParen();
            if (g.kind === 'group') cur.push(sub);
            else cur.push({ t: 'cap', index: g.index, name: g.name, sub });
            break;
          }
          this.pos++;
          const index = ++this.ncap;
          this.names.push('');
          const sub = this.parseGroupBody(flags, depth + 1);
          this.closeParen();
          cur.push({ t: 'cap', index, name: '', sub });
          break;
        }
        case 0x5e: // ^
          this.pos++;
          cur.push({ t: 'assert', kind: flags.m ? 'bol' : 'bot' });
          break;
        case 0x24: // $
          this.pos++;
          cur.push({ t: 'assert', kind: flags.m ? 'eol' : 'eot' });
          break;
        case 0x2e: // .
          this.pos++;
          cur.push({ t: 'any', nl: flags.s });
          break;
        case 0x5b: // [
          cur.push(this.parseClass(flags));
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: { // ?
          this.pos++;
          const min = c === 0x2b ? 1 : 0;
          const max = c === 0x3f ? 1 : -1;
          this.repeat(cur, flags, min, max, start, lastRepeat);
          repeatStart = start;
          break;
        }
        case 0x7b: { // {
          const r = this.parseRepeat();
          if (!r) {
            this.pos++;
            cur.push(lit(0x7b, flags));
            break;
          }
          if (
            r.min < 0 || r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.min > r.max)
          ) {
            throw new RegexSyntaxError(E_REPEAT_SIZE, this.src.slice(start, this.pos));
          }
          this.repeat(cur, flags, r.min, r.max, start, lastRepeat);
          repeatStart = start;
          break;
        }
        case 0x5c: // backslash
          this.parseBackslash(cur, flags);
          break;
        default:
          this.next();
          cur.push(lit(c, flags));
      }
      lastRepeat = repeatStart;
    }
    branches.push(cur);
    if (depth > 0) throw new RegexSyntaxError(E_PAREN, this.src);
    return alternate(branches);
  }

  closeParen(): void {
    if (this.peek() !== 0x29) throw new RegexSyntaxError(E_PAREN, this.src);
    this.pos++;
  }

  /** Applies a repetition to the last item; `start` is where the operator began. */
  repeat(cur: Node[], flags: Flags, min: number, max: number, start: number, lastRepeat: number) {
    let greedy = !flags.U;
    if (this.peek() === 0x3f) {
      this.pos++;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) {
      throw new RegexSyntaxError(E_REPEAT_OP, this.src.slice(lastRepeat, this.pos));
    }
    if (cur.length === 0) {
      throw new RegexSyntaxError(E_MISSING_ARG, this.src.slice(start, this.pos));
    }
    const node: Node = { t: 'repeat', min, max, greedy, sub: cur[cur.length - 1] };
    cur[cur.length - 1] = node;
    if ((min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new RegexSyntaxError(E_REPEAT_SIZE, this.src.slice(start, this.pos));
    }
  }

  /** `{n}`, `{n,}` or `{n,m}`; undefined (a literal `{`) when not of that form. */
  parseRepeat(): { min: number; max: number } | undefined {
    REPEAT_RE.lastIndex = this.pos;
    const m = REPEAT_RE.exec(this.src);
    if (!m) return undefined;
    // RE2 rejects leading zeros (then `{` is a literal) and caps numbers at 8 digits.
    const num = (s: string) => (s.length > 1 && s[0] === '0' ? undefined : s.length > 8 ? -1 : +s);
    let min = num(m[1]);
    if (min === undefined) return undefined;
    let max = min;
    if (m[2] !== undefined) {
      if (m[2] === '') max = -1;
      else {
        const n = num(m[2]);
        if (n === undefined) return undefined;
        if (n < 0) min = -1;
        max = n;
      }
    }
    this.pos += m[0].length;
    return { min, max };
  }

  /** Parses what follows `(?`: flags, a non-capturing group or a named capture. */
  parsePerlFlags(
    outer: Flags,
  ):
    | { kind: 'flags'; flags: Flags }
    | { kind: 'group'; flags: Flags }
    | { kind: 'cap'; flags: Flags; index: number; name: string } {
    const s = this.pos;
    const src = this.src;
    const withP = src.length - s > 4 && src[s + 2] === 'P' && src[s + 3] === '<';
    const withName = src.length - s > 3 && src[s + 2] === '<';
    if (withP || withName) {
      const end = src.indexOf('>', s);
      if (end < 0) {
        this.checkUTF8(s);
        throw new RegexSyntaxError(E_NAMED, src.slice(s));
      }
      const name = src.slice(s + (withP ? 4 : 3), end);
      this.checkUTF8(s, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new RegexSyntaxError(E_NAMED, src.slice(s, end + 1));
      this.pos = end + 1;
      const index = ++this.ncap;
      this.names.push(name);
      return { kind: 'cap', flags: outer, index, name };
    }
    this.pos += 2;
    const flags = { ...outer };
    let negate = false;
    let sawFlag = false;
    for (;;) {
      const c = this.next();
      if (c < 0) break;
      const ch = String.fromCodePoint(c);
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        flags[ch as keyof Flags] = !negate;
        sawFlag = true;
      } else if (ch === '-') {
        if (negate) break;
        negate = true;
        sawFlag = false;
      } else if (ch === ':' || ch === ')') {
        if (negate && !sawFlag) break;
        return { kind: ch === ':' ? 'group' : 'flags', flags };
      } else break;
    }
    throw new RegexSyntaxError(E_PERL, src.slice(s, this.pos));
  }

  checkUTF8(from: number, to = this.src.length): void {
    for (let i = from; i < to; i++) this.peek(i);
  }

  parseBackslash(cur: Node[], flags: Flags): void {
    const s = this.pos;
    const c1 = this.peek(s + 1);
    switch (c1) {
      case 0x41: // A
        this.pos += 2;
        cur.push({ t: 'assert', kind: 'bot' });
        return;
      case 0x7a: // z
        this.pos += 2;
        cur.push({ t: 'assert', kind: 'eot' });
        return;
      case 0x62: // b
        this.pos += 2;
        cur.push({ t: 'assert', kind: 'wb' });
        return;
      case 0x42: // B
        this.pos += 2;
        cur.push({ t: 'assert', kind: 'nwb' });
        return;
      case 0x43: // C: any byte, which RE2 does not support
        throw new RegexSyntaxError(E_ESCAPE, '\\C');
      case 0x51: { // Q ... \E
        const end = this.src.indexOf('\\E', s + 2);
        const stop = end < 0 ? this.src.length : end;
        this.pos = s + 2;
        while (this.pos < stop) cur.push(lit(this.next(), flags));
        this.pos = end < 0 ? stop : end + 2;
        return;
      }
    }
    const cls = this.parseUnicodeClass(flags) ?? this.parsePerlClass(flags);
    if (cls) {
      cur.push(cls);
      return;
    }
    cur.push(lit(this.parseEscape(), flags));
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}`; undefined when not at one. */
  parseUnicodeClass(flags: Flags): ClassNode | undefined {
    const s = this.pos;
    const src = this.src;
    if (src[s] !== '\\' || (src[s + 1] !== 'p' && src[s + 1] !== 'P')) return undefined;
    let negated = src[s + 1] === 'P';
    let name: string;
    let seqEnd: number;
    const c = this.peek(s + 2);
    if (c !== 0x7b) {
      seqEnd = c < 0 ? s + 2 : s + 2 + (c > 0xffff ? 2 : 1);
      name = src.slice(s + 2, seqEnd);
    } else {
      const end = src.indexOf('}', s);
      if (end < 0) {
        this.checkUTF8(s);
        throw new RegexSyntaxError(E_CHAR_RANGE, src.slice(s));
      }
      seqEnd = end + 1;
      name = src.slice(s + 3, end);
      this.checkUTF8(s + 3, end);
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const js = name === '' ? undefined : unicodeClassNames().get(canonicalName(name));
    if (!js) throw new RegexSyntaxError(E_CHAR_RANGE, src.slice(s, seqEnd));
    this.pos = seqEnd;
    return {
      t: 'class',
      ranges: [],
      parts: [negated ? `[^${js}]` : js],
      negated: false,
      fold: flags.i,
    };
  }

  /** `\d \s \w \D \S \W`; undefined when not at one. */
  parsePerlClass(flags: Flags): ClassNode | undefined {
    const s = this.pos;
    const ch = this.src[s + 1];
    if (this.src[s] !== '\\' || !ch) return undefined;
    const base = PERL_CLASSES[ch.toLowerCase()];
    if (!base || !/[dswDSW]/.test(ch)) return undefined;
    this.pos += 2;
    const ranges = ch === ch.toUpperCase() ? negateRanges(base) : base.slice();
    return { t: 'class', ranges, parts: [], negated: false, fold: flags.i };
  }

  /** An ordinary single-character escape; returns its code point. */
  parseEscape(): number {
    const s = this.pos;
    this.pos++;
    const c = this.next();
    const fail = () => new RegexSyntaxError(E_ESCAPE, this.src.slice(s, this.pos));
    if (c < 0) throw new RegexSyntaxError(E_TRAILING, '');
    if (c < 0x80 && !isAlnum(c)) return c;
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.peek())) throw fail(); // a back-reference
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let i = 1; i < 3 && isOctal(this.peek()); i++) r = r * 8 + this.next() - 0x30;
      return r;
    }
    switch (c) {
      case 0x78: { // x
        if (this.pos >= this.src.length) throw fail();
        const d = this.next();
        if (d === 0x7b) {
          let n = 0;
          let r = 0;
          for (;;) {
            if (this.pos >= this.src.length) throw fail();
            const h = this.next();
            if (h === 0x7d) break;
            const v = unhex(h);
            if (v < 0) throw fail();
            r = r * 16 + v;
            if (r > MAX_RUNE) throw fail();
            n++;
          }
          if (n === 0) throw fail();
          return r;
        }
        const x = unhex(d);
        const y = unhex(this.next());
        if (x < 0 || y < 0) throw fail();
        return x * 16 + y;
      }
      case 0x61: // a
        return 0x07;
      case 0x66: // f
        return 0x0c;
      case 0x6e: // n
        return 0x0a;
      case 0x72: // r
        return 0x0d;
      case 0x74: // t
        return 0x09;
      case 0x76: // v
        return 0x0b;
    }
    throw fail();
  }

  parseClass(flags: Flags): ClassNode {
    const s = this.pos; // at [
    this.pos++;
    let negated = false;
    if (this.peek() === 0x5e) {
      negated = true;
      this.pos++;
    }
    const ranges: number[] = [];
    const parts: string[] = [];
    let first = true;
    const missing = () => new RegexSyntaxError(E_BRACKET, this.src.slice(s));
    while (this.pos >= this.src.length || this.peek() !== 0x5d || first) {
      first = false;
      const t = this.pos;
      if (this.startsWith('[:')) {
        const end = this.src.indexOf(':]', t + 2);
        if (end >= 0) {
          const name = this.src.slice(t + 2, end);
          const neg = name.startsWith('^');
          const key = neg ? name.slice(1) : name;
          const set = Object.hasOwn(POSIX_CLASSES, key) ? POSIX_CLASSES[key] : undefined;
          if (!set) {
            throw new RegexSyntaxError(E_CHAR_RANGE, this.src.slice(t, end + 2));
          }
          ranges.push(...(neg ? negateRanges(set) : set));
          this.pos = end + 2;
          continue;
        }
      }
      const u = this.parseUnicodeClass(flags);
      if (u) {
        parts.push(...u.parts);
        continue;
      }
      const p = this.parsePerlClass(flags);
      if (p) {
        ranges.push(...p.ranges);
        continue;
      }
      const lo = this.parseClassChar(missing);
      let hi = lo;
      if (
        this.peek() === 0x2d && this.pos + 1 < this.src.length && this.peek(this.pos + 1) !== 0x5d
      ) {
        this.pos++;
        hi = this.parseClassChar(missing);
        if (hi < lo) throw new RegexSyntaxError(E_CHAR_RANGE, this.src.slice(t, this.pos));
      }
      ranges.push(lo, hi);
    }
    this.pos++; // ]
    return { t: 'class', ranges: cleanRanges(ranges), parts, negated, fold: flags.i };
  }

  parseClassChar(missing: () => RegexSyntaxError): number {
    if (this.pos >= this.src.length) throw missing();
    if (this.peek() === 0x5c) return this.parseEscape();
    return this.next();
  }
}

function lit(cp: number, flags: Flags): Node {
  return { t: 'lit', cp, fold: flags.i };
}

function alternate(branches: Node[][]): Node {
  const subs = branches.map((b): Node =>
    b.length === 0 ? { t: 'empty' } : b.length === 1 ? b[0] : { t: 'concat', subs: b }
  );
  return subs.length === 1 ? subs[0] : { t: 'alt', subs };
}

/** RE2's rule: nested counted repetitions may not multiply beyond `n` copies. */
function repeatIsValid(node: Node, n: number): boolean {
  if (node.t === 'repeat') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  for (const sub of children(node)) if (!repeatIsValid(sub, n)) return false;
  return true;
}

function children(node: Node): Node[] {
  switch (node.t) {
    case 'cap':
    case 'repeat':
      return [node.sub];
    case 'concat':
    case 'alt':
      return node.subs;
    default:
      return [];
  }
}

/** Go's estimate of the compiled program size, to reject the same huge expressions. */
function progSize(node: Node): number {
  let size = 0;
  switch (node.t) {
    case 'lit':
      size = 1;
      break;
    case 'cap':
      size = 2 + progSize(node.sub);
      break;
    case 'concat':
      for (const s of node.subs) size += progSize(s);
      break;
    case 'alt':
      for (const s of node.subs) size += progSize(s);
      size += node.subs.length - 1;
      break;
    case 'repeat': {
      const sub = progSize(node.sub);
      if (node.max === -1) size = node.min === 0 ? 2 + sub : 1 + node.min * sub;
      else size = node.max * sub + (node.max - node.min);
      break;
    }
  }
  return Math.max(1, size);
}

// ---------------------------------------------------------------------------------------------
// Emitter

let modifiersSupported: boolean | undefined;

/** Whether the engine accepts `(?i:...)` modifier groups (V8 12.5+, JSC in Bun 1.x, not Node 22). */
export function regexModifiersSupported(): boolean {
  if (modifiersSupported === undefined) {
    try {
      // A variable source keeps the linter from rejecting syntax it does not know yet.
      const probe = '(?i:a)';
      new RegExp(probe, 'v');
      modifiersSupported = true;
    } catch {
      modifiersSupported = false;
    }
  }
  return modifiersSupported;
}

type FoldMode = 'none' | 'global' | 'modifiers' | 'expand';

function hasCase(cp: number): boolean {
  const s = String.fromCodePoint(cp);
  return s.toLowerCase() !== s || s.toUpperCase() !== s || cp === 0x212a || cp === 0x17f;
}

/** Collects which case-sensitivity settings the case-relevant nodes use. */
function foldUsage(node: Node, acc: { on: boolean; off: boolean }): void {
  if (node.t === 'lit') {
    if (hasCase(node.cp)) acc[node.fold ? 'on' : 'off'] = true;
  } else if (node.t === 'class') acc[node.fold ? 'on' : 'off'] = true;
  for (const s of children(node)) foldUsage(s, acc);
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split('').map((c) => c.charCodeAt(0)));

function emitChar(cp: number): string {
  if (SYNTAX.has(cp)) return '\\' + String.fromCharCode(cp);
  if (cp >= 0x20 && cp < 0x7f) return String.fromCharCode(cp);
  return `\\u{${cp.toString(16)}}`;
}

function emitClassChar(cp: number): string {
  return isAlnum(cp) ? String.fromCharCode(cp) : `\\u{${cp.toString(16)}}`;
}

let foldOrbits: Map<number, number[]> | undefined;

/** Case-fold equivalents of `cp` (including itself), for engines without modifier groups. */
function orbit(cp: number): number[] {
  if (!foldOrbits) {
    const byKey = new Map<string, number[]>();
    for (let c = 0x41; c <= 0x1e943; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      const up = s.toUpperCase();
      const key = [...up].length === 1 ? up.toLowerCase() : s.toLowerCase();
      if (key === s && up === s) continue;
      const list = byKey.get(key);
      if (list) list.push(c);
      else byKey.set(key, [c]);
    }
    foldOrbits = new Map();
    for (const [key, list] of byKey) {
      const k = key.codePointAt(0)!;
      if ([...key].length === 1 && !list.includes(k)) list.push(k);
      // Upper/lower mappings over-group a few letters (ı with i); keep what the engine's own
      // simple case folding, which is RE2's, puts together.
      const same = new RegExp(`^${emitChar(list[0])}$`, 'iv');
      const orbit = list.filter((c) => same.test(String.fromCodePoint(c)));
      for (const c of orbit) foldOrbits.set(c, orbit);
    }
  }
  return foldOrbits.get(cp) ?? [cp];
}

function foldRanges(ranges: number[]): number[] {
  const out = ranges.slice();
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = Math.max(ranges[i], 0x41);
    const hi = Math.min(ranges[i + 1], 0x1e943);
    for (let c = lo; c <= hi; c++) for (const o of orbit(c)) if (o !== c) out.push(o, o);
  }
  return cleanRanges(out);
}

class Emitter {
  readonly mode: FoldMode;
  readonly named = new Set<string>();
  constructor(mode: FoldMode) {
    this.mode = mode;
  }

  /** Wraps case-insensitive output in a modifier group where the mode needs one. */
  fold(on: boolean, s: string): string {
    if (this.mode === 'modifiers' && on) return `(?i:${s})`;
    return s;
  }

  emit(node: Node): string {
    switch (node.t) {
      case 'empty':
        return '';
      case 'lit':
        if (node.fold && this.mode === 'expand' && hasCase(node.cp)) {
          return '[' + orbit(node.cp).map(emitClassChar).join('') + ']';
        }
        return this.fold(node.fold && hasCase(node.cp), emitChar(node.cp));
      case 'class':
        return this.fold(node.fold, this.emitClass(node));
      case 'any':
        // Not `[^]`: V8 11.3 (Node.js 20) fails to repeat `[^]` under the `v` flag.
        return node.nl ? '[\\s\\S]' : '[^\\n]';
      case 'assert':
        switch (node.kind) {
          case 'bot':
            return '^';
          case 'eot':
            return '$';
          case 'bol':
            return '(?<![^\\n])';
          case 'eol':
            return '(?![^\\n])';
          case 'wb':
            return '\\b';
          case 'nwb':
            return '\\B';
        }
        break;
      case 'cap': {
        const body = this.emit(node.sub);
        // JS names must be unique identifiers; RE2 allows more, so fall back to a plain group.
        if (node.name && /^[A-Za-z_]\w*$/.test(node.name) && !this.named.has(node.name)) {
          this.named.add(node.name);
          return `(?<${node.name}>${body})`;
        }
        return `(${body})`;
      }
      case 'concat':
        return this.emitConcat(node.subs);
      case 'alt':
        return node.subs.map((s) => this.emit(s)).join('|');
      case 'repeat': {
        const sub = this.emitAtom(node.sub);
        const q = node.min === 0 && node.max === -1
          ? '*'
          : node.min === 1 && node.max === -1
          ? '+'
          : node.min === 0 && node.max === 1
          ? '?'
          : node.max === -1
          ? `{${node.min},}`
          : node.min === node.max
          ? `{${node.min}}`
          : `{${node.min},${node.max}}`;
        return sub + q + (node.greedy ? '' : '?');
      }
    }
    return '';
  }

  /** Output that a quantifier can follow. */
  emitAtom(node: Node): string {
    const s = this.emit(node);
    if (node.t === 'lit' || node.t === 'class' || node.t === 'any' || node.t === 'cap') return s;
    return `(?:${s})`;
  }

  emitConcat(subs: Node[]): string {
    let out = '';
    for (let i = 0; i < subs.length; i++) {
      const n = subs[i];
      if (this.mode === 'modifiers' && n.t === 'lit' && n.fold) {
        // One modifier group for a run of case-insensitive literals.
        let run = '';
        let j = i;
        for (; j < subs.length; j++) {
          const m = subs[j];
          if (m.t !== 'lit' || !m.fold) break;
          run += emitChar(m.cp);
        }
        out += `(?i:${run})`;
        i = j - 1;
        continue;
      }
      const s = this.emit(n);
      out += n.t === 'alt' ? `(?:${s})` : s;
    }
    return out;
  }

  emitClass(node: ClassNode): string {
    if (!node.negated && node.ranges.length === 0 && node.parts.length === 1) return node.parts[0];
    const ranges = node.fold && this.mode === 'expand' ? foldRanges(node.ranges) : node.ranges;
    let body = '';
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i], hi = ranges[i + 1];
      body += lo === hi ? emitClassChar(lo) : `${emitClassChar(lo)}-${emitClassChar(hi)}`;
    }
    body += node.parts.join('');
    return `[${node.negated ? '^' : ''}${body}]`;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

interface Parsed {
  node: Node;
  names: string[];
}

function parse(source: string, dotAll: boolean): Parsed {
  const p = new Parser(source);
  const node = p.parseAll({ i: false, m: false, s: dotAll, U: false });
  if (progSize(node) > MAX_SIZE) throw new RegexSyntaxError(E_LARGE, source);
  return { node, names: p.names };
}

function translateParsed(parsed: Parsed, anchored: boolean, expand = false): TranslatedRegex {
  const usage = { on: false, off: false };
  foldUsage(parsed.node, usage);
  const mode: FoldMode = !usage.on
    ? 'none'
    : !usage.off
    ? 'global'
    : !expand && regexModifiersSupported()
    ? 'modifiers'
    : 'expand';
  const body = new Emitter(mode).emit(parsed.node);
  return {
    source: anchored ? `^(?:${body})$` : body,
    flags: mode === 'global' ? 'iv' : 'v',
    groupNames: parsed.names,
  };
}

/**
 * Translates RE2 source into JavaScript RegExp source and flags.
 * @throws {RegexSyntaxError} when RE2 would reject the expression.
 */
export function translateRegex(source: string, opts: RegexOptions = {}): TranslatedRegex {
  return translateParsed(
    parse(source, opts.dotAll ?? true),
    opts.anchored ?? true,
    opts.expandCaseFolding,
  );
}

/**
 * Compiles a Prometheus (RE2) regex to a RegExp; anchored at both ends and with `.` matching
 * newline unless `opts` says otherwise.
 * @throws {RegexSyntaxError} when RE2 would reject the expression.
 */
export function compileRegex(source: string, opts: RegexOptions = {}): RegExp {
  const t = translateRegex(source, opts);
  return new RegExp(t.source, t.flags);
}

/** A compiled, anchored Prometheus regex with a fast path for common simple shapes. */
export interface RegexMatcher {
  /** The RE2 source. */
  readonly source: string;
  /** The equivalent anchored JavaScript RegExp (no `g`/`y` flag, so it is stateless). */
  readonly regex: RegExp;
  /** Capture group names by number ('' for unnamed), for `${name}` expansion. */
  readonly groupNames: readonly string[];
  /** The exact strings matched, when the regex is a case-sensitive literal or alternation of them. */
  readonly setMatches: readonly string[] | undefined;
  /** Whether the whole of `s` matches. */
  matches(s: string): boolean;
}

/**
 * Builds an anchored, dot-all matcher for `source`. Literals and alternations of literals are
 * matched by string comparison, `.*`-style prefixes/suffixes by `startsWith`/`endsWith`.
 * @throws {RegexSyntaxError} when RE2 would reject the expression.
 */
export function newRegexMatcher(source: string): RegexMatcher {
  const parsed = parse(source, true);
  const t = translateParsed(parsed, true);
  const regex = new RegExp(t.source, t.flags);
  const fast = fastPath(parsed.node);
  return {
    source,
    regex,
    groupNames: t.groupNames,
    setMatches: literalSet(parsed.node),
    matches: fast ?? ((s: string) => regex.test(s)),
  };
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, RegexMatcher>();

/**
 * Like {@link newRegexMatcher}, memoised by source (bounded; least recently used entries go
 * first), since matchers and relabel configs are rebuilt often from the same strings.
 * @throws {RegexSyntaxError} when RE2 would reject the expression.
 */
export function cachedRegex(source: string): RegexMatcher {
  let m = cache.get(source);
  if (m) {
    cache.delete(source);
    cache.set(source, m);
    return m;
  }
  m = newRegexMatcher(source);
  cache.set(source, m);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return m;
}

/** The literal string `node` matches exactly, case-sensitively; undefined if not a literal. */
function literalOf(node: Node): string | undefined {
  if (node.t === 'empty') return '';
  if (node.t === 'lit') {
    return node.fold && hasCase(node.cp) ? undefined : String.fromCodePoint(node.cp);
  }
  if (node.t === 'cap') return literalOf(node.sub);
  if (node.t === 'concat') {
    let s = '';
    for (const sub of node.subs) {
      const l = literalOf(sub);
      if (l === undefined) return undefined;
      s += l;
    }
    return s;
  }
  return undefined;
}

function literalSet(node: Node): string[] | undefined {
  if (node.t === 'cap') return literalSet(node.sub);
  const l = literalOf(node);
  if (l !== undefined) return [l];
  if (node.t !== 'alt') return undefined;
  const out = new Set<string>();
  for (const sub of node.subs) {
    const v = literalSet(sub);
    if (v === undefined) return undefined;
    for (const x of v) out.add(x);
  }
  return [...out];
}

function isAnyStar(node: Node): boolean {
  if (node.t === 'cap') return isAnyStar(node.sub);
  return node.t === 'repeat' && node.min === 0 && node.max === -1 && node.sub.t === 'any' &&
    node.sub.nl;
}

function fastPath(node: Node): ((s: string) => boolean) | undefined {
  if (node.t === 'cap') return fastPath(node.sub);
  const l = literalOf(node);
  if (l !== undefined) return (s) => s === l;
  if (isAnyStar(node)) return () => true;
  if (
    node.t === 'repeat' && node.min === 1 && node.max === -1 && node.sub.t === 'any' && node.sub.nl
  ) {
    return (s) => s.length > 0;
  }
  const set = literalSet(node);
  if (set) {
    const lookup = new Set(set);
    return (s) => lookup.has(s);
  }
  if (node.t === 'concat' && node.subs.length >= 2) {
    const subs = node.subs;
    const head = isAnyStar(subs[0]);
    const tail = isAnyStar(subs[subs.length - 1]);
    const mid = literalOf({ t: 'concat', subs: subs.slice(head ? 1 : 0, tail ? -1 : undefined) });
    if (mid === undefined || (!head && !tail)) return undefined;
    if (head && tail) return (s) => s.includes(mid);
    if (head) return (s) => s.endsWith(mid);
    return (s) => s.startsWith(mid);
  }
  return undefined;
}
