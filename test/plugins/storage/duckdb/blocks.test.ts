import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { Registry } from '../../../../core/metrics/mod.ts';
import { isPluginDefinition, type PluginContext } from '../../../../core/plugin.ts';
import {
  DuckdbStorage,
  duckdbStorageConfigSchema,
  duckdbStoragePlugin,
} from '../../../../plugins/storage/duckdb/mod.ts';
import { dump } from '../../../core/storage/storage_suite.ts';
import { recordingLogger, tempDir } from '../../../helpers/host.ts';

const HOUR = 3600_000;
const STEP = 15_000;
const L = (r: Record<string, string>) => Labels.from(r);
const m = (name: string, value: string) => Matcher.create('=', name, value);

/** Writes `hours` of two series (a counter, a gauge with a stale marker) in 10-minute commits. */
async function fill(s: DuckdbStorage, hours: number, from = 0): Promise<number> {
  const c = L({ __name__: 'c_total', job: 'x' }), g = L({ __name__: 'g', job: 'x' });
  let rc = 0, rg = 0, n = 0;
  for (let t0 = from; t0 < from + hours * HOUR; t0 += 600_000) {
    const app = s.appender();
    for (let t = t0; t < t0 + 600_000; t += STEP) {
      rc = app.append(rc, c, t, t / 1000);
      if (t % (7 * STEP) === 0) rg = app.appendStale(rg, g, t);
      else rg = app.append(rg, g, t, Math.round(Math.sin(t) * 100) / 100);
      n += 2;
    }
    await app.commit();
  }
  return n;
}

