// Single executables: `bun build --compile` (scripts/compile-bun.mjs) and `deno compile`
// (scripts/compile-deno.mjs) produce a standalone Beacon that starts, answers /-/ready and a
// query, with DuckDB when its native binding loads and on the memory engine (saying so) when it
// does not. The Bun executable is built by the Bun runner (a few seconds, ~175 MiB in a temp
// directory). `deno compile` downloads Deno's runtime binary (or takes DENORT_BIN), so it is
// tried only with BEACON_TEST_COMPILE=1 and skips with a message when that download fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { repoRoot } from '../helpers/host.ts';
import { freePort } from '../helpers/process.ts';
import {
  query,
  startProcess,
  stopProcess,
  type StoryProcess,
  storyRuntimes,
  waitFor,
} from './story_helpers.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'beacon-compile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CONFIG = (self: string) =>
  `global: { scrape_interval: 1s }
scrape_configs:
  - job_name: self
    static_configs: [{ targets: ['${self}'] }]
`;

/** Starts the executable on a free port with its own data and cache directories. */
async function startExecutable(
  exe: string,
  name: string,
  env: Record<string, string> = {},
): Promise<{ p: StoryProcess; base: string }> {
  const port = await freePort();
  const dir = path.join(tmp, name);
  const config = path.join(tmp, `${name}.yml`);
  writeFileSync(config, CONFIG(`127.0.0.1:${port}`));
  const p = startProcess([
    'env',
    ...Object.entries({ BEACON_CACHE_DIR: path.join(tmp, 'cache'), ...env }).map(([k, v]) =>
      `${k}=${v}`
    ),
    exe,
    `--config.file=${config}`,
    `--storage.tsdb.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], tmp);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${name}: /-/ready`, async () => {
    const res = await fetch(`${base}/-/ready`);
    await res.body?.cancel();
    return res.status === 200;
  }, { ms: 60_000, logs: p.logs, alive: p.running });
  return { p, base };
}

/** Checks that the executable scrapes itself and answers a query. */
async function answersQueries(base: string, logs: () => string): Promise<void> {
  await waitFor('up{job="self"} == 1', async () => {
    const r = await query(base, 'up{job="self"}');
    return r.length === 1 && r[0].value[1] === '1';
  }, { logs });
}

function build(script: string, argv: string[], exe: string): { ms: number; output: string } {
  const started = Date.now();
  const r = spawnSync(argv[0], [...argv.slice(1), script, `--outfile=${exe}`], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return {
    ms: Date.now() - started,
    output: `${r.stdout}${r.stderr}` + (r.status === 0 ? '' : `\n(exit ${r.status})`),
  };
}

const bunSkip = !storyRuntimes().includes('bun')
  ? 'the Bun executable is tested by the Bun test runner'
  : false;

describe('single executable: bun build --compile', { skip: bunSkip }, () => {
  const exe = path.join(tmp, 'beacon-bun');

  before(() => {
    const bun = path.join(repoRoot, 'node_modules', '.bin', 'bun');
    const r = build('scripts/compile-bun.mjs', [bun], exe);
    assert.ok(existsSync(exe), r.output);
    const mib = (statSync(exe).size / 1024 / 1024).toFixed(1);
    console.log(`bun executable: ${mib} MiB, built in ${(r.ms / 1000).toFixed(1)} s`);
  });

  test('runs with DuckDB: ready, scrapes and answers a query', async () => {
    const { p, base } = await startExecutable(exe, 'bun-duckdb');
    try {
      await answersQueries(base, p.logs);
      assert.match(p.logs(), /plugin=duckdb msg="Plugin started"/);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /^# TYPE beacon_tsdb_wal_fsync_duration_seconds /m);
    } finally {
      assert.equal(await stopProcess(p), 0, p.logs());
    }
  });

  test('falls back to the memory engine, saying so, where DuckDB cannot load', async () => {
    // A cache directory under a regular file cannot be created: the binding cannot be unpacked.
    const blocker = path.join(tmp, 'not-a-directory');
    writeFileSync(blocker, '');
    const { p, base } = await startExecutable(exe, 'bun-memory', {
      BEACON_CACHE_DIR: path.join(blocker, 'cache'),
    });
    try {
      await answersQueries(base, p.logs);
      assert.match(
        p.logs(),
        /level=WARN msg="DuckDB is not available here; using the memory engine/,
      );
      assert.match(p.logs(), /plugin=memory msg="Plugin started"/);
    } finally {
      assert.equal(await stopProcess(p), 0, p.logs());
    }
  });
});

const denoSkip = process.env.BEACON_TEST_COMPILE !== '1'
  ? 'deno compile downloads its runtime binary: set BEACON_TEST_COMPILE=1 (and DENORT_BIN offline)'
  : !storyRuntimes().includes('deno')
  ? 'the Deno executable is tested by the Deno test runner'
  : false;

describe('single executable: deno compile', { skip: denoSkip }, () => {
  test('compile:deno builds an executable that starts and answers a query', async () => {
    const exe = path.join(tmp, 'beacon-deno');
    const r = build('scripts/compile-deno.mjs', ['node'], exe);
    if (!existsSync(exe) && /denort/.test(r.output)) {
      console.log('skipped: deno compile could not get denort (no network and no DENORT_BIN)');
      return;
    }
    assert.ok(existsSync(exe), r.output);
    const mib = (statSync(exe).size / 1024 / 1024).toFixed(1);
    console.log(`deno executable: ${mib} MiB, built in ${(r.ms / 1000).toFixed(1)} s`);
    const { p, base } = await startExecutable(exe, 'deno');
    try {
      await answersQueries(base, p.logs);
      assert.match(p.logs(), /plugin=(duckdb|memory) msg="Plugin started"/);
    } finally {
      assert.equal(await stopProcess(p), 0, p.logs());
    }
  });
});
