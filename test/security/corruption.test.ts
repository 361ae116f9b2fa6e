/**
 * Damaged files in the data directory: a DuckDB block file with failing checksums, and a WAL
 * segment damaged in its middle. Beacon detects each, reports it (error log, metric), sets the
 * damaged bytes aside for salvage, and starts.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Labels } from '../../core/model/mod.ts';
import { DuckdbStorage } from '../../plugins/storage/duckdb/mod.ts';
import { startBeacon } from '../helpers/process.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

/** Writes `batches` commits of 50 series at t = 1000·b (ms since a recent base). */
async function fill(
  dir: string,
  batches: number,
  opts: { blockRangeMs?: number; segmentBytes?: number },
) {
  const base = Date.now() - 3600_000;
  const s = await DuckdbStorage.open({ path: dir, ...opts });
  for (let b = 0; b < batches; b++) {
    const app = s.appender();
    for (let i = 0; i < 50; i++) {
      app.append(0, Labels.from({ __name__: 'dmg', i: String(i) }), base + b * 1000, b);
    }
    await app.commit();
  }
  // Let compaction (if any is due) finish before closing.
  await new Promise((r) => setTimeout(r, 500));
  await s.close();
  return base;
}

async function countSamples(url: string): Promise<number> {
  const q = encodeURIComponent('sum(count_over_time(dmg[1d]))');
  const body = await (await fetch(`${url}/api/v1/query?query=${q}`)).json();
  assert.equal(body.status, 'success');
  return Number(body.data.result[0]?.value[1] ?? 0);
}

describe('damaged data files', () => {
  test('a DuckDB file with bad checksums is set aside; Beacon starts and replays the WAL', async () => {
    const dir = path.join(tmp.dir, 'duck');
    await fill(dir, 60, { blockRangeMs: 10_000 });
    const file = path.join(dir, 'beacon.duckdb');
    // Damage every 4 KiB page after DuckDB's 12 KiB of file headers.
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    const junk = new Uint8Array(64).fill(0xab);
    for (let off = 12288 + 64; off < size; off += 4096) fs.writeSync(fd, junk, 0, 64, off);
    fs.closeSync(fd);

    const beacon = await startBeacon([
      `--storage.tsdb.path=${dir}`,
      `--config.file=${path.join(tmp.dir, 'none.yml')}`,
    ]);
    try {
      assert.match(beacon.logs(), /level=ERROR.*DuckDB block file is damaged; set aside/);
      const aside = fs.readdirSync(dir).filter((f) => f.startsWith('beacon.duckdb.corrupt-'));
      assert.equal(aside.length, 1);
      assert.equal(fs.statSync(path.join(dir, aside[0])).size, size, 'set aside whole');
      const metrics = await (await fetch(`${beacon.url}/metrics`)).text();
      assert.match(metrics, /^beacon_tsdb_block_file_corruptions_total 1$/m);
      // Queries work: whatever the WAL still held is there, and the store takes new data.
      await countSamples(beacon.url);
    } finally {
      beacon.signal('SIGKILL');
      await beacon.exited;
    }
  });

  test('a WAL segment damaged in its middle: replay keeps what precedes, sets the rest aside', async () => {
    const dir = path.join(tmp.dir, 'wal');
    await fill(dir, 100, { segmentBytes: 8192 });
    const walDir = path.join(dir, 'wal');
    const segments = fs.readdirSync(walDir).filter((f) => /^\d+$/.test(f)).sort();
    assert.ok(segments.length >= 4, `only ${segments.length} segments`);
    const victim = path.join(walDir, segments[1]);
    const bytes = fs.readFileSync(victim);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(victim, bytes);

    const beacon = await startBeacon([
      `--storage.tsdb.path=${dir}`,
      `--config.file=${path.join(tmp.dir, 'none.yml')}`,
    ]);
    try {
      assert.match(beacon.logs(), /WAL has a torn or corrupt tail; truncating it/);
      assert.match(beacon.logs(), /Damaged WAL segments set aside/);
      const aside = fs.readdirSync(dir).filter((f) => f.startsWith('wal.corrupt-'));
      assert.equal(aside.length, 1);
      const kept = fs.readdirSync(path.join(dir, aside[0]));
      assert.equal(kept.length, segments.length - 1, `set aside: ${kept}`);
      const metrics = await (await fetch(`${beacon.url}/metrics`)).text();
      assert.match(metrics, /^beacon_tsdb_wal_corruptions_total 1$/m);
      const n = await countSamples(beacon.url);
      assert.ok(n > 0 && n < 100 * 50, `samples after replay: ${n}`);
    } finally {
      beacon.signal('SIGKILL');
      await beacon.exited;
    }
  });
});
