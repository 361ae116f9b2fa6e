#!/usr/bin/env bun
// Builds a standalone Beacon executable with `bun build --compile` (Bun's bundler API):
// mod.ts → dist/beacon-bun. Run with Bun: `npm run compile:bun` or `bun scripts/compile-bun.mjs`.
//
// DuckDB's native binding is a `.node` addon that needs `libduckdb.so` beside it, which an
// executable's embedded file system cannot provide. So the binding package is replaced by a
// loader that embeds both files, writes them once to a cache directory (BEACON_CACHE_DIR, else
// the OS temp directory) and loads them from there. If that fails, the loader exports a stand-in
// whose every use throws an error with code ERR_DUCKDB_BINDING, and Beacon falls back to the
// memory engine, saying so in its log.
// Usage: bun scripts/compile-bun.mjs [--outfile=path] [--no-duckdb]
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

if (typeof Bun === 'undefined') {
  console.error('compile-bun: run this script with Bun (bun scripts/compile-bun.mjs)');
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith('--outfile='));
const outfile = path.resolve(root, outArg ? outArg.slice('--outfile='.length) : 'dist/beacon-bun');
const embedDuckdb = !args.includes('--no-duckdb');

// The binding package for this machine (cross-compiling would pick another one).
const require = createRequire(path.join(root, 'package.json'));
let bindingDir;
for (
  const name of [`${process.platform}-${process.arch}`, `${process.platform}-${process.arch}-musl`]
) {
  try {
    bindingDir = path.dirname(require.resolve(`@duckdb/node-bindings-${name}/package.json`));
    break;
  } catch { /* not installed */ }
}
const version = bindingDir
  ? JSON.parse(await Bun.file(path.join(bindingDir, 'package.json')).text()).version
  : 'none';
const libName = process.platform === 'darwin'
  ? 'libduckdb.dylib'
  : process.platform === 'win32'
  ? 'duckdb.dll'
  : 'libduckdb.so';

const loader = embedDuckdb && bindingDir
  ? `
import addonFile from ${JSON.stringify(path.join(bindingDir, 'duckdb.node'))} with { type: 'file' };
import libFile from ${JSON.stringify(path.join(bindingDir, libName))} with { type: 'file' };
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function load() {
  const base = process.env.BEACON_CACHE_DIR || tmpdir();
  const dir = join(base, ${JSON.stringify(`beacon-duckdb-${version}`)});
  mkdirSync(dir, { recursive: true });
  for (const [from, name] of [[libFile, ${JSON.stringify(libName)}], [addonFile, 'duckdb.node']]) {
    const to = join(dir, name);
    if (existsSync(to) && statSync(to).size === Bun.file(from).size) continue;
    // Written under a temporary name, then renamed: two starts at once never see half a file.
    // (The embedded file system supports reads only, so no copyFile.)
    const tmp = to + '.' + process.pid + '.tmp';
    writeFileSync(tmp, readFileSync(from));
    renameSync(tmp, to);
  }
  return createRequire(import.meta.url)(join(dir, 'duckdb.node'));
}
`
  : `
function load() {
  throw new Error('this executable was built without DuckDB (compile-bun --no-duckdb)');
}
`;

// The stand-in tolerates what @duckdb/node-api does at import time (reading enums, building
// helpers) and throws where a database would be opened.
const standIn = `
const OPENERS = new Set(['open', 'create_instance_cache', 'get_or_create_from_cache', 'create_config']);
function unavailable(cause) {
  const fail = () => {
    const e = new Error("DuckDB's native binding could not be loaded: " + (cause?.message ?? cause));
    e.code = 'ERR_DUCKDB_BINDING';
    e.cause = cause;
    throw e;
  };
  const p = new Proxy(function () {}, {
    get: (_, key) =>
      key === 'then' || typeof key === 'symbol'
        ? undefined
        : key === 'sizeof_bool'
        ? 1
        : OPENERS.has(key)
        ? fail
        : p,
    apply: () => p,
    construct: () => p,
  });
  return p;
}
let binding;
try {
  binding = load();
} catch (e) {
  binding = unavailable(e);
}
export default binding;
`;

const duckdbLoader = {
  name: 'beacon-duckdb-loader',
  setup(build) {
    build.onLoad({ filter: /@duckdb[\\/]node-bindings[\\/]duckdb\.js$/ }, () => ({
      contents: loader + standIn,
      loader: 'js',
    }));
  },
};

mkdirSync(path.dirname(outfile), { recursive: true });
const started = performance.now();
const result = await Bun.build({
  entrypoints: [path.join(root, 'mod.ts')],
  compile: { outfile },
  plugins: [duckdbLoader],
  minify: false,
  sourcemap: 'none',
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
const file = existsSync(outfile) ? outfile : outfile + '.exe';
const mib = (statSync(file).size / 1024 / 1024).toFixed(1);
const s = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `compile-bun: ${path.relative(root, file)} (${mib} MiB, DuckDB ${
    embedDuckdb && bindingDir ? version + ' embedded' : 'not embedded'
  }) in ${s} s`,
);
