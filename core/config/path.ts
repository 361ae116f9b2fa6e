/**
 * Just enough path handling for config includes, without `node:path`: POSIX paths, plus
 * Windows drive letters (`c:\…`) treated as absolute, as Prometheus's tests expect.
 * @module
 */

/** Whether `p` is absolute (`/x`, `c:\x`, `c:/x`, `\\server\x`). */
export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** The directory part of `p` (`.` when there is none). */
export function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return p[0];
  return p.slice(0, i);
}

/** Joins path segments with `/` and removes `.` and `..` segments where it can. */
export function join(...parts: string[]): string {
  const joined = parts.filter((s) => s !== '').join('/');
  return normalize(joined);
}

/** Removes `.`, `..` and doubled slashes; keeps a leading `/`. */
export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const body = out.join('/');
  return abs ? `/${body}` : body || '.';
}

/** `file` made absolute against `dir` unless it already is (Prometheus's config.JoinDir). */
export function joinDir(dir: string, file: string): string {
  if (file === '' || isAbsolute(file)) return file;
  return join(dir, file);
}
