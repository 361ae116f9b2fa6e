import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { DirectoryLockedError, DuckdbStorage } from '../../../../plugins/storage/duckdb/mod.ts';
import { dump } from '../../../core/storage/storage_suite.ts';
import { recordingLogger, tempDir } from '../../../helpers/host.ts';

const L = (r: Record<string, string>) => Labels.from(r);

async function write(s: DuckdbStorage, name: string, from: number, to: number, step = 1000) {
  const app = s.appender();
  let ref = 0;
  for (let t = from; t <= to; t += step) ref = app.append(ref, L({ __name__: name }), t, t / 1000);
  await app.commit();
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'lock') continue;
    const a = path.join(from, e.name), b = path.join(to, e.name);
    if (e.isDirectory()) copyDir(a, b);
    else fs.copyFileSync(a, b);
  }
}

function lastSegment(dir: string): string {
  const wal = path.join(dir, 'wal');
  const segs = fs.readdirSync(wal).filter((f) => /^\d{8}$/.test(f)).sort();
  // The newest non-empty segment.
  for (let i = segs.length - 1; i >= 0; i--) {
    const p = path.join(wal, segs[i]);
    if (fs.statSync(p).size > 0) return p;
  }
  throw new Error('no WAL segment with data');
}

describe('duckdb storage: durability', () => {
  test('data survives a clean restart', async () => {
    const d = tempDir();
    try {
      let s = await DuckdbStorage.open({ path: d.dir });
      await write(s, 'a', 1000, 5000);
      await s.close();
      s = await DuckdbStorage.open({ path: d.dir });
      assert.deepEqual(await dump(s, []), [
        ['{__name__="a"}', [1000, 2000, 3000, 4000, 5000], [1, 2, 3, 4, 5], [0, 0, 0, 0, 0]],
      ]);
      // Appending continues after the replayed samples; older ones are out of order.
      await write(s, 'a', 6000, 6000);
      assert.equal((await dump(s, []))[0][1].length, 6);
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('the WAL is replayed without a clean close (stale markers, deletions included)', async () => {
    const d = tempDir(), copy = tempDir();
    try {
      const s = await DuckdbStorage.open({ path: d.dir });
      await write(s, 'a', 1000, 5000);
      const app = s.appender();
      app.appendStale(0, L({ __name__: 'a' }), 6000);
      app.append(0, L({ __name__: 'b' }), 6000, 7);
      await app.commit();
      await s.deleteSeries([Matcher.create('=', '__name__', 'a')], 2000, 3000);
      // A copy of the directory as it is now is what a crash leaves behind.
      copyDir(d.dir, copy.dir);
      const r = await DuckdbStorage.open({ path: copy.dir });
      assert.deepEqual(await dump(r, []), [
        ['{__name__="a"}', [1000, 4000, 5000, 6000], [1, 4, 5, NaN], [0, 0, 0, 1]],
        ['{__name__="b"}', [6000], [7], [0]],
      ]);
      await r.close();
      await s.close();
    } finally {
      d.remove();
      copy.remove();
    }
  });

  test('a torn WAL tail is truncated with a warning, earlier commits kept', async () => {
    const d = tempDir();
    try {
      let s = await DuckdbStorage.open({ path: d.dir });
      await write(s, 'a', 1000, 3000);
      await write(s, 'a', 4000, 6000);
      await s.close();
      const seg = lastSegment(d.dir);
      const size = fs.statSync(seg).size;
      fs.truncateSync(seg, size - 3);
      const { logger, lines } = recordingLogger();
      s = await DuckdbStorage.open({ path: d.dir, logger });
      assert.deepEqual((await dump(s, []))[0][1], [1000, 2000, 3000]);
      assert.ok(lines.some((l) => /torn or corrupt tail/.test(l)), lines.join('\n'));
      // The log is usable after the truncation.
      await write(s, 'a', 4000, 4000);
      await s.close();
      s = await DuckdbStorage.open({ path: d.dir });
      assert.deepEqual((await dump(s, []))[0][1], [1000, 2000, 3000, 4000]);
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('a corrupt byte inside the last record is caught by the checksum', async () => {
    const d = tempDir();
    try {
      let s = await DuckdbStorage.open({ path: d.dir });
      await write(s, 'a', 1000, 3000);
      await write(s, 'a', 4000, 6000);
      await s.close();
      const seg = lastSegment(d.dir);
      const bytes = fs.readFileSync(seg);
      bytes[bytes.length - 5] ^= 0x40;
      fs.writeFileSync(seg, bytes);
      const { logger, lines } = recordingLogger();
      s = await DuckdbStorage.open({ path: d.dir, logger });
      assert.deepEqual((await dump(s, []))[0][1], [1000, 2000, 3000]);
      assert.ok(lines.some((l) => /truncating/.test(l)));
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('the data directory is locked; a stale lock is taken over', async () => {
    const d = tempDir();
    try {
      const s = await DuckdbStorage.open({ path: d.dir });
      await assert.rejects(DuckdbStorage.open({ path: d.dir }), DirectoryLockedError);
      await s.close();
      // A live process other than this one (the parent) holds it.
      fs.writeFileSync(path.join(d.dir, 'lock'), `${process.ppid}\n`);
      await assert.rejects(
        DuckdbStorage.open({ path: d.dir }),
        (e: Error) =>
          e instanceof DirectoryLockedError && e.message.includes(`PID ${process.ppid}`),
      );
      // A PID that does not run: taken over, with a log line.
      fs.writeFileSync(path.join(d.dir, 'lock'), '2147483646\n');
      const { logger, lines } = recordingLogger();
      const t = await DuckdbStorage.open({ path: d.dir, logger });
      assert.ok(lines.some((l) => /stale data directory lock/.test(l)));
      assert.equal(fs.readFileSync(path.join(d.dir, 'lock'), 'utf8').trim(), String(process.pid));
      await t.close();
      assert.ok(!fs.existsSync(path.join(d.dir, 'lock')));
    } finally {
      d.remove();
    }
  });

  test('batch fsync: concurrent commits share one fsync and are durable', async () => {
    const d = tempDir(), copy = tempDir();
    try {
      const registry = new (await import('../../../../core/metrics/mod.ts')).Registry();
      const s = await DuckdbStorage.open({ path: d.dir, fsync: 'batch', registry });
      const apps = [0, 1, 2].map((i) => {
        const app = s.appender();
        app.append(0, L({ __name__: 'b', i: String(i) }), 1000, i);
        return app;
      });
      await Promise.all(apps.map((a) => a.commit()));
      assert.match(await registry.metrics(), /^beacon_tsdb_wal_fsync_duration_seconds_count 1$/m);
      copyDir(d.dir, copy.dir);
      const r = await DuckdbStorage.open({ path: copy.dir });
      assert.equal((await dump(r, [])).length, 3);
      await r.close();
      await s.close();
    } finally {
      d.remove();
      copy.remove();
    }
  });

  test('kill -9 at a random moment loses no committed batch', async () => {
    const d = tempDir();
    try {
      const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'crash_child.ts');
      const args = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined'
        ? ['run', '-A', child, d.dir]
        : [child, d.dir];
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      // Compaction (every 20 batches from batch 40 on) may be in flight at the kill.
      const target = 30 + Math.floor(Math.random() * 90);
      let out = '', err = '';
      proc.stderr.on('data', (c) => (err += c));
      const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child too slow: ${out} ${err}`)), 15_000);
        proc.stdout.on('data', (c) => {
          out += c;
          if ((out.match(/\n/g) ?? []).length >= target) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.on('exit', () => {
          clearTimeout(timer);
          reject(new Error(`child exited early: ${err}`));
        });
      });
      proc.kill('SIGKILL');
      await exited;
      // Only whole lines: a chunk may end inside one ("committed 4" of "committed 45").
      const whole = out.slice(0, out.lastIndexOf('\n') + 1);
      const printed = [...whole.matchAll(/^committed (\d+)$/gm)].map((m) => Number(m[1]));
      const last = printed.at(-1)!;
      assert.ok(last >= target);
      const { logger } = recordingLogger();
      const s = await DuckdbStorage.open({ path: d.dir, blockRangeMs: 20_000, logger });
      const got = await dump(s, [Matcher.create('=', '__name__', 'crash')]);
      assert.equal(got.length, 20);
      for (const [, t, v] of got) {
        // Every printed batch is there, in order and without gaps; at most the batch in flight more.
        const want = printed.map((b) => b * 1000);
        assert.deepEqual(t.slice(0, want.length), want);
        assert.ok(t.length <= want.length + 1);
        assert.deepEqual(v.slice(0, want.length), printed);
      }
      await s.close();
    } finally {
      d.remove();
    }
  });
});
