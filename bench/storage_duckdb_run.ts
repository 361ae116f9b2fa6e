/**
 * The DuckDB engine end to end on the benchmark data: ingest through the Appender (one
 * commit per scrape round of every series, as a scrape loop commits), compaction into
 * blocks, bytes per sample of the blocks, and a full select back.
 *
 * Run: `deno run -A bench/storage_duckdb_run.ts [series=10000] [samples=1440] [fsync=commit]`
 * or the same under `bun`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { Labels, Matcher } from '../core/model/mod.ts';
import { DuckdbStorage } from '../plugins/storage/duckdb/mod.ts';
import { benchData } from './storage_duckdb_data.ts';

const args = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
const nSeries = Number(args[0] ?? 10_000);
const nSamples = Number(args[1] ?? 1_440);
const fsync = (args[2] ?? 'commit') as 'commit' | 'batch' | 'none';
const data = benchData(nSeries, nSamples);
const labels = data.map((d) => Labels.from(d.labels));
const dir = mkdtempSync(path.join(tmpdir(), 'beacon-bench-'));
const s = await DuckdbStorage.open({ path: dir, fsync });

const refs = new Array<number>(nSeries).fill(0);
const t0 = performance.now();
for (let i = 0; i < nSamples; i++) {
  const app = s.appender();
  for (let k = 0; k < nSeries; k++) {
    refs[k] = app.append(refs[k], labels[k], data[k].t[i], data[k].v[i]);
  }
  await app.commit();
}
const ingestS = (performance.now() - t0) / 1000;
const t1 = performance.now();
await s.compact();
const tailS = (performance.now() - t1) / 1000;
const blocks = s.blocks();
const blockSamples = blocks.reduce((n, b) => n + b.samples, 0);
const used = await s.blockStore.usedBytes();
const file = statSync(path.join(dir, 'beacon.duckdb')).size;
const t2 = performance.now();
const q = s.querier(-Infinity, Infinity);
const set = await q.select([Matcher.create('=~', '__name__', 'bench_.*')]);
let read = 0;
for (const se of set) read += se.samples().t.length;
const queryS = (performance.now() - t2) / 1000;
const t3 = performance.now();
const q2 = s.querier(blocks[0]?.mint ?? 0, blocks.at(-1)?.maxt ?? 0);
let read2 = 0;
for (const se of await q2.select([Matcher.create('=~', '__name__', 'bench_.*')])) {
  read2 += se.samples().t.length;
}
const blockQueryS = (performance.now() - t3) / 1000;
await s.close();
const walDir = path.join(dir, 'wal');
console.log(
  JSON.stringify(
    {
      runtime: typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? 'deno' : 'bun',
      series: nSeries,
      samples: nSeries * nSamples,
      fsync,
      ingest_samples_per_s: Math.round((nSeries * nSamples) / ingestS),
      ingest_s: +ingestS.toFixed(2),
      final_compaction_s: +tailS.toFixed(2),
      blocks: blocks.length,
      block_samples: blockSamples,
      bytes_per_sample_used_blocks: +(used / blockSamples).toFixed(2),
      bytes_per_sample_file: +(file / blockSamples).toFixed(2),
      select_all_s: +queryS.toFixed(2),
      select_all_samples: read,
      select_blocks_only_s: +blockQueryS.toFixed(2),
      select_blocks_only_samples: read2,
      wal_dir: walDir,
    },
    null,
    1,
  ),
);
rmSync(dir, { recursive: true, force: true });
