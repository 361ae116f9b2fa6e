#!/usr/bin/env node
// Runs the test suite under Deno and then Bun, and ends with one summary line that CI reads.
// Usage: node scripts/test.mjs [deno|bun] [paths…]   (default: both runtimes, all of test/)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const only = args[0] === 'deno' || args[0] === 'bun' ? args.shift() : undefined;
const paths = args.length ? args : ['test/'];
const ESC = String.fromCharCode(27);
const strip = (s) =>
  s.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, ''))).join('');

const runtimes = {
  deno: {
    cmd: [bin('deno'), 'test', '-A', '--no-check', ...paths],
    // "ok | 12 passed (3 steps) | 0 failed (1s)"
    count(out) {
      const m = [
        ...strip(out).matchAll(
          /(\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \((\d+) steps?\))?/g,
        ),
      ].pop();
      return m ? { passed: +m[1] + +(m[2] ?? 0), failed: +m[3] + +(m[4] ?? 0) } : undefined;
    },
  },
  bun: {
    cmd: [
      bin('bun'),
      'test',
      '--timeout',
      '60000',
      ...paths.map((p) => (p.startsWith('.') || p.startsWith('/') ? p : `./${p}`)),
    ],
    count(out) {
      const s = strip(out);
      const p = s.match(/^\s*(\d+) pass$/m), f = s.match(/^\s*(\d+) fail$/m);
      return p ? { passed: +p[1], failed: f ? +f[1] : 0 } : undefined;
    },
  },
};

function run(name) {
  const rt = runtimes[name];
  console.log(`\n=== ${name}: ${rt.cmd.slice(1).join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(rt.cmd[0], rt.cmd.slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    const tee = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ name, code: code ?? 1, counts: rt.count(out) }));
  });
}

let passed = 0, failed = 0;
const bad = [];
for (const name of only ? [only] : ['deno', 'bun']) {
  const r = await run(name);
  if (!r.counts) {
    bad.push(`${name}: no test summary (exit ${r.code})`);
    failed++;
    continue;
  }
  passed += r.counts.passed;
  failed += r.counts.failed;
  if (r.code !== 0 && r.counts.failed === 0) {
    bad.push(`${name}: exit ${r.code}`);
    failed++;
  }
  console.log(`--- ${name}: ${r.counts.passed} passed, ${r.counts.failed} failed`);
}
for (const b of bad) console.log(`!!! ${b}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
