/**
 * Blocks in DuckDB. A block is one compacted window of the head. Layout (chosen by measuring,
 * see bench/README.md "DuckDB storage"):
 *
 * - `beacon_series(id, labels)`: every series a block holds, labels as a JSON object;
 * - `beacon_blocks(id, mint, maxt, samples, series)`: the block index;
 * - `beacon_block_series(block, series, base, mint, maxt, n)`: per series and block;
 * - `beacon_samples(block, series, dt, v)`: rows in (block, series, time) order; `dt` is the
 *   time since the series' previous sample in the block (the first row repeats the second
 *   row's delta and `base` is its time minus that delta), so regular scrapes make `dt` a
 *   constant column; `v` NULL is a stale marker, so SQL sees no fake NaN.
 *
 * The tables are created by the ordered migrations of `state_migrations.ts` and described
 * by the drizzle schema of `state_schema.ts`; SQL users see the views of `sql_views.ts`.
 * @module
 */
import {
  BIGINT,
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBType,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import { asc } from 'drizzle-orm';
import type { PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import { Labels } from '../../../core/model/mod.ts';
import type { SampleColumns } from '../../../core/storage/mod.ts';
import { migrate } from './state_migrations.ts';
import { beaconBlocks } from './state_schema.ts';
import { drizzleOver, DuckdbStateStore } from './state_store.ts';

/** A row of the block index. */
export interface BlockMeta {
  id: number;
  mint: number;
  maxt: number;
  samples: number;
  series: number;
}

/** One series' samples for a block. */
export interface BlockSeriesData {
  id: number;
  cols: SampleColumns;
}

const ROWS_PER_CHUNK = 2048;

/** Appends rows through data chunks, far faster than value by value (also used by SQL). */
export class ChunkWriter {
  readonly #app: DuckDBAppender;
  readonly #types: DuckDBType[];
  #chunk!: DuckDBDataChunk;
  // deno-lint-ignore no-explicit-any
  #vecs!: any[];
  #n = 0;

  constructor(app: DuckDBAppender, types: DuckDBType[]) {
    this.#app = app;
    this.#types = types;
    this.#fresh();
  }

  #fresh(): void {
    // A new chunk each time: a reset chunk's cached vectors do not take new items.
    this.#chunk = DuckDBDataChunk.create(this.#types, ROWS_PER_CHUNK);
    this.#vecs = this.#types.map((_, i) => this.#chunk.getColumnVector(i));
  }

  row(...values: (number | bigint | string | null)[]): void {
    for (let i = 0; i < values.length; i++) this.#vecs[i].setItem(this.#n, values[i]);
    if (++this.#n === ROWS_PER_CHUNK) this.flush();
  }

  flush(): void {
    if (this.#n === 0) return;
    for (const v of this.#vecs) v.flush();
    this.#chunk.rowCount = this.#n;
    this.#app.appendDataChunk(this.#chunk);
    this.#n = 0;
    this.#fresh();
  }

  close(): void {
    this.flush();
    this.#app.flushSync();
    this.#app.closeSync();
  }
}

const sqlList = (ids: Iterable<number>) => [...ids].join(',');

/** The DuckDB database of one data directory. */
export class BlockStore {
  readonly #db: DuckDBInstance;
  readonly #c: DuckDBConnection;
  // Reads go through their own connection, so they see committed blocks only, never a block
  // (or a deletion rewrite) half-way through its transaction on the writing connection.
  readonly #r: DuckDBConnection;
  // The state store's own connection: its writes never join a block's open transaction.
  readonly #s: DuckDBConnection;
  readonly #orm: PgRemoteDatabase;
  readonly #state: DuckdbStateStore;
  readonly #extra = new Set<DuckDBConnection>();
  #closed = false;

  private constructor(
    db: DuckDBInstance,
    c: DuckDBConnection,
    r: DuckDBConnection,
    s: DuckDBConnection,
  ) {
    this.#db = db;
    this.#c = c;
    this.#r = r;
    this.#s = s;
    this.#orm = drizzleOver(c);
    this.#state = new DuckdbStateStore(s);
  }

  /** Opens (creating) the database file and brings its schema up to date. */
  static async open(file: string, memoryLimit = '512MB'): Promise<BlockStore> {
    const db = await DuckDBInstance.create(file, { memory_limit: memoryLimit });
    try {
      const c = await db.connect();
      // Reads rely on scans returning rows in insertion order (DuckDB's default).
      await c.run('SET preserve_insertion_order = true');
      await migrate(c);
      const r = await db.connect();
      await r.run('SET preserve_insertion_order = true');
      return new BlockStore(db, c, r, await db.connect());
    } catch (e) {
      db.closeSync();
      throw e;
    }
  }

  /** The relational state kept in this database. */
  get state(): DuckdbStateStore {
    return this.#state;
  }

  /** A new connection to this database, closed with the store (for SQL queries). */
  async connect(): Promise<DuckDBConnection> {
    if (this.#closed) throw new Error('storage is closed');
    const c = await this.#db.connect();
    this.#extra.add(c);
    return c;
  }

  /** Closes a connection from {@link BlockStore.connect}. */
  disconnect(c: DuckDBConnection): void {
    if (this.#extra.delete(c)) c.closeSync();
  }

  /** The connection, for SQL by other parts of Beacon (read-only use expected). */
  get connection(): DuckDBConnection {
    return this.#c;
  }

  /** Every known series. */
  async loadSeries(): Promise<{ id: number; labels: Labels }[]> {
    const r = await this.#c.runAndReadAll('SELECT id, labels FROM beacon_series ORDER BY id');
    return r.getRows().map(([id, labels]) => ({
      id: Number(id),
      labels: Labels.from(JSON.parse(String(labels))),
    }));
  }

  /** The block index, oldest first. */
  async loadBlocks(): Promise<BlockMeta[]> {
    return await this.#orm.select().from(beaconBlocks).orderBy(
      asc(beaconBlocks.mint),
      asc(beaconBlocks.id),
    );
  }

  /** Writes one block (and the series rows it needs) in one transaction. */
  async writeBlock(
    id: number,
    data: readonly BlockSeriesData[],
    newSeries: readonly { id: number; labels: Labels }[],
  ): Promise<BlockMeta> {
    const c = this.#c;
    let mint = Infinity, maxt = -Infinity, samples = 0;
    await c.run('BEGIN TRANSACTION');
    try {
      // New series only (the caller knows which are persisted): appended in bulk.
      const ser = new ChunkWriter(await c.createAppender('beacon_series'), [INTEGER, VARCHAR]);
      for (const s of newSeries) ser.row(s.id, JSON.stringify(s.labels.toRecord()));
      ser.close();
      const bs = new ChunkWriter(await c.createAppender('beacon_block_series'), [
        INTEGER,
        INTEGER,
        BIGINT,
        BIGINT,
        BIGINT,
        INTEGER,
      ]);
      const rows = new ChunkWriter(await c.createAppender('beacon_samples'), [
        INTEGER,
        INTEGER,
        INTEGER,
        DOUBLE,
      ]);
      for (const { id: sid, cols } of data) {
        const n = cols.t.length;
        if (n === 0) continue;
        const first = n > 1 ? cols.t[1] - cols.t[0] : 0;
        bs.row(id, sid, BigInt(cols.t[0] - first), BigInt(cols.t[0]), BigInt(cols.t[n - 1]), n);
        for (let i = 0; i < n; i++) {
          rows.row(
            id,
            sid,
            i === 0 ? first : cols.t[i] - cols.t[i - 1],
            cols.stale?.[i] ? null : cols.v[i],
          );
        }
        samples += n;
        if (cols.t[0] < mint) mint = cols.t[0];
        if (cols.t[n - 1] > maxt) maxt = cols.t[n - 1];
      }
      bs.close();
      rows.close();
      const meta = { id, mint, maxt, samples, series: data.length };
      await this.#orm.insert(beaconBlocks).values(meta);
      await c.run('COMMIT');
      return meta;
    } catch (e) {
      await c.run('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  /**
   * Samples of `seriesIds` (all when undefined) in [mint, maxt] from `blocks`: per series id,
   * one column set per block, oldest block (lowest id) first.
   */
  async read(
    blocks: readonly number[],
    seriesIds: readonly number[] | undefined,
    mint: number,
    maxt: number,
  ): Promise<Map<number, SampleColumns[]>> {
    const out = new Map<number, SampleColumns[]>();
    if (blocks.length === 0 || seriesIds?.length === 0) return out;
    // SQL has no Infinity literal; the bounds only need to cover every int64 millisecond.
    mint = Math.max(mint, -Number.MAX_SAFE_INTEGER);
    maxt = Math.min(maxt, Number.MAX_SAFE_INTEGER);
    const ids = seriesIds !== undefined ? `AND series IN (${sqlList(seriesIds)})` : '';
    const inBlocks = `block IN (${sqlList(blocks)})`;
    const bases = new Map<number, number>();
    const br = await this.#r.runAndReadAll(
      `SELECT block, series, base FROM beacon_block_series
       WHERE ${inBlocks} ${ids} AND maxt >= ${mint} AND mint <= ${maxt}`,
    );
    const [bb, bsr, bbase] = br.getColumns() as [number[], number[], bigint[]];
    if (bb === undefined || bb.length === 0) return out;
    for (let i = 0; i < bb.length; i++) bases.set(bb[i] * 2 ** 32 + bsr[i], Number(bbase[i]));
    // Insertion order is (block, series, time) and DuckDB keeps it for plain scans; should a
    // run come back split, the ordered (slower) query is used instead.
    const rowsSql = `SELECT block, series, dt, v FROM beacon_samples WHERE ${inBlocks} ${ids}`;
    const got = this.#runs(await this.#r.runAndReadAll(rowsSql), bases, mint, maxt) ??
      this.#runs(
        await this.#r.runAndReadAll(`${rowsSql} ORDER BY block, series, rowid`),
        bases,
        mint,
        maxt,
      )!;
    for (const [series, list] of got) {
      if (list.length > 1) list.sort((a, b) => a.block - b.block);
      out.set(series, list.map((x) => x.cols));
    }
    return out;
  }

  #runs(
    reader: DuckDBResultReader,
    bases: Map<number, number>,
    mint: number,
    maxt: number,
  ): Map<number, { block: number; cols: SampleColumns }[]> | undefined {
    const out = new Map<number, { block: number; cols: SampleColumns }[]>();
    const [bl, se, dts, vs] = reader.getColumns() as [
      number[],
      number[],
      number[],
      (number | null)[],
    ];
    if (bl === undefined) return out;
    const seen = new Set<number>();
    let i = 0;
    while (i < bl.length) {
      let j = i;
      while (j < bl.length && bl[j] === bl[i] && se[j] === se[i]) j++;
      const key = bl[i] * 2 ** 32 + se[i];
      if (seen.has(key)) return undefined;
      seen.add(key);
      const base = bases.get(key);
      if (base !== undefined) {
        const t = new Float64Array(j - i), v = new Float64Array(j - i);
        let stale: Uint8Array | undefined;
        let ts = base, n = 0;
        for (let k = i; k < j; k++) {
          ts += dts[k];
          if (ts < mint) continue;
          if (ts > maxt) break;
          t[n] = ts;
          const x = vs[k];
          if (x === null) {
            v[n] = NaN;
            (stale ??= new Uint8Array(j - i))[n] = 1;
          } else v[n] = x;
          n++;
        }
        if (n > 0) {
          const cols: SampleColumns = {
            t: t.subarray(0, n),
            v: v.subarray(0, n),
            ...(stale ? { stale: stale.subarray(0, n) } : {}),
          };
          let list = out.get(se[i]);
          if (list === undefined) out.set(se[i], list = []);
          list.push({ block: bl[i], cols });
        }
      }
      i = j;
    }
    return out;
  }

  /** Removes samples of `ids` in [mint, maxt] from `blocks` by rewriting those series. */
  async deleteRange(
    blocks: readonly number[],
    ids: readonly number[],
    mint: number,
    maxt: number,
  ): Promise<void> {
    if (blocks.length === 0 || ids.length === 0) return;
    for (const b of blocks) {
      const cur = await this.read([b], ids, -Number.MAX_VALUE, Number.MAX_VALUE);
      if (cur.size === 0) continue;
      const keep: BlockSeriesData[] = [];
      const changed: number[] = [];
      for (const [id, [cols]] of cur) {
        const idx: number[] = [];
        for (let i = 0; i < cols.t.length; i++) {
          if (cols.t[i] < mint || cols.t[i] > maxt) idx.push(i);
        }
        if (idx.length === cols.t.length) continue;
        changed.push(id);
        if (idx.length === 0) continue;
        const t = Float64Array.from(idx, (i) => cols.t[i]);
        const v = Float64Array.from(idx, (i) => cols.v[i]);
        const stale = cols.stale ? Uint8Array.from(idx, (i) => cols.stale![i]) : undefined;
        keep.push({ id, cols: stale ? { t, v, stale } : { t, v } });
      }
      if (changed.length === 0) continue;
      const touched = sqlList(changed);
      await this.#c.run('BEGIN TRANSACTION');
      try {
        await this.#c.run(
          `DELETE FROM beacon_samples WHERE block = ${b} AND series IN (${touched})`,
        );
        await this.#c.run(
          `DELETE FROM beacon_block_series WHERE block = ${b} AND series IN (${touched})`,
        );
        await this.#c.run('COMMIT');
      } catch (e) {
        await this.#c.run('ROLLBACK').catch(() => {});
        throw e;
      }
      if (keep.length > 0) await this.#appendToBlock(b, keep);
      await this.#c.run(`UPDATE beacon_blocks SET samples = (SELECT coalesce(sum(n), 0) FROM
        beacon_block_series WHERE block = ${b}), series = (SELECT count(*) FROM beacon_block_series
        WHERE block = ${b}) WHERE id = ${b}`);
    }
  }

  async #appendToBlock(block: number, data: readonly BlockSeriesData[]): Promise<void> {
    const c = this.#c;
    const bs = new ChunkWriter(await c.createAppender('beacon_block_series'), [
      INTEGER,
      INTEGER,
      BIGINT,
      BIGINT,
      BIGINT,
      INTEGER,
    ]);
    const rows = new ChunkWriter(await c.createAppender('beacon_samples'), [
      INTEGER,
      INTEGER,
      INTEGER,
      DOUBLE,
    ]);
    for (const { id, cols } of data) {
      const n = cols.t.length;
      const first = n > 1 ? cols.t[1] - cols.t[0] : 0;
      bs.row(block, id, BigInt(cols.t[0] - first), BigInt(cols.t[0]), BigInt(cols.t[n - 1]), n);
      for (let i = 0; i < n; i++) {
        rows.row(
          block,
          id,
          i === 0 ? first : cols.t[i] - cols.t[i - 1],
          cols.stale?.[i] ? null : cols.v[i],
        );
      }
    }
    bs.close();
    rows.close();
  }

  /** Series ids that still have rows in some block. */
  async seriesWithData(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const r = await this.#c.runAndReadAll(
      `SELECT DISTINCT series FROM beacon_block_series WHERE series IN (${sqlList(ids)})`,
    );
    return new Set((r.getColumns()[0] ?? []).map(Number));
  }

  /** Drops whole blocks, and series rows no block uses any more; returns those series ids. */
  async dropBlocks(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const list = sqlList(ids);
    const c = this.#c;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(`DELETE FROM beacon_samples WHERE block IN (${list})`);
      await c.run(`DELETE FROM beacon_block_series WHERE block IN (${list})`);
      await c.run(`DELETE FROM beacon_blocks WHERE id IN (${list})`);
      const orphans = await c.runAndReadAll(
        `SELECT id FROM beacon_series WHERE id NOT IN (SELECT DISTINCT series FROM beacon_block_series)`,
      );
      const gone = (orphans.getColumns()[0] ?? []).map(Number);
      if (gone.length > 0) await c.run(`DELETE FROM beacon_series WHERE id IN (${sqlList(gone)})`);
      await c.run('COMMIT');
      await c.run('CHECKPOINT');
      return gone;
    } catch (e) {
      await c.run('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  /** Removes series rows (series deleted everywhere). */
  async deleteSeriesRows(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) {
      await this.#c.run(`DELETE FROM beacon_series WHERE id IN (${sqlList(ids)})`);
    }
  }

  /** Writes DuckDB's own log into the database file. */
  async checkpoint(): Promise<void> {
    await this.#c.run('CHECKPOINT');
  }

  /** Bytes DuckDB uses for data (used blocks × block size). */
  async usedBytes(): Promise<number> {
    const r = await this.#c.runAndReadAll(
      `SELECT used_blocks, block_size FROM pragma_database_size()
       WHERE database_name = current_database()`,
    );
    const [used, size] = r.getRows()[0];
    return Number(used) * Number(size);
  }

  /** Closes the database. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#extra) c.closeSync();
    this.#extra.clear();
    this.#s.closeSync();
    this.#r.closeSync();
    this.#c.closeSync();
    this.#db.closeSync();
  }
}
