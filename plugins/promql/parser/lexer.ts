/**
 * The PromQL lexer: a state machine over the input (statements, label braces, duration
 * brackets) that follows Prometheus's token rules and lexer error messages. Positions are
 * UTF-8 byte offsets, as Prometheus reports them.
 * @module
 */
import { type Token, type TokenKind, wordKind } from './tokens.ts';
import { goQuote } from '../../../core/model/mod.ts';
import { goQuoteRune, unicodeDesc } from './quote.ts';

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string) => isAlpha(c) || isDigit(c);
const DURATION_KEYWORDS = new Set(['step', 'range', 'max_of', 'min_of']);
const HEX = '0123456789abcdefABCDEF';
const DEC = '0123456789';

/** Byte offsets of every UTF-16 index of `s` (identity for ASCII input). */
function byteOffsets(s: string): (i: number) => number {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return (i) => i;
  const map = new Uint32Array(s.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    map[i] = b;
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      b += 4;
      map[++i] = b - 4;
    } else b += 3;
  }
  map[s.length] = b;
  return (i) => map[i];
}

/** Lexes a whole PromQL expression; the list ends with an EOF or an ERROR token. */
export function lex(input: string): Token[] {
  return new Lexer(input).run();
}

type Mode = 'stmt' | 'brace' | 'dur';

class Lexer {
  readonly #in: string;
  readonly #byte: (i: number) => number;
  readonly #out: Token[] = [];
  #pos = 0;
  #start = 0;
  #mode: Mode = 'stmt';
  #parenDepth = 0;
  #bracketOpen = false;
  #gotColon = false;
  #gotDuration = false;
  #done = false;

  constructor(input: string) {
    this.#in = input;
    this.#byte = byteOffsets(input);
  }

