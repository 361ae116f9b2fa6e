/**
 * Literal values as Prometheus reads and writes them: numbers (Go's `ParseInt(s, 0, 64)` then
 * `ParseFloat`), durations (`1h30m`, `500ms`), quoted strings with Go escapes, and Go's float
 * formats (`'f', -1` and `%v`).
 * @module
 */
import { goQuote } from '../../../core/model/mod.ts';

const INT64_MAX = 2n ** 63n - 1n;

/** Parses a NUMBER token; returns the value or the Go error text. */
export function parseNumber(val: string): number | { error: string } {
  const lower = val.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Infinity;
  if (unsigned === 'nan') return NaN;
  const invalid = { error: `strconv.ParseFloat: parsing ${JSON.stringify(val)}: invalid syntax` };
  const digits = (s: string, re: RegExp) => re.test(s) && !/__|_$/.test(s);
  if (/^0x/.test(lower)) {
    const body = lower.slice(2).replace(/^_/, '');
    if (!digits(body, /^[0-9a-f][0-9a-f_]*$/)) return invalid;
    const n = BigInt('0x' + body.replaceAll('_', ''));
    return n > INT64_MAX ? invalid : Number(n);
  }
  if (digits(lower, /^0[0-7_]+$/)) return parseInt(lower.replaceAll('_', ''), 8);
  if (!digits(lower, /^(\d[\d_]*)?(\.(\d[\d_]*)?)?(e[+-]?\d[\d_]*)?$/) || !/\d/.test(lower)) {
    return invalid;
  }
  const f = Number(lower.replaceAll('_', ''));
  if (!Number.isFinite(f)) {
    return { error: `strconv.ParseFloat: parsing ${JSON.stringify(val)}: value out of range` };
  }
  return f;
}

const UNITS: Record<string, [order: number, ms: number]> = {
  y: [1, 365 * 86400e3],
  w: [2, 7 * 86400e3],
  d: [3, 86400e3],
  h: [4, 3600e3],
  m: [5, 60e3],
  s: [6, 1e3],
  ms: [7, 1],
};
// time.Duration is int64 nanoseconds.
const MAX_DURATION_MS = 9223372036854.775;

/**
 * Parses a Prometheus duration (`1h30m`: units y w d h m s ms, each at most once, largest first)
 * into milliseconds; throws with Prometheus's message.
 */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new Error('empty duration string');
  const invalid = () => new Error(`not a valid duration string: ${goQuote(s)}`);
  let ms = 0;
  let lastOrder = 0;
  for (const part of s.matchAll(/(\d*)(\D*)/g)) {
    if (part[0] === '') continue;
    if (part[1] === '' || part[2] === '') throw invalid();
    const unit = UNITS[part[2]];
    if (!unit) throw new Error(`unknown unit ${goQuote(part[2])} in duration ${goQuote(s)}`);
    if (unit[0] <= lastOrder) throw invalid();
    lastOrder = unit[0];
    ms += Number(part[1]) * unit[1];
    if (ms > MAX_DURATION_MS) throw new Error('duration out of range');
  }
  return ms;
}

const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Formats milliseconds as Prometheus does (`model.Duration.String`): `1h30m`, `1w`, `0s`. */
export function formatDuration(ms: number): string {
  let left = Math.trunc(ms);
  if (left === 0) return '0s';
  let out = '';
  const units: [string, number, boolean][] = [
    ['y', UNIT_MS[0], true],
    ['w', UNIT_MS[1], true],
    ['d', UNIT_MS[2], false],
    ['h', UNIT_MS[3], false],
    ['m', UNIT_MS[4], false],
    ['s', UNIT_MS[5], false],
    ['ms', 1, false],
  ];
  for (const [unit, mult, exact] of units) {
    if (exact && left % mult !== 0) continue;
    const v = Math.trunc(left / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      left -= v * mult;
    }
  }
  return out;
}

/** Decodes a STRING token (with its quotes) as Go's unquoting does; `\x` and octal are bytes. */
export function unquoteString(s: string): string {
  const q = s[0];
  const body = s.slice(1, -1);
  if (q === '`') return body.replaceAll('\r', '');
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  const simple: Record<string, number> = {
    a: 7,
    b: 8,
    f: 12,
    n: 10,
    r: 13,
    t: 9,
    v: 11,
    '\\': 92,
    "'": 39,
    '"': 34,
  };
  for (let i = 0; i < body.length;) {
    const cp = body.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e in simple) {
      bytes.push(simple[e]);
      i += 2;
    } else if (e === 'x') {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      bytes.push(...enc.encode(String.fromCodePoint(parseInt(body.slice(i + 2, i + 2 + n), 16))));
      i += 2 + n;
    } else {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    }
  }
  return decodeBytes(new Uint8Array(bytes));
}

/**
 * Decodes UTF-8; when the bytes are not valid UTF-8 (`"\xff"`), every byte from 0x80 becomes the
 * lone surrogate U+DC80+byte (the convention core/model's `goQuote` prints back as `\xNN`), so
 * the string stays invalid as the Go string would and name validation rejects it.
 */
function decodeBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let out = '';
    for (const b of bytes) out += String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
    return out;
  }
}

/** Digits and decimal exponent of the shortest round-trip form of a finite positive float. */
function shortest(v: number): { digits: string; exp: number } {
  const [mant, e] = v.toExponential().split('e');
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: plain decimal, `+Inf`, `-Inf`, `NaN`. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = shortest(Math.abs(v));
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's `%v` of a float64: like {@link formatFloat} but with an exponent below 1e-4 or from 1e21. */
export function formatFloatV(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatFloat(v);
  const { digits, exp } = shortest(Math.abs(v));
  if (exp >= -4 && exp < 21) return formatFloat(v);
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const es = Math.abs(exp).toString().padStart(2, '0');
  return `${v < 0 ? '-' : ''}${mant}e${exp < 0 ? '-' : '+'}${es}`;
}

/** Go's `%f` (six decimals; `+Inf`, `-Inf`, `NaN`). */
export function formatFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
