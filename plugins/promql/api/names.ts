/**
 * Prometheus's `U__` value-encoding escape of label names in URL paths
 * (`/api/v1/label/U__my_2e_label/values` names `my.label`).
 * @module
 */

/**
 * Decodes a `U__`-escaped name: `__` is `_`, `_<hex>_` is that code point, other characters
 * stand for themselves. A name without the prefix, or not validly escaped, comes back as is.
 */
export function unescapeLabelName(name: string): string {
  if (!name.startsWith('U__')) return name;
  const s = name.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '_') {
      out += c;
      continue;
    }
    if (s[i + 1] === '_') {
      out += '_';
      i++;
      continue;
    }
    const end = s.indexOf('_', i + 1);
    if (end < 0) return name;
    const hex = s.slice(i + 1, end);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return name;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return name;
    out += String.fromCodePoint(cp);
    i = end;
  }
  return out;
}
