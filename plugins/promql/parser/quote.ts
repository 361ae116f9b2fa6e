/**
 * Go's `%q` and `%#U` renderings of single runes, used in lexer error messages.
 * @module
 */

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/v;

/** Go's `%q` of a rune: `'x'`, `'\n'`, `'\x00'`, `'\u00a0'`. */
export function goQuoteRune(ch: string): string {
  if (ch === '') return "'\\x00'";
  const c = ch.codePointAt(0)!;
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
    39: "\\'",
    92: '\\\\',
  };
  if (named[c]) return `'${named[c]}'`;
  if (c === 0x20 || (c > 0x20 && c < 0x7f)) return `'${ch}'`;
  if (c < 0x80) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c !== 0xa0 && PRINTABLE.test(ch)) return `'${ch}'`;
  if (c < 0x10000) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'\\U${c.toString(16).padStart(8, '0')}'`;
}

/** Go's `%#U` of a rune: `U+0071 'q'`, or just `U+000A` when it is not printable. */
export function unicodeDesc(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  const hex = 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
  const printable = c >= 0x20 && c !== 0x7f && (c < 0x80 || PRINTABLE.test(ch));
  return printable ? `${hex} '${ch}'` : hex;
}
