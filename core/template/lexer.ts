/**
 * The text/template lexer: splits template text into text runs and action tokens, following
 * Go's rules for delimiters, trim markers (`{{- ` and ` -}}`), comments and literals.
 * @module
 */

/** Token kinds. */
export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'char'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'assign'
  | 'declare'
  | 'keyword'
  | 'comment'
  | 'eof'
  | 'error';

/** One lexical item; `pos` is a UTF-16 offset into the template text. */
export interface Token {
  readonly type: TokenType;
  readonly val: string;
  readonly pos: number;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);

const LEFT = '{{';
const RIGHT = '}}';
const ALNUM = /^[\p{L}\p{Nd}_]$/u;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function hasLeftTrim(s: string, i: number): boolean {
  return s[i] === '-' && isSpace(s[i + 1]);
}

function hasRightTrim(s: string, i: number): boolean {
  return isSpace(s[i]) && s[i + 1] === '-';
}

/** Go's `%#U` of a code point, as lexer errors print it. */
export function formatRune(cp: number): string {
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  const ch = String.fromCodePoint(cp);
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch) ? `${hex} '${ch}'` : hex;
}

/** Tokenises `input`; the last token is `eof` or `error` (whose `val` is the message). */
export function lex(input: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const emit = (type: TokenType) => {
    out.push({ type, val: input.slice(start, pos), pos: start });
    start = pos;
  };
  const fail = (msg: string): Token[] => {
    out.push({ type: 'error', val: msg, pos: start });
    return out;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrim(input, pos) && input.startsWith(RIGHT, pos + 2)) return [true, true];
    return [input.startsWith(RIGHT, pos), false];
  };
  const skipLeadingSpace = () => {
    while (isSpace(input[pos])) pos++;
    start = pos;
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };

  text: while (true) {
    const idx = input.indexOf(LEFT, pos);
    if (idx < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      out.push({ type: 'eof', val: '', pos });
      return out;
    }
    const trim = hasLeftTrim(input, idx + LEFT.length);
    let textEnd = idx;
    if (trim) { while (textEnd > start && isSpace(input[textEnd - 1])) textEnd--; }
    if (textEnd > start) {
      pos = textEnd;
      emit('text');
    }
    pos = idx;
    start = idx;
    pos += LEFT.length;
    const after = trim ? 2 : 0;
    if (input.startsWith('/*', pos + after)) {
      pos += after;
      start = pos;
      const endC = input.indexOf('*/', pos + 2);
      if (endC < 0) return fail('unclosed comment');
      pos = endC + 2;
      const [delim, trimR] = atRightDelim();
      if (!delim) return fail('comment ends before closing delimiter');
      emit('comment');
      if (trimR) pos += 2;
      pos += RIGHT.length;
      start = pos;
      if (trimR) skipLeadingSpace();
      continue text;
    }
    emit('leftDelim');
    pos += after;
    start = pos;
    parenDepth = 0;
    // Inside an action.
    while (true) {
      const [delim, trimR] = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return fail('unclosed left paren');
        if (trimR) pos += 2;
        start = pos;
        pos += RIGHT.length;
        emit('rightDelim');
        if (trimR) skipLeadingSpace();
        continue text;
      }
      const c = input[pos];
      if (c === undefined) return fail('unclosed action');
      if (isSpace(c)) {
        let n = 0;
        while (isSpace(input[pos])) {
          pos++;
          n++;
        }
        if (hasRightTrim(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
          pos--;
          if (n === 1) continue;
        }
        emit('space');
        continue;
      }
      pos++;
      switch (c) {
        case '=':
          emit('assign');
          continue;
        case ':':
          if (input[pos] !== '=') return fail('expected :=');
          pos++;
          emit('declare');
          continue;
        case '|':
          emit('pipe');
          continue;
        case '"': {
          while (true) {
            const d = input[pos++];
            if (d === '\\') {
              const e = input[pos];
              if (e !== undefined && e !== '\n') {
                pos++;
                continue;
              }
            }
            if (d === undefined || d === '\n' || d === '\\') {
              return fail('unterminated quoted string');
            }
            if (d === '"') break;
          }
          emit('string');
          continue;
        }
        case '`': {
          const endQ = input.indexOf('`', pos);
          if (endQ < 0) return fail('unterminated raw quoted string');
          pos = endQ + 1;
          emit('rawString');
          continue;
        }
        case "'": {
          while (true) {
            const d = input[pos++];
            if (d === '\\') {
              const e = input[pos];
              if (e !== undefined && e !== '\n') {
                pos++;
                continue;
              }
            }
            if (d === undefined || d === '\n' || d === '\\') {
              return fail('unterminated character constant');
            }
            if (d === "'") break;
          }
          emit('charConstant');
          continue;
        }
        case '$':
        case '.': {
          if (c === '.' && input[pos] !== undefined && input[pos] >= '0' && input[pos] <= '9') {
            pos--;
            if (!scanNumber()) return fail(`bad number syntax: "${input.slice(start, pos)}"`);
            emit('number');
            continue;
          }
          if (atTerminator()) {
            emit(c === '$' ? 'variable' : 'dot');
            continue;
          }
          for (let n = alnumAt(pos); n > 0; n = alnumAt(pos)) pos += n;
          if (!atTerminator()) return fail(`bad character ${formatRune(input.codePointAt(pos)!)}`);
          emit(c === '$' ? 'variable' : 'field');
          continue;
        }
        case '(':
          emit('leftParen');
          parenDepth++;
          continue;
        case ')':
          parenDepth--;
          if (parenDepth < 0) return fail('unexpected right paren');
          emit('rightParen');
          continue;
      }
      if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        pos--;
        if (!scanNumber()) return fail(`bad number syntax: "${input.slice(start, pos)}"`);
        emit('number');
        continue;
      }
      if (alnumAt(pos - 1) > 0) {
        pos += alnumAt(pos - 1) - 1;
        for (let n = alnumAt(pos); n > 0; n = alnumAt(pos)) pos += n;
        if (!atTerminator()) return fail(`bad character ${formatRune(input.codePointAt(pos)!)}`);
        const word = input.slice(start, pos);
        if (KEYWORDS.has(word)) emit('keyword');
        else if (word === 'true' || word === 'false') emit('bool');
        else if (word === 'nil') emit('nil');
        else emit('identifier');
        continue;
      }
      const cp = input.codePointAt(pos - 1)!;
      if (cp < 0x7f && cp > 0x20) {
        emit('char');
        continue;
      }
      return fail(`unrecognized character in action: ${formatRune(cp)}`);
    }
  }

  // The UTF-16 length of the letter, digit or underscore at `i`, or 0.
  function alnumAt(i: number): number {
    const cp = input.codePointAt(i);
    if (cp === undefined) return 0;
    if (cp < 0x80) {
      const word = (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) ||
        (cp >= 97 && cp <= 122) || cp === 95;
      return word ? 1 : 0;
    }
    const ch = String.fromCodePoint(cp);
    return ALNUM.test(ch) ? ch.length : 0;
  }

  function accept(valid: string): boolean {
    if (pos < input.length && valid.includes(input[pos])) {
      pos++;
      return true;
    }
    return false;
  }
  function acceptRun(valid: string) {
    while (pos < input.length && valid.includes(input[pos])) pos++;
  }
  function scanNumber(): boolean {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (alnumAt(pos) > 0) {
      pos++;
      return false;
    }
    return true;
  }
}