  run(): Token[] {
    while (!this.#done) {
      if (this.#mode === 'brace') this.#insideBraces();
      else if (this.#mode === 'dur') this.#durationExpr();
      else this.#statements();
    }
    return this.#out;
  }

  #peek(): string {
    return this.#in[this.#pos] ?? '';
  }
  #next(): string {
    const cp = this.#in.codePointAt(this.#pos);
    if (cp === undefined) return '';
    const c = String.fromCodePoint(cp);
    this.#pos += c.length;
    return c;
  }
  #accept(set: string): boolean {
    const c = this.#peek();
    if (c !== '' && set.includes(c)) {
      this.#pos++;
      return true;
    }
    return false;
  }
  #emit(kind: TokenKind, key?: string): void {
    const val = this.#in.slice(this.#start, this.#pos);
    const t = {
      kind,
      val,
      key: key ?? val,
      pos: this.#byte(this.#start),
      end: this.#byte(this.#pos),
    };
    this.#out.push(t);
    this.#start = this.#pos;
  }
  #ignore(): void {
    this.#start = this.#pos;
  }
  #error(msg: string): void {
    this.#out.push({
      kind: 'ERROR',
      val: msg,
      key: msg,
      pos: this.#byte(this.#start),
      end: this.#byte(this.#in.length),
    });
    this.#done = true;
  }
  #skipSpaces(): void {
    while (isSpace(this.#peek())) this.#pos++;
    this.#ignore();
  }
  #comment(): void {
    while (
      this.#pos < this.#in.length && this.#in[this.#pos] !== '\n' && this.#in[this.#pos] !== '\r'
    ) {
      this.#pos++;
    }
    this.#ignore(); // Comments never reach the parser.
  }

  #statements(): void {
    if (this.#in.startsWith('#', this.#pos)) return this.#comment();
    const r = this.#next();
    if (r === '') {
      if (this.#parenDepth !== 0) return this.#error('unclosed left parenthesis');
      if (this.#bracketOpen) return this.#error('unclosed left bracket');
      this.#emit('EOF');
      this.#done = true;
      return;
    }
    if (isSpace(r)) return this.#skipSpaces();
    switch (r) {
      case ',':
        return this.#emit('COMMA');
      case '*':
      case '/':
      case '%':
      case '+':
      case '-':
      case '^':
      case '@':
        return this.#emit('OPERATOR');
      case '=': {
        const t = this.#peek();
        if (t === '=') {
          this.#pos++;
          return this.#emit('OPERATOR');
        }
        if (t === '~') return this.#error(`unexpected character after '=': ${goQuoteRune(t)}`);
        return this.#emit('EQL');
      }
      case '!': {
        const t = this.#next();
        if (t !== '=') return this.#error(`unexpected character after '!': ${goQuoteRune(t)}`);
        return this.#emit('OPERATOR');
      }
      case '<':
      case '>':
        this.#accept('=') || this.#accept('/');
        return this.#emit('OPERATOR');
      case '"':
      case "'":
        return this.#string(r);
      case '`':
        return this.#rawString();
      case '(':
        this.#emit('LEFT_PAREN');
        this.#parenDepth++;
        return;
      case ')':
        return this.#rightParen();
      case '{':
        this.#emit('LEFT_BRACE');
        this.#mode = 'brace';
        return;
      case '[':
        if (this.#bracketOpen) return this.#error(`unexpected left bracket ${goQuoteRune(r)}`);
        this.#gotColon = false;
        this.#emit('LEFT_BRACKET');
        this.#skipSpaces();
        this.#bracketOpen = true;
        this.#mode = 'dur';
        return;
      case ']':
        if (!this.#bracketOpen) return this.#error(`unexpected right bracket ${goQuoteRune(r)}`);
        this.#emit('RIGHT_BRACKET');
        this.#bracketOpen = false;
        return;
    }
    if (isDigit(r) || (r === '.' && isDigit(this.#peek()))) {
      this.#pos--;
      return this.#numberOrDuration();
    }
    if (isAlpha(r) || r === ':') {
      if (!this.#bracketOpen) {
        this.#pos--;
        return this.#keywordOrIdentifier();
      }
      if (r === ':') {
        if (this.#gotColon) return this.#error(`unexpected colon ${goQuoteRune(r)}`);
        this.#emit('COLON');
        this.#gotColon = true;
        return;
      }
      if (this.#durationKeyword()) return;
      return this.#error(`unexpected character: ${goQuoteRune(r)}, expected ':'`);
    }
    this.#error(`unexpected character: ${goQuoteRune(r)}`);
  }

  #insideBraces(): void {
    if (this.#in.startsWith('#', this.#pos)) return this.#comment();
    const r = this.#next();
    if (r === '') return this.#error('unexpected end of input inside braces');
    if (isSpace(r)) return this.#skipSpaces();
    if (isAlpha(r)) {
      while (isAlnum(this.#peek())) this.#pos++;
      return this.#emit('IDENTIFIER');
    }
    switch (r) {
      case ',':
        return this.#emit('COMMA');
      case '"':
      case "'":
        return this.#string(r);
      case '`':
        return this.#rawString();
      case '=':
        if (this.#accept('~')) return this.#emit('OPERATOR');
        return this.#emit('EQL');
      case '!': {
        const nr = this.#next();
        if (nr === '~' || nr === '=') return this.#emit('OPERATOR');
        return this.#error(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
      }
      case '{':
        return this.#error(`unexpected left brace ${goQuoteRune(r)}`);
      case '}':
        this.#emit('RIGHT_BRACE');
        this.#mode = 'stmt';
        return;
    }
    this.#error(`unexpected character inside braces: ${goQuoteRune(r)}`);
  }

  #durationExpr(): void {
    const r = this.#next();
    if (r === '') return this.#error('unexpected end of input in duration expression');
    if (isSpace(r)) return this.#skipSpaces();
    switch (r) {
      case ']':
        this.#emit('RIGHT_BRACKET');
        this.#bracketOpen = false;
        this.#gotColon = false;
        this.#mode = 'stmt';
        return;
      case ':':
        // Go's lexer overwrites the just-emitted token with the error, so emit only on success.
        this.#ignore();
        if (!this.#gotDuration) {
          return this.#error('unexpected colon before duration in duration expression');
        }
        if (this.#gotColon) return this.#error('unexpected repeated colon in duration expression');
        this.#start = this.#pos - 1;
        this.#emit('COLON');
        this.#gotColon = true;
        return;
      case '(':
        this.#emit('LEFT_PAREN');
        this.#parenDepth++;
        return;
      case ')':
        return this.#rightParen();
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
        return this.#emit('OPERATOR');
      case ',':
        return this.#emit('COMMA');
    }
    if ('smrSMR'.includes(r)) {
      if (this.#durationKeyword()) return;
      return this.#error(`unexpected character in duration expression: ${goQuoteRune(r)}`);
    }
    if (isDigit(r) || (r === '.' && isDigit(this.#peek()))) {
      this.#pos--;
      this.#gotDuration = true;
      this.#mode = 'stmt';
      return this.#numberOrDuration();
    }
    this.#error(`unexpected character in duration expression: ${goQuoteRune(r)}`);
  }

  #rightParen(): void {
    if (--this.#parenDepth < 0) {
      this.#ignore(); // The error replaces the token and starts after it, as in Go.
      return this.#error(`unexpected right parenthesis ')'`);
    }
    this.#emit('RIGHT_PAREN');
  }

  /** Scans `step`, `range`, `max_of` or `min_of` (the first letter is consumed). */
  #durationKeyword(): boolean {
    while (isAlpha(this.#peek())) this.#pos++;
    const word = this.#in.slice(this.#start, this.#pos).toLowerCase();
    if (DURATION_KEYWORDS.has(word)) {
      this.#emit('PREPROCESSOR', word);
      return true;
    }
    this.#pos = this.#start + 1;
    return false;
  }

  #keywordOrIdentifier(): void {
    while (isAlnum(this.#peek()) || this.#peek() === ':') this.#pos++;
    const word = this.#in.slice(this.#start, this.#pos);
    const lower = word.toLowerCase();
    const kind = wordKind(lower);
    if (kind !== undefined) {
      // fill modifiers are keywords only before '(' so that existing metrics named fill still work.
      if (lower.startsWith('fill') && !this.#followedByLeftParen()) return this.#emit('IDENTIFIER');
      return this.#emit(kind, lower);
    }
    this.#emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
  }

  #followedByLeftParen(): boolean {
    let i = this.#pos;
    while (i < this.#in.length && isSpace(this.#in[i])) i++;
    return this.#in[i] === '(';
  }

  #numberOrDuration(): void {
    if (this.#scanNumber()) return this.#emit('NUMBER');
    if (this.#remainingDuration()) return this.#emit('DURATION');
    this.#error(
      `bad number or duration syntax: ${goQuote(this.#in.slice(this.#start, this.#pos))}`,
    );
  }

  #remainingDuration(): boolean {
    if (!this.#accept('smhdwy')) return false;
    this.#accept('s');
    while (this.#accept(DEC)) {
      while (this.#accept(DEC));
      if (!this.#accept('smhdw')) return false;
      this.#accept('s');
    }
    const c = this.#next();
    if (isAlnum(c)) return false; // Go keeps this rune in the error text.
    this.#pos -= c.length;
    return true;
  }

  #scanNumber(): boolean {
    const initial = this.#pos;
    let digits = DEC;
    if (this.#accept('0') && this.#accept('xX')) {
      this.#accept('_');
      digits = HEX;
    }
    const is = (set: string) => this.#peek() !== '' && set.includes(this.#peek());
    this.#accept('.');
    this.#accept(digits);
    let dot = false;
    let exp = false;
    while (is(digits + '._eE')) {
      if (is('.') && dot) {
        this.#accept('.');
        return false;
      }
      if (is('eE') && exp) {
        this.#accept('eE');
        return false;
      }
      if (this.#accept('.')) {
        dot = true;
        if (this.#accept('_.')) return false;
        if (digits === HEX) return false;
        continue;
      }
      if (this.#accept('eE')) {
        exp = true;
        this.#accept('+-');
        if (this.#accept('._eE') || this.#peek() === '') return false;
        continue;
      }
      if (this.#accept('_')) {
        if (this.#accept('._eE') || this.#peek() === '') return false;
        continue;
      }
      while (this.#accept(digits));
    }
    if (this.#pos === initial) return false;
    return !isAlnum(this.#peek());
  }

  #string(q: string): void {
    for (;;) {
      const c = this.#next();
      if (c === '\\') {
        if (!this.#escape(q)) return;
        continue;
      }
      if (c === '' || c === '\n') return this.#error('unterminated quoted string');
      if (c === q) break;
    }
    this.#emit('STRING');
  }

  /** Validates one escape sequence after a backslash, as Go's scanner does. */
  #escape(q: string): boolean {
    let ch = this.#next();
    let n: number, base: number, max: number;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
      case q:
        return true;
      case 'x':
        ch = this.#next();
        [n, base, max] = [2, 16, 255];
        break;
      case 'u':
        ch = this.#next();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case 'U':
        ch = this.#next();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      case '':
        this.#error('escape sequence not terminated');
        return false;
      default:
        if (ch >= '0' && ch <= '7') {
          [n, base, max] = [3, 8, 255];
          break;
        }
        this.#error(`unknown escape sequence ${unicodeDesc(ch)}`);
        return false;
    }
    let x = 0;
    while (n > 0) {
      const d = ch === '' ? 16 : HEX.indexOf(ch) >= 0 ? parseInt(ch, 16) : 16;
      if (d >= base) {
        if (ch === '') this.#error('escape sequence not terminated');
        else this.#error(`illegal character ${unicodeDesc(ch)} in escape sequence`);
        return false;
      }
      x = x * base + d;
      if (--n > 0) ch = this.#next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.#error('escape sequence is an invalid Unicode code point');
      return false;
    }
    return true;
  }

  #rawString(): void {
    for (;;) {
      const c = this.#next();
      if (c === '') return this.#error('unterminated raw string');
      if (c === '`') break;
    }
    this.#emit('STRING');
  }
}
