#!/usr/bin/env node
// Bundles Beacon for Node.js (>= 20) with esbuild: adapters/node/main.ts → dist/beacon.mjs.
// Node cannot run TypeScript, so everything but native modules goes into one ES module;
// @duckdb/node-api (a native binding) stays external and is resolved from node_modules.
// Usage: node scripts/build-node.mjs [--outfile=path] [--minify]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith('--outfile='));
const outfile = path.resolve(root, outArg ? outArg.slice('--outfile='.length) : 'dist/beacon.mjs');
const minify = args.includes('--minify');

let esbuild;
try {
  esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
} catch {
  console.error('build-node: esbuild is not installed; run `npm install --save-dev esbuild`');
  process.exit(1);
}

const started = performance.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['adapters/node/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@duckdb/node-api', '@duckdb/node-bindings*'],
  // Bundled CommonJS dependencies call require() for Node built-ins; ESM output has none.
  banner: {
    js: "import { createRequire as __beaconRequire } from 'node:module';\n" +
      'const require = __beaconRequire(import.meta.url);',
  },
  sourcemap: 'linked',
  minify,
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
});
if (result.errors.length) process.exit(1);
const kib = (statSync(outfile).size / 1024).toFixed(0);
const ms = (performance.now() - started).toFixed(0);
console.log(`build-node: ${path.relative(root, outfile)} (${kib} KiB) in ${ms} ms`);
