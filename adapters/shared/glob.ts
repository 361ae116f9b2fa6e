/**
 * File globbing with Go's `filepath.Glob` rules (`*`, `?`, `[…]`, `\` escapes, in any path
 * element), which is what Prometheus uses for `rule_files` and `scrape_config_files`.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const MAGIC = /[*?[\\]/;

/** Whether `pattern` has glob metacharacters. */
export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** Translates one path element's pattern into an anchored RegExp. */
export function elementRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`syntax error in pattern ${JSON.stringify(pattern)}`);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/[\]\\]/g, '\\$&');
      else body = body.replace(/[\]\\^]/g, '\\$&');
      re += `[${body}]`;
      i = end;
    } else re += escape(ch);
  }
  return new RegExp(`^${re}$`, 'u');
}

function escape(ch: string): string {
  // Only syntax characters may be escaped under the `u` flag (`\-` is an error there).
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Expands `pattern` to the sorted list of existing paths; a plain path must exist to match. */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!hasMagic(pattern)) {
    try {
      await stat(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const abs = path.isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases: string[] = [abs ? '/' : '.'];
  for (let i = abs ? 1 : 0; i < parts.length; i++) {
    const part = parts[i];
    const next: string[] = [];
    if (!hasMagic(part)) {
      for (const b of bases) next.push(path.join(b, part));
    } else {
      const re = elementRegex(part);
      for (const b of bases) {
        let names: string[];
        try {
          names = await readdir(b);
        } catch {
          continue;
        }
        for (const n of names.sort()) {
          if (re.test(n) && !(n.startsWith('.') && !part.startsWith('.'))) {
            next.push(path.join(b, n));
          }
        }
      }
    }
    bases = next;
  }
  const out: string[] = [];
  for (const b of bases) {
    try {
      await stat(b);
      out.push(abs ? b : b.replace(/^\.\//, ''));
    } catch { /* vanished or never existed */ }
  }
  return out.sort();
}
