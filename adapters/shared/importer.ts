/**
 * Loads plugin modules by specifier: absolute paths as file URLs; `npm:` specifiers natively
 * on Deno, and as installed packages elsewhere (Bun and Node.js resolve `node_modules`).
 * @module
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleImporter } from '../../core/plugin.ts';

/** Builds the importer; `nativeNpm` is true on Deno, which understands `npm:` itself. */
export function createImporter(nativeNpm: boolean): ModuleImporter {
  return (specifier) => {
    let target = specifier;
    if (isAbsolute(target)) target = pathToFileURL(target).href;
    else if (!nativeNpm && target.startsWith('npm:')) target = stripNpm(target);
    return import(target);
  };
}

// `npm:@scope/pkg@1.2/sub` → `@scope/pkg/sub`: the version is the package manager's business.
function stripNpm(spec: string): string {
  const rest = spec.slice(4);
  const m = /^(@[^/]+\/[^@/]+|[^@/]+)(?:@[^/]*)?(\/.*)?$/.exec(rest);
  return m ? m[1] + (m[2] ?? '') : rest;
}
