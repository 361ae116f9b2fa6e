import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { DuckdbStorage, migrate, MIGRATIONS } from '../../../../plugins/storage/duckdb/mod.ts';
import { dump } from '../../../core/storage/storage_suite.ts';
import { tempDir } from '../../../helpers/host.ts';
import { silence, stateStoreSuite } from '../../../core/state/state_store_suite.ts';

stateStoreSuite('duckdb', () => {
  const d = tempDir();
  let s: DuckdbStorage | undefined;
  return {
    async open() {
      s = await DuckdbStorage.open({ path: d.dir });
      return s.stateStore();
    },
    async reopen() {
      await s?.close();
      s = await DuckdbStorage.open({ path: d.dir });
      return s.stateStore();
    },
    async close() {
      await s?.close();
      d.remove();
    },
  };
});

async function rows(file: string, sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRows();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

// The ad hoc schema data directories had before migrations existed (with its two views).
const LEGACY = [
  `CREATE TABLE beacon_series(id INTEGER PRIMARY KEY, labels VARCHAR NOT NULL)`,
  `CREATE TABLE beacon_blocks(id INTEGER PRIMARY KEY, mint BIGINT NOT NULL,
     maxt BIGINT NOT NULL, samples BIGINT NOT NULL, series INTEGER NOT NULL)`,
  `CREATE TABLE beacon_block_series(block INTEGER NOT NULL, series INTEGER NOT NULL,
     base BIGINT NOT NULL, mint BIGINT NOT NULL, maxt BIGINT NOT NULL, n INTEGER NOT NULL)`,
  `CREATE TABLE beacon_samples(block INTEGER NOT NULL, series INTEGER NOT NULL,
     dt INTEGER NOT NULL, v DOUBLE)`,
  `CREATE VIEW series AS SELECT id AS series, labels::JSON AS labels FROM beacon_series`,
  `CREATE VIEW samples AS SELECT series, v FROM beacon_samples`,
  // One block of one series: samples at 1000, 2000, 3000 with values 1, 2, NULL (stale).
  `INSERT INTO beacon_series VALUES (1, '{"__name__":"up","job":"old"}')`,
  `INSERT INTO beacon_blocks VALUES (1, 1000, 3000, 3, 1)`,
  `INSERT INTO beacon_block_series VALUES (1, 1, 0, 1000, 3000, 3)`,
  `INSERT INTO beacon_samples VALUES (1, 1, 1000, 1), (1, 1, 1000, 2), (1, 1, 1000, NULL)`,
];

describe('duckdb state: migrations', () => {
  test('a new database gets every migration, recorded in order, once', async () => {
    const d = tempDir();
    try {
      const s = await DuckdbStorage.open({ path: d.dir });
      await s.close();
      const file = path.join(d.dir, 'beacon.duckdb');
      assert.deepEqual(
        (await rows(file, 'SELECT id, name FROM beacon_migrations ORDER BY id')).map(
          ([id, name]) => [Number(id), name],
        ),
        MIGRATIONS.map((m) => [m.id, m.name]),
      );
      // A second open applies nothing.
      const again = await DuckdbStorage.open({ path: d.dir });
      await again.close();
      assert.equal(
        Number((await rows(file, 'SELECT count(*) FROM beacon_migrations'))[0][0]),
        MIGRATIONS.length,
      );
    } finally {
      d.remove();
    }
  });

  test('a data directory from before migrations opens with its blocks intact', async () => {
    const d = tempDir();
    try {
      const file = path.join(d.dir, 'beacon.duckdb');
      const db = await DuckDBInstance.create(file);
      const c = await db.connect();
      for (const sql of LEGACY) await c.run(sql);
      c.closeSync();
      db.closeSync();
      const s = await DuckdbStorage.open({ path: d.dir });
      try {
        assert.deepEqual(s.blocks(), [{ id: 1, mint: 1000, maxt: 3000, samples: 3, series: 1 }]);
        const got = await dump(s, [Matcher.create('=', 'job', 'old')], 0, 10_000);
        assert.deepEqual(got.map(([labels, t]) => [labels, t]), [
          [Labels.from({ __name__: 'up', job: 'old' }).toString(), [1000, 2000, 3000]],
        ]);
        // The state tables exist now, and the legacy views are gone.
        await s.stateStore().putSilence(silence('x'));
        assert.deepEqual((await s.stateStore().listSilences()).map((x) => x.id), ['x']);
        // New blocks continue the numbering.
        const app = s.appender();
        for (let t = 4 * 3600_000; t <= 9 * 3600_000; t += 60_000) {
          app.append(0, Labels.from({ __name__: 'up', job: 'old' }), t, 1);
        }
        await app.commit();
        await s.compact();
        assert.ok(s.blocks().length > 1);
        assert.equal(s.blocks()[0].id, 1);
        assert.ok(s.blocks().slice(1).every((b) => b.id > 1));
      } finally {
        await s.close();
      }
      const views = await rows(file, `SELECT view_name FROM duckdb_views() WHERE NOT internal`);
      assert.deepEqual(views, []);
      assert.deepEqual(
        (await rows(file, 'SELECT id FROM beacon_migrations ORDER BY id')).map((r) => Number(r[0])),
        MIGRATIONS.map((m) => m.id),
      );
    } finally {
      d.remove();
    }
  });

  test('an upgrade applies only the migrations the database lacks', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      assert.deepEqual(await migrate(c, MIGRATIONS.slice(0, 1)), [1]);
      await c.run('INSERT INTO beacon_blocks VALUES (7, 0, 1, 1, 1)');
      assert.deepEqual(await migrate(c), MIGRATIONS.slice(1).map((m) => m.id));
      assert.deepEqual(await migrate(c), []);
      const r = await c.runAndReadAll('SELECT id FROM beacon_blocks');
      assert.deepEqual(r.getRows().map((x) => Number(x[0])), [7]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  test('a failing migration is rolled back and not recorded; later ones do not run', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const broken = [
        ...MIGRATIONS,
        { id: 100, name: 'half', statements: ['CREATE TABLE half(a INTEGER)', 'NOT SQL'] },
        { id: 101, name: 'after', statements: ['CREATE TABLE after(a INTEGER)'] },
      ];
      await assert.rejects(migrate(c, broken), /schema migration 100 \(half\) failed/);
      const tables = (await c.runAndReadAll(
        `SELECT table_name FROM duckdb_tables() WHERE table_name IN ('half', 'after')`,
      )).getRows();
      assert.deepEqual(tables, []);
      const ids = (await c.runAndReadAll('SELECT max(id) FROM beacon_migrations')).getRows();
      assert.equal(Number(ids[0][0]), MIGRATIONS.at(-1)!.id);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  test('a database migrated by a newer Beacon is refused with a clear error', async () => {
    const d = tempDir();
    try {
      const s = await DuckdbStorage.open({ path: d.dir });
      await s.close();
      const db = await DuckDBInstance.create(path.join(d.dir, 'beacon.duckdb'));
      const c = await db.connect();
      await c.run(`INSERT INTO beacon_migrations VALUES (999, 'future', 0)`);
      c.closeSync();
      db.closeSync();
      await assert.rejects(
        DuckdbStorage.open({ path: d.dir }),
        /schema migration 999, unknown to this Beacon: it was written by a newer version/,
      );
      // The failed open released the directory.
      await assert.rejects(DuckdbStorage.open({ path: d.dir }), /migration 999/);
    } finally {
      d.remove();
    }
  });
});
