/**
 * UTF-8 decoding and encoding for protobuf strings, with an ASCII fast path: label names and
 * values are nearly always ASCII, and a TextDecoder call per short string costs more than the
 * loop.
 * @module
 */

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Decodes `buf[start, end)`; `null` when the bytes are not valid UTF-8. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string | null {
  const n = end - start;
  if (n <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Small ASCII strings: one fromCharCode over a subarray beats TextDecoder's call cost.
      return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
    }
  }
  try {
    return strict.decode(buf.subarray(start, end));
  } catch {
    return null;
  }
}

/** Number of bytes `s` takes in UTF-8 (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 code units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/** Writes `s` as UTF-8 into `buf` at `pos` (room for `utf8Length(s)` bytes must exist). */
export function writeUtf8(s: string, buf: Uint8Array, pos: number): number {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[pos + i] = c;
  }
  if (i === n) return pos + n;
  const r = encoder.encodeInto(s.slice(i), buf.subarray(pos + i));
  return pos + i + r.written;
}
