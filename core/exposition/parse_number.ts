/**
 * Number parsing straight from the decoded exposition text, without allocating a substring
 * for the common case. The accepted grammar is Go's `strconv.ParseFloat` without hex floats
 * and underscores, which is what Prometheus's scraper accepts.
 * @module
 */

// Exact powers of ten: a mantissa below 2^53 scaled by one of these is correctly rounded.
const POW10 = [
  1e0,
  1e1,
  1e2,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
  1e9,
  1e10,
  1e11,
  1e12,
  1e13,
  1e14,
  1e15,
  1e16,
  1e17,
  1e18,
  1e19,
  1e20,
  1e21,
  1e22,
];

/** Character codes of the text being parsed: bytes for ASCII bodies, UTF-16 otherwise. */
export type Codes = Uint8Array | Uint16Array;

/** Character codes of a string, for the `*At` parsers. */
export function codesOf(s: string): Codes {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Parses `s[start, end)` as a float: decimal with optional sign, fraction and exponent, or
 * `Inf`/`Infinity` (optionally signed) or `NaN`, case-insensitively. Returns `undefined`
 * when the text is not such a number.
 */
export function parseFloatAt(s: Codes, start: number, end: number): number | undefined {
  let i = start;
  if (i >= end) return undefined;
  let c = s[i];
  let neg = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    if (++i >= end) return undefined;
    c = s[i];
  }
  if (c > 57 /* 9 */) return parseSpecial(s, i, end, neg, i > start);
  let mant = 0;
  let sig = 0; // significant digits folded into mant
  let exp = 0;
  let digits = 0;
  let exact = true;
  for (; i < end; i++) {
    c = s[i] - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (sig < 15) {
      if (mant !== 0 || c !== 0) {
        mant = mant * 10 + c;
        sig++;
      }
    } else {
      exact = false;
    }
  }
  if (i < end && s[i] === 46 /* . */) {
    for (i++; i < end; i++) {
      c = s[i] - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (sig < 15) {
        if (mant !== 0 || c !== 0) {
          mant = mant * 10 + c;
          sig++;
        }
        exp--;
      } else if (c !== 0) {
        exact = false;
      }
    }
  }
  if (digits === 0) return undefined;
  if (i < end) {
    c = s[i];
    if (c !== 101 /* e */ && c !== 69 /* E */) return undefined;
    i++;
    let eneg = false;
    if (i < end) {
      c = s[i];
      if (c === 45 || c === 43) {
        eneg = c === 45;
        i++;
      }
    }
    const eStart = i;
    let e = 0;
    for (; i < end; i++) {
      c = s[i] - 48;
      if (c < 0 || c > 9) return undefined;
      if (e < 100000) e = e * 10 + c;
    }
    if (i === eStart) return undefined;
    exp += eneg ? -e : e;
  }
  if (exact && exp >= -22 && exp <= 22) {
    const v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
    return neg ? -v : v;
  }
  // Rare: many digits or a large exponent. The grammar is checked, so Number() agrees.
  const v = Number(String.fromCharCode.apply(null, Array.from(s.subarray(start, end))));
  // Go reports overflow to infinity as an error, and so does the scraper.
  return v === Infinity || v === -Infinity ? undefined : v;
}

function parseSpecial(
  s: Codes,
  i: number,
  end: number,
  neg: boolean,
  signed: boolean,
): number | undefined {
  const n = end - i;
  if ((n === 3 || n === 8) && matchLower(s, i, n === 3 ? 'inf' : 'infinity')) {
    return neg ? -Infinity : Infinity;
  }
  if (n === 3 && !signed && matchLower(s, i, 'nan')) return NaN;
  return undefined;
}

function matchLower(s: Codes, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((s[i + k] | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Parses `s[start, end)` as a base-10 integer with optional sign (a text-format timestamp).
 * Returns `undefined` when it is not one or does not fit in a signed 64-bit integer.
 */
export function parseIntAt(s: Codes, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  if (i < end) {
    const c = s[i];
    if (c === 45 || c === 43) {
      neg = c === 45;
      i++;
    }
  }
  if (i >= end) return undefined;
  let v = 0;
  for (; i < end; i++) {
    const c = s[i] - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  if (v > 9223372036854775807) return undefined;
  return neg ? -v : v;
}

/**
 * Strict OpenMetrics number for `le` and `quantile` label values: a decimal or exactly
 * `+Inf`, `-Inf`, `Inf`, `NaN` (the canonical spellings). Returns `undefined` otherwise.
 */
export function parseCanonicalNumber(s: string): number | undefined {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const c = s.charCodeAt(s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0);
  if (!(c >= 48 && c <= 57) && c !== 46) return undefined;
  return parseFloatAt(codesOf(s), 0, s.length);
}

/** {@link parseFloatAt} over a whole string. */
export function parseFloatString(s: string): number | undefined {
  return parseFloatAt(codesOf(s), 0, s.length);
}
