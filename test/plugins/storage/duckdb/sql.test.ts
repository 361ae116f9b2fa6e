import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { SqlError } from '../../../../core/state/mod.ts';
import {
  DirectoryLockedError,
  DuckdbStorage,
  exportParquet,
} from '../../../../plugins/storage/duckdb/mod.ts';
import { dump } from '../../../core/storage/storage_suite.ts';
import { tempDir } from '../../../helpers/host.ts';

const HOUR = 3600_000;
const STEP = 60_000;
const L = (r: Record<string, string>) => Labels.from(r);

/** 5 h of three series, compacted: blocks hold [0, 3h), the head the rest. */
async function filled(dir: string): Promise<DuckdbStorage> {
  const s = await DuckdbStorage.open({ path: dir, blockRangeMs: HOUR });
  const app = s.appender();
  for (let t = 0; t < 5 * HOUR; t += STEP) {
    app.append(0, L({ __name__: 'up', job: 'a', instance: 'x:1' }), t, 1);
    app.append(0, L({ __name__: 'up', job: 'b', instance: 'y:1' }), t, t % (2 * STEP) ? 0 : 1);
    if (t === 10 * STEP) app.appendStale(0, L({ __name__: 'temp', job: 'a' }), t);
    else app.append(0, L({ __name__: 'temp', job: 'a' }), t, t / 1000 + 0.25);
  }
  await app.commit();
  await s.compact();
  // A series only the head has.
  const late = s.appender();
  late.append(0, L({ __name__: 'late', job: 'c' }), 5 * HOUR, 42);
  await late.commit();
  return s;
}

describe('duckdb SQL: views over head and blocks', () => {
  test('samples cover blocks and head exactly once; series lists every series once', async () => {
    const d = tempDir();
    const s = await filled(d.dir);
    try {
      assert.equal(s.blocks().length, 3);
      const sql = await s.sqlRunner();
      const total = await sql.query('SELECT count(*) AS n FROM samples');
      assert.deepEqual(total.columns, [{ name: 'n', type: 'BIGINT' }]);
      assert.deepEqual(total.rows, [[(await s.stats()).numSamples]]);
      const series = await sql.query(
        `SELECT metric, labels, labels['job'] AS job FROM series ORDER BY metric, job`,
      );
      assert.deepEqual(series.columns.map((c) => c.type), [
        'VARCHAR',
        'MAP(VARCHAR, VARCHAR)',
        'VARCHAR',
      ]);
      assert.deepEqual(series.rows, [
        ['late', { __name__: 'late', job: 'c' }, 'c'],
        ['temp', { __name__: 'temp', job: 'a' }, 'a'],
        ['up', { __name__: 'up', instance: 'x:1', job: 'a' }, 'a'],
        ['up', { __name__: 'up', instance: 'y:1', job: 'b' }, 'b'],
      ]);
      // Every sample of one series, in time order, equals what the querier returns.
      const [[, t, v]] = await dump(s, [Matcher.create('=', '__name__', 'temp')]);
      const got = await sql.query(
        `SELECT t_ms, value, stale FROM samples JOIN series USING (series_id)
         WHERE metric = 'temp' ORDER BY t_ms`,
        { maxRows: 1_000_000 },
      );
      assert.deepEqual(got.rows.map((r) => r[0]), t);
      assert.deepEqual(
        got.rows.map((r) => (r[2] ? NaN : r[1])),
        v.map((x) => x),
      );
      assert.deepEqual(got.rows.filter((r) => r[2]), [[10 * STEP, null, true]]);
      // Timestamps as SQL timestamps (UTC).
      const ts = await sql.query(
        `SELECT min(ts)::VARCHAR, max(ts)::VARCHAR FROM samples JOIN series USING (series_id)
         WHERE metric = 'late'`,
      );
      assert.deepEqual(ts.rows, [['1970-01-01 05:00:00', '1970-01-01 05:00:00']]);
      // A time range across the block/head boundary (3 h) narrows `samples`, not `series`.
      const ranged = await sql.query(
        'SELECT count(*), min(t_ms), max(t_ms), (SELECT count(*) FROM series) FROM samples',
        { start: 2.5 * HOUR, end: 3.5 * HOUR },
      );
      assert.deepEqual(ranged.rows, [[3 * 61, 2.5 * HOUR, 3.5 * HOUR, 4]]);
    } finally {
      await s.close();
      d.remove();
    }
  });

  test('a row limit cuts the answer and says so; a timeout interrupts the query', async () => {
    const d = tempDir();
    const s = await filled(d.dir);
    try {
      const sql = await s.sqlRunner();
      const r = await sql.query('SELECT t_ms FROM samples ORDER BY t_ms', { maxRows: 7 });
      assert.equal(r.rows.length, 7);
      assert.equal(r.truncated, true);
      const all = await sql.query('SELECT * FROM range(7)', { maxRows: 7 });
      assert.equal(all.truncated, false);
      await assert.rejects(
        sql.query('SELECT sum(a.range * b.range) FROM range(100000000) a, range(100000000) b', {
          timeoutMs: 200,
        }),
        (e) => e instanceof SqlError && e.kind === 'timeout',
      );
      // The runner still answers afterwards.
      assert.deepEqual((await sql.query('SELECT 1 AS one')).rows, [[1]]);
    } finally {
      await s.close();
      d.remove();
    }
  });

  test('only one SELECT over the views passes the read-only gate', async () => {
    const d = tempDir();
    const s = await filled(d.dir);
    try {
      const sql = await s.sqlRunner({ disableExternalAccess: true });
      const rejected: [string, RegExp][] = [
        ['DELETE FROM samples', /only a read-only SELECT/],
        ["INSERT INTO beacon_series VALUES (99, '{}')", /only a read-only SELECT/],
        ['UPDATE beacon_blocks SET mint = 0', /only a read-only SELECT/],
        ['DROP TABLE beacon_samples', /only a read-only SELECT/],
        ['CREATE TABLE x AS SELECT 1', /only a read-only SELECT/],
        ["COPY beacon_series TO '/tmp/x.csv'", /only a read-only SELECT/],
        ["ATTACH '/tmp/other.duckdb' AS o", /only a read-only SELECT/],
        ['INSTALL httpfs', /only a read-only SELECT/],
        ['LOAD httpfs', /only a read-only SELECT/],
        ['PRAGMA enable_profiling', /only a read-only SELECT/],
        ['SET enable_external_access = true', /only a read-only SELECT/],
        ['CHECKPOINT', /only a read-only SELECT/],
        ['SELECT 1; DELETE FROM beacon_samples', /only a read-only SELECT/],
        ['SELECT 1; SELECT 2', /exactly one statement/],
        ['SELECT * FROM beacon_silences', /table "beacon_silences" is not available/],
        ['SELECT * FROM main.series', /table "series" is not available/],
        ['SELECT * FROM head_samples', /not available/],
        ["SELECT * FROM read_csv('/etc/passwd')", /table function "read_csv" is not allowed/],
        ["SELECT * FROM '/etc/passwd'", /not available/],
        ['SELECT * FROM duckdb_tables()', /table function "duckdb_tables" is not allowed/],
        [
          'SELECT * FROM series WHERE series_id IN (SELECT 1 FROM beacon_registrations)',
          /beacon_registrations/,
        ],
        ['WITH beacon_silences AS (SELECT * FROM beacon_silences) SELECT 1', /reserved/],
        ['SELEC 1', /syntax error/],
      ];
      for (const [q, why] of rejected) {
        await assert.rejects(
          sql.query(q),
          (e) => e instanceof SqlError && e.kind === 'bad_data' && why.test(e.message),
          q,
        );
      }
      // CTEs, subqueries and generators over the views are fine.
      const ok = await sql.query(
        `WITH u AS (SELECT series_id FROM series WHERE metric = 'up')
         SELECT count(*) FROM samples WHERE series_id IN (SELECT series_id FROM u)
         UNION ALL SELECT count(*) FROM range(3)`,
      );
      assert.deepEqual(ok.rows, [[600], [3]]);
      // Behind the gate, DuckDB itself refuses files: the second wall.
      await sql.withViews(false, async (c) => {
        await assert.rejects(
          c.runAndReadAll("SELECT * FROM read_csv('/etc/passwd')"),
          /disabled by configuration/,
        );
      });
    } finally {
      await s.close();
      d.remove();
    }
  });
});

