/**
 * Go literal syntax used inside actions: quoted strings, character constants and numbers
 * (`strconv.Unquote`, `ParseInt(_, 0, 64)` and `ParseFloat`).
 * @module
 */

const SIMPLE: Record<string, number> = {
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

const decoder = new TextDecoder();

/** Decodes a Go quoted literal (`"…"`, `` `…` `` or `'…'`); `undefined` when malformed. */
export function unquote(raw: string): string | undefined {
  const q = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== q) return undefined;
  const body = raw.slice(1, -1);
  if (q === '`') return body.includes('\r') ? body.replaceAll('\r', '') : body;
  if (q !== '"' && q !== "'") return undefined;
  if (!body.includes('\\')) {
    if (q === "'" && [...body].length !== 1) return undefined;
    return body;
  }
  // \x and octal escapes denote bytes, so collect UTF-8 and decode at the end.
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...enc.encode(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    if (e in SIMPLE) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) return undefined;
      bytes.push(SIMPLE[e]);
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
      i += n;
      const v = parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
        bytes.push(...enc.encode(String.fromCodePoint(v)));
      }
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 2;
    } else return undefined;
  }
  const s = decoder.decode(new Uint8Array(bytes));
  if (q === "'" && [...s].length !== 1) return undefined;
  return s;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go's `strconv.ParseInt(text, 0, 64)`; `undefined` on bad syntax or overflow. */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, s, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, s, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, s, prefixed] = [2, s.slice(2), true];
  else if (s.length > 1 && s[0] === '0') [base, s, prefixed] = [8, s.slice(1), true];
  if (s.includes('_')) {
    if (/__|_$/.test(s) || (s[0] === '_' && !prefixed) || (s[0] === '_' && base === 8)) {
      return undefined;
    }
    s = s.replaceAll('_', '');
  }
  const valid = base === 16
    ? /^[0-9a-fA-F]+$/
    : base === 8
    ? /^[0-7]+$/
    : base === 2
    ? /^[01]+$/
    : /^[0-9]+$/;
  if (!valid.test(s)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + s);
  if (neg) v = -v;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's `strconv.ParseFloat(text, 64)` for decimal syntax and Inf/NaN; `undefined` if invalid. */
export function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text[0] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(text)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(text)!;
    const mant = parseInt((m[2] || '0') + (m[3] || ''), 16);
    const v = mant * 2 ** (Number(m[4]) - 4 * m[3].length);
    return m[1] === '-' ? -v : v;
  }
  return undefined;
}
