/**
 * `deno run -A bench/storage_blocks_info.ts DIR`: opens a stopped Beacon's data directory (DuckDB
 * engine) and prints its blocks, the samples they hold and bytes per sample of the blocks (used
 * DuckDB blocks, and the whole file), to compare with the compacted blocks of Prometheus on the same
 * data. Opening replays the WAL into the head; it does not compact.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { DuckdbStorage } from '../plugins/storage/duckdb/mod.ts';

const dir = process.argv.slice(2).filter((a) => !a.endsWith('.ts'))[0];
if (!dir) throw new Error('usage: storage_blocks_info.ts DIR');
const s = await DuckdbStorage.open({ path: dir, retentionMs: 100 * 365 * 86_400_000 });
const blocks = s.blocks();
const samples = blocks.reduce((n, b) => n + b.samples, 0);
const used = await s.blockStore.usedBytes();
const file = statSync(path.join(dir, 'beacon.duckdb')).size;
await s.close();
console.log(JSON.stringify(
  {
    blocks: blocks.map((b) => ({
      mint: new Date(b.mint).toISOString(),
      maxt: new Date(b.maxt).toISOString(),
      samples: b.samples,
      series: b.series,
    })),
    block_samples: samples,
    used_bytes: used,
    file_bytes: file,
    bytes_per_sample_used: +(used / samples).toFixed(3),
    bytes_per_sample_file: +(file / samples).toFixed(3),
  },
  null,
  1,
));
