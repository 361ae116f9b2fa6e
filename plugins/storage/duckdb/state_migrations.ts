/**
 * Ordered schema migrations of a DuckDB data directory. Each runs once, in its own
 * transaction, and is recorded in `beacon_migrations(id, name, applied_at)`; `migrate` runs on
 * every open. Never edit or renumber a released migration: append a new one.
 *
 * Migration 1 is the block layout that data directories had before migrations existed; its
 * `IF NOT EXISTS` lets such a directory adopt the mechanism with its data untouched.
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { StorageError } from '../../../core/storage/mod.ts';

/** One migration: an id (its order), a name, and its statements. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'block index and sample tables',
    statements: [
      `CREATE TABLE IF NOT EXISTS beacon_series(id INTEGER PRIMARY KEY, labels VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS beacon_blocks(id INTEGER PRIMARY KEY, mint BIGINT NOT NULL,
         maxt BIGINT NOT NULL, samples BIGINT NOT NULL, series INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS beacon_block_series(block INTEGER NOT NULL,
         series INTEGER NOT NULL, base BIGINT NOT NULL, mint BIGINT NOT NULL,
         maxt BIGINT NOT NULL, n INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS beacon_samples(block INTEGER NOT NULL, series INTEGER NOT NULL,
         dt INTEGER NOT NULL, v DOUBLE)`,
    ],
  },
  {
    id: 2,
    name: 'silences, notification log, target registrations',
    statements: [
      `CREATE TABLE beacon_silences(id VARCHAR PRIMARY KEY, matchers VARCHAR NOT NULL,
         starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
         created_by VARCHAR NOT NULL, comment VARCHAR NOT NULL)`,
      `CREATE TABLE beacon_nflog(group_key VARCHAR NOT NULL, receiver VARCHAR NOT NULL,
         integration VARCHAR NOT NULL, firing VARCHAR NOT NULL, resolved VARCHAR NOT NULL,
         timestamp BIGINT NOT NULL, expires_at BIGINT NOT NULL,
         PRIMARY KEY (group_key, receiver, integration))`,
      `CREATE TABLE beacon_registrations(id VARCHAR PRIMARY KEY, job VARCHAR NOT NULL,
         entry_index INTEGER NOT NULL, targets VARCHAR NOT NULL, labels VARCHAR NOT NULL,
         ttl_ms BIGINT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
    ],
  },
  {
    id: 3,
    // The SQL door now defines `series` and `samples` per query, over head and blocks.
    name: 'drop the block-only SQL views',
    statements: ['DROP VIEW IF EXISTS samples', 'DROP VIEW IF EXISTS series'],
  },
];

/**
 * Applies the migrations `c`'s database lacks, in order; resolves to the ids applied.
 * @throws {StorageError} when the database records a migration this Beacon does not know
 *   (written by a newer version), or a migration fails (that one is rolled back).
 */
export async function migrate(
  c: DuckDBConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await c.run(`CREATE TABLE IF NOT EXISTS beacon_migrations(id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL, applied_at BIGINT NOT NULL)`);
  const done = new Set(
    (await c.runAndReadAll('SELECT id FROM beacon_migrations')).getColumns()[0]?.map(Number) ??
      [],
  );
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...done].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new StorageError(
      `the database has schema migration ${
        Math.max(...unknown)
      }, unknown to this Beacon: it was written by a newer version`,
    );
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (done.has(m.id)) continue;
    await c.run('BEGIN TRANSACTION');
    try {
      for (const s of m.statements) await c.run(s);
      await c.run('INSERT INTO beacon_migrations VALUES ($1, $2, $3)', [
        m.id,
        m.name,
        BigInt(Date.now()),
      ]);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK').catch(() => {});
      throw new StorageError(`schema migration ${m.id} (${m.name}) failed: ${String(e)}`);
    }
    applied.push(m.id);
  }
  return applied;
}
