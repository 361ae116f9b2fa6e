/**
 * Go's `regexp.Expand` template language, used by relabel `replacement` and `target_label`:
 * `$1`, `${1}`, `$name`, `${name}`, and `$$` for a literal dollar.
 * @module
 */

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Expands `template` against a match. `groupNames[i]` names group `i` ('' when unnamed). As
 * in Go: `$1x` means the group named `1x` (so it expands to nothing), a reference to a group
 * that does not exist or did not take part is empty, and a malformed `$` is kept as text.
 */
export function expandTemplate(
  template: string,
  match: RegExpExecArray,
  groupNames: readonly string[],
): string {
  let i = template.indexOf('$');
  if (i < 0) return template;
  let out = template.slice(0, i);
  while (i >= 0) {
    const rest = i + 1;
    if (template[rest] === '$') {
      out += '$';
      const next = template.indexOf('$', rest + 1);
      out += template.slice(rest + 1, next < 0 ? undefined : next);
      i = next;
      continue;
    }
    const ref = extractRef(template, rest);
    if (!ref) {
      out += '$';
      const next = template.indexOf('$', rest);
      out += template.slice(rest, next < 0 ? undefined : next);
      i = next;
      continue;
    }
    out += groupValue(ref.name, match, groupNames);
    const next = template.indexOf('$', ref.end);
    out += template.slice(ref.end, next < 0 ? undefined : next);
    i = next;
  }
  return out;
}

function extractRef(s: string, at: number): { name: string; end: number } | undefined {
  let i = at;
  const brace = s[i] === '{';
  if (brace) i++;
  const start = i;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = s.slice(start, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  return { name, end: i };
}

function groupValue(name: string, match: RegExpExecArray, groupNames: readonly string[]): string {
  if (/^[0-9]+$/.test(name) && (name.length === 1 || name[0] !== '0') && name.length <= 8) {
    return match[Number(name)] ?? '';
  }
  for (let g = 1; g < groupNames.length; g++) {
    if (groupNames[g] === name) return match[g] ?? '';
  }
  return '';
}