describe('duckdb SQL: export to Parquet', () => {
  test('matching series in the range go to samples.parquet, read back with DuckDB', async () => {
    const d = tempDir();
    const s = await filled(d.dir);
    await s.close();
    try {
      const out = path.join(d.dir, 'export');
      const r = await exportParquet({
        dataDir: d.dir,
        selectors: [[Matcher.create('=', 'job', 'a')], [Matcher.create('=', '__name__', 'late')]],
        from: 2 * HOUR,
        to: 4 * HOUR,
        outDir: out,
      });
      assert.equal(r.file, path.join(out, 'samples.parquet'));
      assert.equal(r.series, 3);
      // up{job=a} and temp: 121 samples each in [2h, 4h]; late is outside.
      assert.equal(r.samples, 2 * 121);
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      try {
        const schema = await c.runAndReadAll(
          `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${r.file}')`,
        );
        assert.deepEqual(schema.getRows(), [
          ['metric', 'VARCHAR'],
          ['labels', 'MAP(VARCHAR, VARCHAR)'],
          ['ts', 'TIMESTAMP'],
          ['value', 'DOUBLE'],
        ]);
        const got = await c.runAndReadAll(
          `SELECT metric, labels['job'], count(*)::INTEGER, min(ts)::VARCHAR, max(ts)::VARCHAR,
             max(value) FROM '${r.file}' GROUP BY ALL ORDER BY metric`,
        );
        assert.deepEqual(got.getRows(), [
          ['temp', 'a', 121, '1970-01-01 02:00:00', '1970-01-01 04:00:00', 14400.25],
          ['up', 'a', 121, '1970-01-01 02:00:00', '1970-01-01 04:00:00', 1],
        ]);
      } finally {
        c.closeSync();
        db.closeSync();
      }
    } finally {
      d.remove();
    }
  });

  test('a data directory in use is refused; an empty one is an error', async () => {
    const d = tempDir();
    const s = await filled(d.dir);
    try {
      const opts = { dataDir: d.dir, selectors: [[]], from: 0, to: 1, outDir: d.dir + '/o' };
      await assert.rejects(exportParquet(opts), (e) => e instanceof DirectoryLockedError);
      await assert.rejects(
        exportParquet({ ...opts, dataDir: path.join(d.dir, 'nothing') }),
        /no Beacon data directory/,
      );
    } finally {
      await s.close();
      d.remove();
    }
  });
});
