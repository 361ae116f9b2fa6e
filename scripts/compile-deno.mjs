#!/usr/bin/env node
// Builds a standalone Beacon executable with `deno compile`: mod.ts → dist/beacon-deno.
// Usage: node scripts/compile-deno.mjs [--outfile=path]   (npm run compile:deno)
//
// `--self-extracting` makes the executable unpack its files to disk on first run, so DuckDB's
// native addon finds libduckdb.so beside it; where the binding still fails to load, Beacon
// runs on the memory engine and logs so. Development packages (test runners, browsers, the
// runtimes themselves) are left out of the embedded node_modules.
// `deno compile` needs Deno's runtime-only binary (denort) for the target: it downloads it,
// or takes the one named by DENORT_BIN where there is no network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith('--outfile='));
const outfile = path.resolve(root, outArg ? outArg.slice('--outfile='.length) : 'dist/beacon-deno');
const deno = path.join(root, 'node_modules', '.bin', 'deno');

// Everything installed that production code does not need: devDependencies and their
// platform packages. Anything under node_modules/ that is not a production dependency
// (directly or through another one) is excluded.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const needed = new Set();
const visit = (name) => {
  if (needed.has(name)) return;
  const manifest = path.join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return;
  needed.add(name);
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) visit(dep);
};
for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
const excludes = [];
for (const entry of readdirSync(path.join(root, 'node_modules'))) {
  if (entry.startsWith('.')) continue;
  const names = entry.startsWith('@')
    ? readdirSync(path.join(root, 'node_modules', entry)).map((n) => `${entry}/${n}`)
    : [entry];
  for (const name of names) {
    if (!needed.has(name)) excludes.push(`--exclude=node_modules/${name}`);
  }
}

mkdirSync(path.dirname(outfile), { recursive: true });
const started = performance.now();
const r = spawnSync(deno, [
  'compile',
  '-A',
  '--no-check',
  '--self-extracting',
  ...excludes,
  `--output=${outfile}`,
  'mod.ts',
], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  if (/denort|dl\.deno\.land|error sending request/.test(r.stderr)) {
    console.error(
      'compile-deno: deno compile could not get its runtime binary (denort); with no network, ' +
        'set DENORT_BIN to a denort of the same Deno version',
    );
  }
  process.exit(r.status ?? 1);
}
const mib = (statSync(outfile).size / 1024 / 1024).toFixed(1);
const s = ((performance.now() - started) / 1000).toFixed(1);
console.log(`compile-deno: ${path.relative(root, outfile)} (${mib} MiB) in ${s} s`);