describe('duckdb storage: blocks', () => {
  test('compaction moves old windows to blocks; queries merge head and blocks', async () => {
    const d = tempDir();
    try {
      let s = await DuckdbStorage.open({ path: d.dir, blockRangeMs: HOUR });
      const before = await fill(s, 5);
      const all = await dump(s, [m('job', 'x')]);
      await s.compact();
      // Windows ending at least one block range before the newest sample (5h - 15s): [0, 3h).
      assert.deepEqual(s.blocks().map((b) => [b.mint, b.maxt]), [
        [0, HOUR - STEP],
        [HOUR, 2 * HOUR - STEP],
        [2 * HOUR, 3 * HOUR - STEP],
      ]);
      assert.deepEqual(await dump(s, [m('job', 'x')]), all);
      // A range across the head/block boundary.
      const mid = await dump(s, [m('__name__', 'c_total')], 3 * HOUR - 2 * STEP, 3 * HOUR + STEP);
      assert.deepEqual(mid[0][1], [
        3 * HOUR - 2 * STEP,
        3 * HOUR - STEP,
        3 * HOUR,
        3 * HOUR + STEP,
      ]);
      assert.equal((await s.stats()).numSamples, before);
      // SQL over the blocks' windows (docs/sql.md).
      const r = await (await s.sqlRunner()).query(
        `SELECT count(*)::INTEGER, min(t_ms)::DOUBLE, max(t_ms)::DOUBLE,
           count(*) FILTER (stale)::INTEGER
         FROM samples JOIN series USING (series_id) WHERE metric = 'g' AND t_ms < ${3 * HOUR}`,
      );
      assert.deepEqual(r.rows[0], [3 * 240, 0, 3 * HOUR - STEP, 103]);
      await s.close();
      // After a restart: blocks from DuckDB, head from the checkpoint and the log.
      s = await DuckdbStorage.open({ path: d.dir, blockRangeMs: HOUR });
      assert.equal(s.blocks().length, 3);
      assert.deepEqual(await dump(s, [m('job', 'x')]), all);
      // Samples older than the compacted windows are refused without an out-of-order window.
      const app = s.appender();
      assert.throws(() => app.append(0, L({ __name__: 'new' }), HOUR, 1));
      app.rollback();
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('overlapping data from head and blocks is de-duplicated (head, then newer blocks win)', async () => {
    const d = tempDir();
    try {
      const { logger, lines } = recordingLogger();
      const s = await DuckdbStorage.open({
        path: d.dir,
        blockRangeMs: HOUR,
        outOfOrderWindowMs: 10 * HOUR,
        logger,
      });
      await fill(s, 3);
      await s.compact();
      assert.equal(s.blocks().length, 1, lines.join('\n'));
      const c = L({ __name__: 'c_total', job: 'x' });
      // Into the compacted window: one new timestamp, one existing with a new value.
      let app = s.appender();
      app.append(0, c, 100, 42);
      app.append(0, c, STEP, 43);
      await app.commit();
      let [[, t, vals]] = await dump(s, [m('__name__', 'c_total')], 0, 2 * STEP);
      assert.deepEqual(t, [0, 100, STEP, 2 * STEP]);
      assert.deepEqual(vals, [0, 42, 43, 30]);
      // Compacted again: a second block over the same window; the newer one wins.
      app = s.appender();
      app.append(0, c, 5 * HOUR, 1);
      await app.commit();
      await s.compact();
      assert.ok(s.blocks().length >= 3, lines.join('\n'));
      [[, t, vals]] = await dump(s, [m('__name__', 'c_total')], 0, 2 * STEP);
      assert.deepEqual(t, [0, 100, STEP, 2 * STEP], lines.join('\n'));
      assert.deepEqual(vals, [0, 42, 43, 30], lines.join('\n'));
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('deletion reaches into blocks', async () => {
    const d = tempDir();
    try {
      const s = await DuckdbStorage.open({ path: d.dir, blockRangeMs: HOUR });
      await fill(s, 3);
      await s.compact();
      await s.deleteSeries([m('__name__', 'c_total')], HOUR / 2, 2.5 * HOUR);
      const [[, t]] = await dump(s, [m('__name__', 'c_total')]);
      assert.equal(t.length, 3 * 240 - 2 * 240 - 1);
      assert.ok(t.every((x) => x < HOUR / 2 || x > 2.5 * HOUR));
      // Deleting all of a series removes it, from blocks and the index.
      await s.deleteSeries([m('__name__', 'g')], 0, 10 * HOUR);
      assert.deepEqual(await dump(s, [m('__name__', 'g')]), []);
      const q = s.querier(0, 10 * HOUR);
      assert.deepEqual(await q.labelValues('__name__'), ['c_total']);
      q.close();
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('retention by time and by size drops whole blocks', async () => {
    const d = tempDir();
    try {
      const { logger, lines } = recordingLogger();
      let s = await DuckdbStorage.open({
        path: d.dir,
        blockRangeMs: HOUR,
        retentionMs: 2 * HOUR,
        logger,
      });
      // A series that only lives in the oldest hour.
      const app = s.appender();
      app.append(0, L({ __name__: 'early' }), 0, 1);
      await app.commit();
      await fill(s, 6);
      await s.compact();
      // Newest sample 6h - 15s: blocks [0, 4h) were cut, those ending before 4h - 15s are gone.
      assert.deepEqual(s.blocks().map((b) => b.mint), [3 * HOUR]);
      assert.ok(lines.some((l) => /retention removed blocks/.test(l)));
      assert.deepEqual(await dump(s, [m('__name__', 'early')]), []);
      const q = s.querier(0, 10 * HOUR);
      assert.deepEqual(await q.labelValues('__name__'), ['c_total', 'g']);
      q.close();
      const [[, t]] = await dump(s, [m('__name__', 'c_total')]);
      assert.equal(t[0], 3 * HOUR);
      await s.close();
      // A one-byte size limit drops every block.
      s = await DuckdbStorage.open({ path: d.dir, blockRangeMs: HOUR, retentionBytes: 1 });
      await s.applyRetention();
      assert.deepEqual(s.blocks(), []);
      await s.close();
    } finally {
      d.remove();
    }
  });

  test('config schema, plugin definition and self metrics', async () => {
    assert.deepEqual(v.parse(duckdbStorageConfigSchema, {}), {
      path: 'data/',
      retention_time: 15 * 86400_000,
      retention_size: 0,
      block_range: 2 * HOUR,
      out_of_order_time_window: 0,
      wal_fsync: 'batch',
      memory_limit: '512MB',
    });
    // The runtime's engine block, in Prometheus's text forms.
    assert.deepEqual(
      v.parse(duckdbStorageConfigSchema, {
        path: '/x',
        retention_time: '1d',
        retention_size: '512MB',
        out_of_order_time_window: '5m',
      }),
      {
        path: '/x',
        retention_time: 86400_000,
        retention_size: 512 * 1024 * 1024,
        block_range: 2 * HOUR,
        out_of_order_time_window: 300_000,
        wal_fsync: 'batch',
        memory_limit: '512MB',
      },
    );
    assert.ok(!v.safeParse(duckdbStorageConfigSchema, { retention_size: '12 parsecs' }).success);
    assert.ok(!v.safeParse(duckdbStorageConfigSchema, { wal_fsync: 'sometimes' }).success);
    assert.ok(!v.safeParse(duckdbStorageConfigSchema, { memory_limit: 'lots' }).success);
    assert.ok(isPluginDefinition(duckdbStoragePlugin));
    assert.equal(duckdbStoragePlugin.name, 'duckdb');
    const d = tempDir();
    try {
      const registry = new Registry();
      const ctx = { registry, logger: recordingLogger().logger } as unknown as PluginContext;
      const config = v.parse(duckdbStoragePlugin.schema, { path: d.dir, block_range: '1h' });
      const inst = (await duckdbStoragePlugin.create(config, ctx)) as unknown as DuckdbStorage & {
        stop(): Promise<void>;
      };
      const n = await fill(inst, 3);
      await inst.compact();
      const text = await registry.metrics();
      assert.match(text, new RegExp(`^beacon_tsdb_head_samples_appended_total ${n}$`, 'm'));
      assert.match(text, /^beacon_tsdb_head_series 2$/m);
      assert.match(text, /^beacon_tsdb_compactions_total 1$/m);
      assert.match(text, /^beacon_tsdb_compaction_duration_seconds_count 1$/m);
      assert.match(text, /^beacon_tsdb_blocks_loaded 1$/m);
      assert.match(text, /^beacon_tsdb_wal_storage_size_bytes [1-9]\d*$/m);
      assert.match(text, /^beacon_tsdb_storage_blocks_bytes [1-9][\d.e+]*$/m);
      assert.match(text, /^beacon_tsdb_wal_fsync_duration_seconds_count [1-9]\d*$/m);
      await inst.stop();
      assert.doesNotMatch(await registry.metrics(), /beacon_tsdb_head_series/);
    } finally {
      d.remove();
    }
  });
});
