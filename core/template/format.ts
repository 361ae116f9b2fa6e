/**
 * Go's fmt for template values: float formatting as strconv does it (shortest `%v`, correctly
 * rounded `%.Nf`/`%.Ng` with ties to even), quoting, `Sprint`, `Sprintln` and `Sprintf`.
 * @module
 */
import { kindOf, mapGet, mapKeys, typeName } from './values.ts';

interface Digits {
  /** Significant digits without trailing zeros ('' for zero). */
  d: string;
  /** Position of the decimal point relative to the start of `d`. */
  dp: number;
}

function trimZeros(d: string): string {
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 48) end--;
  return d.slice(0, end);
}

// JS's toExponential() without an argument gives the shortest round-tripping digits, the same
// digits Go's strconv picks for precision -1.
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const s = x.toExponential();
  const e = s.indexOf('e');
  const d = trimZeros(s.slice(0, e).replace('.', ''));
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

const F64 = new DataView(new ArrayBuffer(8));

// The exact decimal expansion of a (positive, finite) double, so that rounding to a precision
// can break ties to even as Go does (JS's toFixed/toPrecision round ties away from zero).
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  F64.setFloat64(0, x);
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  let e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) e = 1;
  else m |= 1n << 52n;
  e -= 1075;
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (m << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (m * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return { d: trimZeros(digits), dp };
}

function roundDigits(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 && nd + 1 === a.d.length) {
    up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else up = c >= 53;
  if (!up) return { d: trimZeros(a.d.slice(0, nd)), dp: a.dp };
  let i = nd - 1;
  while (i >= 0 && a.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(dg: Digits, prec: number, ch: string): string {
  let s = dg.d.length > 0 ? dg.d[0] : '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += i < dg.d.length ? dg.d[i] : '0';
  }
  const exp = dg.d.length === 0 ? 0 : dg.dp - 1;
  const ae = Math.abs(exp);
  return `${s}${ch}${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

function fmtF(dg: Digits, prec: number): string {
  let s: string;
  if (dg.dp > 0) {
    s = dg.d.slice(0, dg.dp);
    if (dg.dp > dg.d.length) s += '0'.repeat(dg.dp - dg.d.length);
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dg.dp + i - 1;
      s += j < 0 || j >= dg.d.length ? '0' : dg.d[j];
    }
  }
  return s;
}

/**
 * Go's `strconv.FormatFloat(x, fmt, prec, 64)` for fmt `e`, `E`, `f`, `g`, `G`; `prec` -1 means
 * the shortest representation that round-trips.
 */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const shortest = prec < 0;
  let dg: Digits;
  if (shortest) {
    dg = shortestDigits(ax);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(dg.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(dg.d.length - dg.dp, 0);
    else prec = dg.d.length;
  } else {
    dg = exactDigits(ax);
    if (fmt === 'e' || fmt === 'E') dg = roundDigits(dg, prec + 1);
    else if (fmt === 'f') dg = roundDigits(dg, dg.dp + prec);
    else {
      if (prec === 0) prec = 1;
      dg = roundDigits(dg, prec);
    }
  }
  let body: string;
  if (fmt === 'e' || fmt === 'E') body = fmtE(dg, prec, fmt);
  else if (fmt === 'f') body = fmtF(dg, prec);
  else {
    let eprec = prec;
    const nd = dg.d.length;
    if (eprec > nd && nd >= dg.dp) eprec = nd;
    if (shortest) eprec = 6;
    const exp = dg.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (prec > nd) prec = nd;
      body = fmtE(dg, prec - 1, fmt === 'g' ? 'e' : 'E');
    } else {
      if (prec > dg.dp) prec = nd;
      body = fmtF(dg, Math.max(prec - dg.dp, 0));
    }
  }
  return neg ? '-' + body : body;
}

/** Go's `%v` of a float64 (`1e+06`, `0.1`, `+Inf`). */
export function formatGoFloat(x: number): string {
  return formatFloat(x, 'g', -1);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's `unicode.IsPrint`: graphic characters and the ASCII space. */
export function isPrint(cp: number): boolean {
  return cp === 0x20 || (cp > 0x20 && cp !== 0x7f && PRINTABLE.test(String.fromCodePoint(cp)));
}

const ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
  92: '\\\\',
};

function escapeRune(cp: number, quote: number): string {
  if (cp === quote) return '\\' + String.fromCharCode(quote);
  const e = ESCAPES[cp];
  if (e) return e;
  if (isPrint(cp)) return String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** Go's `strconv.Quote`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 34);
  return out + '"';
}

/** Go's `strconv.QuoteRune`. */
export function goQuoteRune(cp: number): string {
  if (cp > 0x10ffff || cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return "'" + escapeRune(cp, 39) + "'";
}

/** Formatting flags of one printf verb. */
interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid?: number;
  prec?: number;
}

const NO_FLAGS: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false };

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, f: Flags, zeroOk = true): string {
  if (f.wid === undefined) return s;
  const w = f.wid - runeCount(s);
  if (w <= 0) return s;
  if (f.minus) return s + ' '.repeat(w);
  return (f.zero && zeroOk ? '0' : ' ').repeat(w) + s;
}

function fmtInteger(v: bigint, base: number, verb: string, f: Flags): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = -1;
  if (f.prec !== undefined) {
    prec = f.prec;
    if (prec === 0 && v === 0n) return pad('', { ...f, zero: false });
  } else if (f.zero && !f.minus && f.wid !== undefined) {
    prec = f.wid;
    if (neg || f.plus || f.space) prec--;
  }
  if (prec > digits.length) digits = '0'.repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 8 && digits[0] !== '0') digits = '0' + digits;
    else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
    else if (base === 2) digits = '0b' + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  if (neg) digits = '-' + digits;
  else if (f.plus) digits = '+' + digits;
  else if (f.space) digits = ' ' + digits;
  return pad(digits, { ...f, zero: false });
}

function fmtFloatVerb(v: number, verb: string, prec: number, f: Flags): string {
  const fmt = (verb === 'F' ? 'f' : verb) as 'e' | 'E' | 'f' | 'g' | 'G';
  let num = formatFloat(v, fmt, f.prec ?? prec);
  if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
  if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(num, f, false);
  }
  if (f.sharp && fmt !== 'e' && fmt !== 'E' && !num.includes('.') && !num.includes('e')) {
    num += '.';
  }
  if (f.plus || num[0] !== '+') {
    if (f.zero && !f.minus && f.wid !== undefined && f.wid > num.length) {
      return num[0] + '0'.repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

const encoder = new TextEncoder();

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec !== undefined && verb !== 'x' && verb !== 'X') {
    s = [...s].slice(0, f.prec).join('');
  }
  switch (verb) {
    case 'v':
    case 's':
      return pad(s, f);
    case 'q':
      return pad(goQuote(s), f);
    case 'x':
    case 'X': {
      let bytes = encoder.encode(s);
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      const parts: string[] = [];
      for (const b of bytes) {
        let h = b.toString(16).padStart(2, '0');
        if (verb === 'X') h = h.toUpperCase();
        if (f.sharp) h = (verb === 'X' ? '0X' : '0x') + h;
        parts.push(h);
      }
      return pad(parts.join(f.space ? ' ' : ''), f);
    }
  }
  return badVerb(s, verb);
}

function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v, 'v', NO_FLAGS, 0)})`;
}

function hasStringer(v: object): v is { String(): string } {
  return typeof (v as { String?: unknown }).String === 'function';
}

/** Formats one value with one verb, as Go's fmt `printArg` does. */
function formatValue(v: unknown, verb: string, f: Flags, depth: number): string {
  if (verb === 'T') return pad(typeName(v), f);
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return verb === 'v' ? pad('<nil>', f) : badVerb(v, verb);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(v, verb);
    case 'float': {
      const x = v as number;
      switch (verb) {
        case 'v':
          return fmtFloatVerb(x, 'g', -1, f);
        case 'e':
        case 'E':
        case 'f':
        case 'F':
          return fmtFloatVerb(x, verb, 6, f);
        case 'g':
        case 'G':
          return fmtFloatVerb(x, verb, -1, f);
      }
      return badVerb(v, verb);
    }
    case 'int': {
      const n = v as bigint;
      switch (verb) {
        case 'v':
        case 'd':
          return fmtInteger(n, 10, verb, f);
        case 'b':
          return fmtInteger(n, 2, verb, f);
        case 'o':
        case 'O':
          return fmtInteger(n, 8, verb, f);
        case 'x':
        case 'X':
          return fmtInteger(n, 16, verb, f);
        case 'c':
          return pad(String.fromCodePoint(runeOf(n)), f);
        case 'q':
          return pad(goQuoteRune(Number(n)), f);
        case 'U': {
          let s = 'U+' + n.toString(16).toUpperCase().padStart(4, '0');
          if (f.sharp && isPrint(Number(n))) s += ` '${String.fromCodePoint(Number(n))}'`;
          return pad(s, f);
        }
      }
      return badVerb(v, verb);
    }
    case 'string':
      return fmtString(v as string, verb, f);
    case 'slice': {
      const parts = (v as unknown[]).map((e) => formatValue(e, verb, f, depth + 1));
      return `[${parts.join(' ')}]`;
    }
    case 'map': {
      const m = v as object;
      const parts = mapKeys(m).map((k) =>
        `${formatValue(k, verb, f, depth + 1)}:${formatValue(mapGet(m, k), verb, f, depth + 1)}`
      );
      return `map[${parts.join(' ')}]`;
    }
    case 'struct': {
      const o = v as Record<string, unknown>;
      if (hasStringer(o) && (verb === 'v' || verb === 's' || verb === 'q')) {
        return fmtString(String(o.String()), verb, f);
      }
      const parts = Object.keys(o).map((k) => formatValue(o[k], verb, f, depth + 1));
      const ptr = typeName(o).startsWith('*');
      return `${ptr ? '&' : ''}{${parts.join(' ')}}`;
    }
    default:
      return verb === 'v' ? pad(typeName(v), f) : badVerb(v, verb);
  }
}

function runeOf(n: bigint): number {
  return n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn) ? 0xfffd : Number(n);
}

