/**
 * Environment expansion in `external_labels` values, as Prometheus does at load time:
 * `$VAR` and `${VAR}` become the variable's value (empty when unset), `$$` a literal `$`.
 * @module
 */

/** Looks up an environment variable; the host adapter supplies it (core has no env access). */
export type EnvLookup = (name: string) => string | undefined;

/** Expands `$VAR`, `${VAR}` and `$$` the way Go's `os.Expand` does with Prometheus's mapping. */
export function expandEnv(text: string, env: EnvLookup): string {
  if (!text.includes('$')) return text;
  const lookup = (name: string) => (name === '$' ? '$' : env(name) ?? '');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0 || end === i + 2) {
        // Go drops a malformed `${…` reference entirely.
        i = end < 0 ? text.length : end + 1;
        continue;
      }
      out += lookup(text.slice(i + 2, end));
      i = end + 1;
    } else if ('*#$@!?-0123456789'.includes(next)) {
      out += lookup(next);
      i += 2;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      out += lookup(m[0]);
      i += 1 + m[0].length;
    }
  }
  return out;
}
