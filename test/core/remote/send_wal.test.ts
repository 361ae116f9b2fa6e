/**
 * The DuckDB engine's log reader, the remote-write sender's durable source: it reads every
 * commit after its cursor, the log keeps the segments a lagging reader needs at truncation
 * (up to the configured bound, past which segments go and the reader reports them lost), and
 * a reader closed with `forget` removes its persisted cursor.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { Labels } from '../../../core/model/mod.ts';
import type { LogReader } from '../../../core/storage/mod.ts';
import { parseConfig } from '../../../core/config/mod.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { RemoteWriteManager } from '../../../core/remote/send/mod.ts';
import { DuckdbStorage } from '../../../plugins/storage/duckdb/mod.ts';
import { tempDir } from '../../helpers/host.ts';

async function fill(storage: DuckdbStorage, seconds: number): Promise<number> {
  let n = 0;
  for (let s = 0; s < seconds; s++) {
    const app = storage.appender();
    for (let k = 0; k < 20; k++) {
      app.append(0, Labels.from({ __name__: 'm', k: String(k) }), s * 1000, s + k);
      n++;
    }
    await app.commit();
  }
  return n;
}

async function drain(r: LogReader): Promise<{ count: number; lost: number; ts: Set<number> }> {
  let count = 0, lost = 0;
  const ts = new Set<number>();
  for (;;) {
    const b = await r.next(1000, 0);
    count += b.count;
    lost += b.lostSegments;
    for (let i = 0; i < b.count; i++) ts.add(b.t[i]);
    if (b.count === 0 && b.lostSegments === 0) return { count, lost, ts };
  }
}

const segments = (dir: string) => readdirSync(`${dir}/wal`).filter((f) => /^\d{8}$/.test(f));

describe('WAL log reader (remote-write source)', () => {
  test('a lagging reader keeps its segments through truncation and reads every sample', async () => {
    const dir = tempDir().dir;
    const storage = await DuckdbStorage.open({ path: dir, blockRangeMs: 1000, segmentBytes: 2048 });
    try {
      const reader = storage.openLogReader('q');
      const n = await fill(storage, 40);
      await storage.compact();
      assert.ok(storage.blocks().length > 0, 'compaction ran');
      assert.ok(segments(dir).includes('00000001'), 'the first segment was kept');
      const got = await drain(reader);
      assert.equal(got.lost, 0);
      assert.equal(got.count, n);
      assert.equal(got.ts.size, 40);
      await reader.close();
    } finally {
      await storage.close();
    }
  });

  test('past the keep bound the oldest segments go and the reader counts them lost', async () => {
    const dir = tempDir().dir;
    const storage = await DuckdbStorage.open({
      path: dir,
      blockRangeMs: 1000,
      segmentBytes: 2048,
      logReaderMaxLagBytes: 0,
    });
    try {
      const reader = storage.openLogReader('q');
      const n = await fill(storage, 40);
      await storage.compact();
      assert.ok(!segments(dir).includes('00000001'), 'the first segment was truncated');
      const app = storage.appender();
      app.append(0, Labels.from({ __name__: 'm', k: 'late' }), 50_000, 1);
      await app.commit();
      const got = await drain(reader);
      assert.ok(got.lost > 0, 'lost segments are reported');
      assert.ok(got.count < n);
      assert.ok(got.ts.has(50_000), 'the reader resumes after the gap');
      await reader.close();
    } finally {
      await storage.close();
    }
  });

  test('the cursor survives a restart, and forget removes it', async () => {
    const dir = tempDir().dir;
    let storage = await DuckdbStorage.open({ path: dir });
    let reader = storage.openLogReader('q');
    await fill(storage, 5);
    const first = await reader.next(60, 0);
    assert.equal(first.count, 60);
    reader.ack(first.position);
    await reader.close();
    await storage.close();
    storage = await DuckdbStorage.open({ path: dir });
    try {
      reader = storage.openLogReader('q');
      const rest = await drain(reader);
      assert.equal(rest.count, 40);
      assert.deepEqual([...rest.ts].sort((a, b) => a - b), [3000, 4000]);
      await reader.close(true);
      assert.equal(existsSync(`${dir}/remote_write/q.json`), false);
    } finally {
      await storage.close();
    }
  });

  test('reload: a tuned queue keeps its cursor, a removed queue forgets it', async () => {
    const dir = tempDir().dir;
    const storage = await DuckdbStorage.open({ path: dir });
    const sender = new RemoteWriteManager({ storage, logger: nopLogger });
    const cfg = (queue: string) =>
      parseConfig(
        `remote_write:\n  - url: http://127.0.0.1:9/write\n    name: a\n    queue_config: ${queue}\n`,
        'p.yml',
        { baseDir: '/' },
      );
    try {
      await sender.apply(cfg('{ max_shards: 4 }'));
      assert.deepEqual(sender.queues, ['a']);
      assert.ok(existsSync(`${dir}/remote_write/n-a.json`));
      await sender.apply(cfg('{ max_shards: 8 }'));
      assert.deepEqual(sender.queues, ['a']);
      assert.ok(existsSync(`${dir}/remote_write/n-a.json`));
      await sender.apply(parseConfig('global: {}\n', 'p.yml', { baseDir: '/' }));
      assert.deepEqual(sender.queues, []);
      assert.equal(existsSync(`${dir}/remote_write/n-a.json`), false);
    } finally {
      await sender.stop(100);
      await storage.close();
    }
  });
});
