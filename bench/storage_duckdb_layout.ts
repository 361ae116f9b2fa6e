/**
 * Bytes per sample of candidate block layouts in DuckDB, on the benchmark data
 * (`storage_duckdb_data.ts`). Run: `deno run -A bench/storage_duckdb_layout.ts [series] [jitterMs]`
 * or the same under `bun`. Prints one line per layout: file bytes after CHECKPOINT and
 * DuckDB's used blocks, divided by the number of samples.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BIGINT,
  BLOB,
  blobValue,
  DOUBLE,
  type DuckDBBlobValue,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBInstance as Instance,
  type DuckDBType,
  INTEGER,
} from '@duckdb/node-api';
import { XorChunk } from '../core/storage/mod.ts';
import { benchData, type BenchSeries } from './storage_duckdb_data.ts';

type Col = (number | bigint | DuckDBBlobValue | null)[];

async function load(
  db: Instance,
  ddl: string,
  table: string,
  types: DuckDBType[],
  rows: (push: (row: Col) => void) => void,
): Promise<void> {
  const c = await db.connect();
  await c.run(ddl);
  const app = await c.createAppender(table);
  const cap = 2048;
  let chunk = DuckDBDataChunk.create(types, cap);
  // deno-lint-ignore no-explicit-any
  let vecs = types.map((_, i) => chunk.getColumnVector(i) as any);
  let n = 0;
  const flush = () => {
    if (n === 0) return;
    for (const v of vecs) v.flush();
    chunk.rowCount = n;
    app.appendDataChunk(chunk);
    // A fresh chunk each time: vectors of a reset chunk do not take new items reliably.
    chunk = DuckDBDataChunk.create(types, cap);
    vecs = types.map((_, i) => chunk.getColumnVector(i));
    n = 0;
  };
  rows((row) => {
    for (let i = 0; i < row.length; i++) vecs[i].setItem(n, row[i]);
    if (++n === cap) flush();
  });
  flush();
  app.flushSync();
  app.closeSync();
  await c.run('CHECKPOINT');
  c.closeSync();
}

async function measure(
  name: string,
  data: BenchSeries[],
  ddl: string,
  table: string,
  types: DuckDBType[],
  rows: (push: (row: Col) => void) => void,
  share = 1,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'beacon-layout-'));
  const file = path.join(dir, 'db.duckdb');
  const db = await DuckDBInstance.create(file);
  const t0 = performance.now();
  await load(db, ddl, table, types, rows);
  const ms = performance.now() - t0;
  const c = await db.connect();
  const info = (await c.runAndReadAll(
    `SELECT column_name, compression, sum(count) AS n FROM pragma_storage_info('${table}')
     GROUP BY ALL ORDER BY ALL`,
  )).getRowObjects();
  const used = (await c.runAndReadAll('SELECT used_blocks, block_size FROM pragma_database_size()'))
    .getRowObjects()[0];
  c.closeSync();
  db.closeSync();
  const samples = data.length * data[0].t.length * share;
  const bytes = statSync(file).size;
  const usedBytes = Number(used.used_blocks) * Number(used.block_size);
  const comp = [...new Set(info.map((r) => `${r.column_name}:${r.compression}`))].join(' ');
  console.log(
    `${name.padEnd(28)} file ${(bytes / samples).toFixed(2)} B/sample, used blocks ${
      (usedBytes / samples).toFixed(2)
    } B/sample, load ${(ms / 1000).toFixed(1)} s  [${comp}]`,
  );
  rmSync(dir, { recursive: true, force: true });
}

const nSeries = Number(Deno?.args?.[0] ?? process.argv[2] ?? 10_000);
const jitter = Number(Deno?.args?.[1] ?? process.argv[3] ?? 0);
declare const Deno: { args: string[] } | undefined;
const data = benchData(nSeries, 1_440, 1_700_000_000_000, jitter);
console.log(`${nSeries} series × 1440 samples, jitter ±${jitter} ms`);

const BLOCK = 7_200_000;
const blockOf = (t: number) => Math.floor(t / BLOCK) * BLOCK;

await measure(
  'A plain (series, ts, v)',
  data,
  'CREATE TABLE s(series INTEGER, ts BIGINT, v DOUBLE)',
  's',
  [INTEGER, BIGINT, DOUBLE],
  (push) =>
    data.forEach((d, s) => {
      for (let i = 0; i < d.t.length; i++) push([s, BigInt(d.t[i]), d.v[i]]);
    }),
);

// Per block: timestamps as the delta to the previous sample of the series; the first delta
// repeats the second, and the series' base time lives in a per-block series row.
await measure(
  'C (series, dt INTEGER, v)',
  data,
  'CREATE TABLE s(series INTEGER, dt INTEGER, v DOUBLE)',
  's',
  [INTEGER, INTEGER, DOUBLE],
  (push) =>
    data.forEach((d, s) => {
      let prev = NaN, blk = NaN;
      for (let i = 0; i < d.t.length; i++) {
        const b = blockOf(d.t[i]);
        let dt = d.t[i] - prev;
        if (b !== blk) {
          blk = b;
          dt = i + 1 < d.t.length ? d.t[i + 1] - d.t[i] : 0;
        }
        prev = d.t[i];
        push([s, dt, d.v[i]]);
      }
    }),
);

await measure(
  'D (series, block ts INTEGER, v)',
  data,
  'CREATE TABLE s(series INTEGER, ts INTEGER, v DOUBLE)',
  's',
  [INTEGER, INTEGER, DOUBLE],
  (push) =>
    data.forEach((d, s) => {
      for (let i = 0; i < d.t.length; i++) push([s, d.t[i] - blockOf(d.t[i]), d.v[i]]);
    }),
);

for (const kind of [0, 1]) {
  await measure(
    `V values only, ${kind === 0 ? 'counters' : 'gauges'}`,
    data,
    'CREATE TABLE s(v DOUBLE)',
    's',
    [DOUBLE],
    (push) =>
      data.forEach((d, s) => {
        if (s % 2 !== kind) return;
        for (let i = 0; i < d.t.length; i++) push([d.v[i]]);
      }),
    0.5,
  );
}

for (const per of [120, 480]) {
  await measure(
    `B XOR chunk BLOBs (${per}/chunk)`,
    data,
    'CREATE TABLE s(series INTEGER, mint BIGINT, maxt BIGINT, data BLOB)',
    's',
    [INTEGER, BIGINT, BIGINT, BLOB],
    (push) =>
      data.forEach((d, s) => {
        let c = new XorChunk();
        for (let i = 0; i < d.t.length; i++) {
          c.append(d.t[i], d.v[i]);
          if (c.count === per || i === d.t.length - 1) {
            c.close();
            push([s, BigInt(c.minT), BigInt(c.maxT), blobValue(c.bytes().slice())]);
            c = new XorChunk();
          }
        }
      }),
  );
}
