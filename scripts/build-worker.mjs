#!/usr/bin/env node
// Bundles the Cloudflare Worker with esbuild: examples/cloudflare-worker/worker.ts →
// dist/worker/worker.mjs, one ES module for workerd: web platform only, no `node:` imports,
// no DuckDB (the edge plugins carry the memory engine). Fails when the output still imports
// anything, since a Worker upload is this one file, and on any static `node:` import; a
// dynamic `import('node:…')` (a feature that needs the file system, e.g. the query log) is
// replaced by a module that throws, so that only using that feature fails on the edge.
// Usage: node scripts/build-worker.mjs [--entry=path] [--outfile=path] [--minify]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};
const entry = arg('entry', 'examples/cloudflare-worker/worker.ts');
const outfile = path.resolve(root, arg('outfile', 'dist/worker/worker.mjs'));
const minify = args.includes('--minify');

let esbuild;
try {
  esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
} catch {
  console.error('build-worker: esbuild is not installed; run `npm install --save-dev esbuild`');
  process.exit(1);
}

/** Dynamic `node:` imports become a rejected import; static ones fail the build. */
const noNode = {
  name: 'no-node',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'edge-unavailable' };
      return {
        errors: [{
          text: `${args.path} is not available on the edge (imported by ${args.importer})`,
        }],
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'edge-unavailable' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available on the edge`)});`,
      loader: 'js',
    }));
  },
};

const started = performance.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  format: 'esm',
  target: 'es2022',
  sourcemap: 'linked',
  minify,
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
  plugins: [noNode],
});
if (result.errors.length) process.exit(1);
const imports = Object.values(result.metafile.outputs)
  .flatMap((o) => o.imports ?? [])
  .filter((i) => i.external);
if (imports.length > 0) {
  console.error(
    `build-worker: the bundle must be self-contained, but imports ${
      imports.map((i) => i.path).join(', ')
    }`,
  );
  process.exit(1);
}
const kib = (statSync(outfile).size / 1024).toFixed(0);
const ms = (performance.now() - started).toFixed(0);
console.log(`build-worker: ${path.relative(root, outfile)} (${kib} KiB) in ${ms} ms`);
