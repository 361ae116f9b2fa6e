// A node:fs ConfigFS for tests: globs are matched in their last path segment only, which is
// all Prometheus allows in rule_files and scrape_config_files.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigFS } from '../../../core/config/mod.ts';

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Reads real files; `expandGlob` lists matching files in the pattern's directory. */
export const nodeConfigFS: ConfigFS = {
  readTextFile: (p) => readFile(p, 'utf8'),
  async expandGlob(pattern) {
    const dir = path.dirname(pattern);
    const re = globToRegExp(path.basename(pattern));
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries.filter((e) => e.isFile() && re.test(e.name)).map((e) => path.join(dir, e.name))
        .sort();
    } catch {
      return [];
    }
  },
};

/** An in-memory ConfigFS over a map of path → text. */
export function memoryConfigFS(files: Record<string, string>): ConfigFS {
  return {
    readTextFile(p) {
      if (!(p in files)) return Promise.reject(new Error(`no such file: ${p}`));
      return Promise.resolve(files[p]);
    },
    expandGlob(pattern) {
      const dir = path.posix.dirname(pattern);
      const re = globToRegExp(path.posix.basename(pattern));
      return Promise.resolve(
        Object.keys(files).filter((f) =>
          path.posix.dirname(f) === dir && re.test(path.posix.basename(f))
        )
          .sort(),
      );
    },
  };
}
