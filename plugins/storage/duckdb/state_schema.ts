/**
 * The relational schema of a DuckDB data directory, defined once with drizzle-orm's `pg-core`
 * (DuckDB speaks PostgreSQL's dialect closely enough: `$1` placeholders, `ON CONFLICT … DO
 * UPDATE`, double-quoted identifiers). The DDL that creates these tables lives in
 * `state_migrations.ts`; a test writes and reads every table through this schema, so the two
 * cannot drift apart silently. Times are integer milliseconds since the epoch (`BIGINT`),
 * lists and label sets JSON text.
 * @module
 */
import { bigint, doublePrecision, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

/** Every series some block holds; `labels` is a JSON object. */
export const beaconSeries = pgTable('beacon_series', {
  id: integer('id').primaryKey(),
  labels: text('labels').notNull(),
});

/** The block index: one row per compacted window. */
export const beaconBlocks = pgTable('beacon_blocks', {
  id: integer('id').primaryKey(),
  mint: ms('mint').notNull(),
  maxt: ms('maxt').notNull(),
  samples: bigint('samples', { mode: 'number' }).notNull(),
  series: integer('series').notNull(),
});

/** Per block and series: the time base and extent of its rows in `beacon_samples`. */
export const beaconBlockSeries = pgTable('beacon_block_series', {
  block: integer('block').notNull(),
  series: integer('series').notNull(),
  base: ms('base').notNull(),
  mint: ms('mint').notNull(),
  maxt: ms('maxt').notNull(),
  n: integer('n').notNull(),
});

/** Sample rows (written with DuckDB's appender, not drizzle: the hot path). */
export const beaconSamples = pgTable('beacon_samples', {
  block: integer('block').notNull(),
  series: integer('series').notNull(),
  dt: integer('dt').notNull(),
  v: doublePrecision('v'),
});

/** Silences of the built-in routing; `matchers` is a JSON array. */
export const beaconSilences = pgTable('beacon_silences', {
  id: text('id').primaryKey(),
  matchers: text('matchers').notNull(),
  startsAt: ms('starts_at').notNull(),
  endsAt: ms('ends_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
  createdBy: text('created_by').notNull(),
  comment: text('comment').notNull(),
});

/** The notification log; `firing`/`resolved` are JSON arrays of alert fingerprints. */
export const beaconNflog = pgTable('beacon_nflog', {
  groupKey: text('group_key').notNull(),
  receiver: text('receiver').notNull(),
  integration: text('integration').notNull(),
  firing: text('firing').notNull(),
  resolved: text('resolved').notNull(),
  timestamp: ms('timestamp').notNull(),
  expiresAt: ms('expires_at').notNull(),
}, (t) => [primaryKey({ columns: [t.groupKey, t.receiver, t.integration] })]);

/** Registered targets; `targets` a JSON array, `labels` a JSON object. */
export const beaconRegistrations = pgTable('beacon_registrations', {
  id: text('id').primaryKey(),
  job: text('job').notNull(),
  index: integer('entry_index').notNull(),
  targets: text('targets').notNull(),
  labels: text('labels').notNull(),
  ttlMs: ms('ttl_ms').notNull(),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
});