/** Go's `fmt.Sprint(v)` of a single value, which is how templates print action results. */
export function sprintValue(v: unknown): string {
  return formatValue(v, 'v', NO_FLAGS, 0);
}

/** Go's `fmt.Sprint`: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += sprintValue(a);
    prevString = isString;
  });
  return out;
}

/** Go's `fmt.Sprintln`: spaces between all operands and a trailing newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map(sprintValue).join(' ') + '\n';
}

function parseNum(s: string, i: number): [number | undefined, number] {
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i === start ? [undefined, i] : [Number(s.slice(start, i)), i];
}

/** Go's `fmt.Sprintf` over template values (bigint for int, number for float64). */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  const end = format.length;
  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false };
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (typeof a === 'bigint') {
        f.wid = Number(a);
        if (f.wid < 0) {
          f.minus = true;
          f.zero = false;
          f.wid = -f.wid;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      const [w, j] = parseNum(format, i);
      f.wid = w;
      i = j;
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (typeof a === 'bigint' && a >= 0n) f.prec = Number(a);
        else out += '%!(BADPREC)';
      } else {
        const [p, j] = parseNum(format, i);
        f.prec = p ?? 0;
        i = j;
      }
    }
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatValue(args[argNum++], verb, f, 0);
  }
  if (argNum < args.length) {
    const extra = args.slice(argNum).map((a) =>
      a === null || a === undefined ? '<nil>' : `${typeName(a)}=${sprintValue(a)}`
    );
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
