// The hash that ties core/api/ui_assets.gen.ts to its sources (ui/ and the build scripts);
// scripts/build-ui.mjs records it and test/core/api/ui.test.ts checks it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Hash of every file under ui/ and of this script: path and bytes, in path order. */
export function uiSourceHash() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('ui');
  files.push('scripts/build-ui.mjs', 'scripts/ui_source_hash.mjs');
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(path.join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}
