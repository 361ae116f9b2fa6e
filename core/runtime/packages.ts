/**
 * Finding an installed package (`npm install` / `bun add`) for a plugin specifier, starting at
 * the config file's directory: a package installed next to the config is found even when
 * Beacon itself lives elsewhere, which a plain `import('name')` would not do (it resolves from
 * Beacon's own files).
 * @module
 */
import { dirname, join } from '../config/mod.ts';
import type { Host } from '../host.ts';

/** Splits `@scope/pkg/sub/path` into the package name and the `./sub/path` subpath. */
export function splitPackageSpecifier(spec: string): { name: string; subpath: string } | undefined {
  const m = /^((?:@[^/@]+\/)?[^/@.][^/@]*)(\/.*)?$/.exec(spec);
  return m ? { name: m[1], subpath: m[2] ? '.' + m[2] : '.' } : undefined;
}

/** Whether `spec` names a package (not a path, URL or `npm:`/`jsr:` specifier). */
export function isBarePackage(spec: string): boolean {
  return !/^[./\\]/.test(spec) && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(spec) &&
    splitPackageSpecifier(spec) !== undefined;
}

/**
 * Picks the file of a package.json `exports` value for `subpath`, trying `conditions` in the
 * order the package lists its keys (Node.js's rule: the package's order wins).
 */
export function exportsTarget(
  exports: unknown,
  subpath: string,
  conditions: readonly string[],
): string | undefined {
  const isSubpathMap = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x) &&
    Object.keys(x).some((k) => k.startsWith('.'));
  const pick = (x: unknown): string | undefined => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x)) {
      for (const alt of x) {
        const t = pick(alt);
        if (t) return t;
      }
      return undefined;
    }
    if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        if (conditions.includes(k)) {
          const t = pick(v);
          if (t) return t;
        }
      }
    }
    return undefined;
  };
  if (isSubpathMap(exports)) {
    if (subpath in exports) return pick(exports[subpath]);
    // One level of `./*` patterns, the common case.
    for (const [k, v] of Object.entries(exports)) {
      const star = k.indexOf('*');
      if (star < 0) continue;
      const [pre, post] = [k.slice(0, star), k.slice(star + 1)];
      if (subpath.startsWith(pre) && subpath.endsWith(post)) {
        const t = pick(v);
        return t?.replace('*', subpath.slice(pre.length, subpath.length - post.length));
      }
    }
    return undefined;
  }
  return subpath === '.' ? pick(exports) : undefined;
}

/** The package.json conditions a runtime matches, most specific first. */
export function runtimeConditions(runtime: string): string[] {
  const own = runtime === 'deno' || runtime === 'bun' ? [runtime, 'node'] : [runtime];
  return [...own, 'import', 'module', 'default'];
}

/**
 * The absolute path of the module a bare package specifier names when that package is
 * installed in a `node_modules` at or above `baseDir`; undefined when it is not (the caller
 * then leaves the specifier to the runtime's own resolution).
 */
export async function findInstalledPackage(
  spec: string,
  baseDir: string,
  host: Pick<Host, 'readTextFile' | 'resolvePath' | 'runtime'>,
): Promise<string | undefined> {
  const parts = splitPackageSpecifier(spec);
  if (!parts) return undefined;
  let dir = host.resolvePath(baseDir);
  for (;;) {
    const pkgDir = join(dir, 'node_modules', parts.name);
    let manifest: Record<string, unknown> | undefined;
    try {
      manifest = JSON.parse(await host.readTextFile(join(pkgDir, 'package.json')));
    } catch {
      manifest = undefined;
    }
    if (manifest) {
      const target = manifest.exports !== undefined
        ? exportsTarget(manifest.exports, parts.subpath, runtimeConditions(host.runtime.name))
        : parts.subpath !== '.'
        ? parts.subpath
        : typeof manifest.main === 'string'
        ? manifest.main
        : 'index.js';
      return target ? join(pkgDir, target) : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir || parent === '.') return undefined;
    dir = parent;
  }
}
