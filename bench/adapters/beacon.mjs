// prom-bench adapter for Beacon (../shared/bench harness): the shipped adapters/beacon.mjs plus a
// data-dir split (WAL vs the DuckDB file that holds the blocks), so bytes/sample of blocks can be read.
// Use: BEACON_DIR=/work/main [BEACON_RUNTIME=deno|bun] node bench-rw.mjs --sut /work/main/bench/adapters/beacon.mjs
import path from 'node:path';
const DIR = path.resolve(process.env.BEACON_DIR || '.');
const RT = process.env.BEACON_RUNTIME || 'deno';
const run = RT === 'bun'
  ? [path.join(DIR, 'node_modules/.bin/bun'), 'run', path.join(DIR, 'mod.ts')]
  : [path.join(DIR, 'node_modules/.bin/deno'), 'run', '-A', path.join(DIR, 'mod.ts')];

export default {
  name: `beacon-${RT}`,
  version: [...run, '--version'],
  command: [
    ...run,
    '--config.file={configFile}',
    '--web.listen-address={listen}',
    '--storage.tsdb.path={dataDir}',
  ],
  scenarioArgs: {
    'remote-write': ['--web.enable-remote-write-receiver'],
    query: ['--web.enable-remote-write-receiver'],
  },
  readyPath: '/-/ready',
  remoteWritePath: '/api/v1/write',
  apiPrefix: '',
  metricsPath: '/metrics',
  ingestedSamplesMetric: 'beacon_tsdb_head_samples_appended_total',
  dataBreakdown: { wal: 'wal', blocks_duckdb: 're:^beacon\\.duckdb' },
  queryVisibilityDelay: '0s',
  env: { NO_COLOR: '1' },
  startTimeoutMs: 90000,
  stopGraceMs: 30000,
};
