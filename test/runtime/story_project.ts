/**
 * A user's project directory for the story: the `examples/plugin-ntfy` package installed with
 * `npm install` or `bun add` from a file path (offline), next to Beacon's config.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { repoRoot } from '../helpers/host.ts';

/** How the plugin package gets into the project. */
export type Installer = 'npm' | 'bun';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

function run(argv: string[], cwd: string): string {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
  return r.stdout + r.stderr;
}

/**
 * Makes `dir` a project with `beacon-plugin-ntfy` installed by `installer`. The package is
 * packed the way its `prepack` script does (esbuild writes `dist/mod.js`, for Node.js), and
 * valibot — the peer dependency Beacon itself provides — comes from Beacon's own copy, so that
 * nothing is downloaded. Returns the installer's output.
 */
export function installPluginProject(dir: string, installer: Installer): string {
  mkdirSync(path.join(dir, 'packages'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'beacon-story-project', private: true, type: 'module' }),
  );
  // The package as `npm pack` would ship it.
  const pkg = path.join(dir, 'packages', 'beacon-plugin-ntfy');
  const src = path.join(repoRoot, 'examples', 'plugin-ntfy');
  mkdirSync(pkg, { recursive: true });
  for (const f of ['package.json', 'deno.json', 'mod.ts']) {
    cpSync(path.join(src, f), path.join(pkg, f));
  }
  run([
    bin('esbuild'),
    'mod.ts',
    '--format=esm',
    '--platform=neutral',
    '--outfile=dist/mod.js',
    '--log-level=warning',
  ], pkg);
  // Beacon's valibot, without its development dependencies (which an install would fetch).
  const valibot = path.join(dir, 'packages', 'valibot');
  cpSync(path.join(repoRoot, 'node_modules', 'valibot'), valibot, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(valibot, 'package.json'), 'utf8'));
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(path.join(valibot, 'package.json'), JSON.stringify(manifest, null, 2));

  return installer === 'bun'
    ? run([bin('bun'), 'add', './packages/valibot', './packages/beacon-plugin-ntfy'], dir)
    : run([
      'npm',
      'install',
      '--no-audit',
      '--no-fund',
      '--offline',
      './packages/valibot',
      './packages/beacon-plugin-ntfy',
    ], dir);
}
