/**
 * SQL over the metrics of a DuckDB data directory: each query gets a connection of its own
 * with temporary `series` and `samples` views over the head (copied in) and the blocks, runs
 * after the read-only gate of `sql_guard.ts`, and is cut at a row limit and interrupted at a
 * timeout.
 * @module
 */
import {
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  INTEGER,
  StatementType,
  VARCHAR,
} from '@duckdb/node-api';
import type { Labels } from '../../../core/model/mod.ts';
import {
  SqlError,
  type SqlLimits,
  type SqlResult,
  type SqlRunner,
} from '../../../core/state/mod.ts';
import type { SampleColumns } from '../../../core/storage/mod.ts';
import { type BlockStore, ChunkWriter } from './blocks.ts';
import { checkReadOnly } from './sql_guard.ts';
import { HEAD_TABLES, viewStatements } from './sql_views.ts';

/** The head at one instant, with the blocks that existed then. */
export interface SqlSnapshot {
  blocks: readonly number[];
  /** Head series; `cols` only when samples were asked for. */
  series: readonly { id: number; labels: Labels; cols?: SampleColumns }[];
}

/**
 * Takes a {@link SqlSnapshot} synchronously (so that it is consistent): head samples in
 * [mint, maxt] when `withSamples`, and the blocks overlapping that range.
 */
export type SnapshotFn = (withSamples: boolean, mint: number, maxt: number) => SqlSnapshot;

/** The time range of the `samples` view, ms. */
export interface ViewRange {
  mint: number;
  maxt: number;
}

const ALL: ViewRange = { mint: -Number.MAX_SAFE_INTEGER, maxt: Number.MAX_SAFE_INTEGER };

const DEFAULT_ROWS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** The {@link SqlRunner} of a DuckDB data directory. */
export class DuckdbSqlRunner implements SqlRunner {
  readonly #store: BlockStore;
  readonly #snapshot: SnapshotFn;

  constructor(store: BlockStore, snapshot: SnapshotFn) {
    this.#store = store;
    this.#snapshot = snapshot;
  }

  /**
   * Runs `fn` on a fresh connection that has the views (for trusted SQL, such as exports:
   * no read-only gate); `withSamples` false leaves the head's samples out of `samples`.
   */
  async withViews<T>(
    withSamples: boolean,
    fn: (c: DuckDBConnection) => Promise<T>,
    range: ViewRange = ALL,
  ): Promise<T> {
    const c = await this.#store.connect();
    try {
      await prepareViews(c, this.#snapshot, withSamples, range);
      return await fn(c);
    } finally {
      this.#store.disconnect(c);
    }
  }

  /** Runs one read-only query; see docs/sql.md. */
  async query(sql: string, limits: SqlLimits = {}): Promise<SqlResult> {
    const maxRows = limits.maxRows ?? DEFAULT_ROWS;
    const c = await this.#store.connect();
    try {
      const reads = await checkReadOnly(c, sql);
      await prepareViews(c, this.#snapshot, reads.samples, {
        mint: Math.max(limits.start ?? ALL.mint, ALL.mint),
        maxt: Math.min(limits.end ?? ALL.maxt, ALL.maxt),
      });
      const stmt = await c.prepare(sql).catch((e) => {
        throw duckError(e);
      });
      if (stmt.statementType !== StatementType.SELECT) {
        throw new SqlError('only a read-only SELECT query is allowed');
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        c.interrupt();
      }, limits.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      let reader;
      try {
        reader = await stmt.streamAndReadUntil(maxRows + 1);
      } catch (e) {
        if (timedOut) throw new SqlError('query timed out', 'timeout');
        throw duckError(e);
      } finally {
        clearTimeout(timer);
      }
      const types = reader.columnTypes();
      const rows = reader.getRowsJson();
      const truncated = rows.length > maxRows;
      if (truncated) rows.length = maxRows;
      const convert = types.map(converter);
      return {
        columns: reader.columnNames().map((name, i) => ({ name, type: typeName(types[i]) })),
        rows: rows.map((row) => row.map((v, i) => convert[i](v))),
        truncated,
      };
    } finally {
      this.#store.disconnect(c);
    }
  }
}

/** Creates the head tables (filled from a snapshot) and the views on `c`. */
export async function prepareViews(
  c: DuckDBConnection,
  snapshot: SnapshotFn,
  withSamples: boolean,
  range: ViewRange = ALL,
): Promise<void> {
  for (const s of HEAD_TABLES) await c.run(s);
  const series = new ChunkWriter(await c.createAppender('head_series', 'main', 'temp'), [
    INTEGER,
    VARCHAR,
  ]);
  const samples = new ChunkWriter(await c.createAppender('head_samples', 'main', 'temp'), [
    INTEGER,
    DOUBLE,
    DOUBLE,
  ]);
  // No await between taking the snapshot and copying it: the head may change at any await.
  const snap = snapshot(withSamples, range.mint, range.maxt);
  for (const s of snap.series) {
    series.row(s.id, JSON.stringify(s.labels.toRecord()));
    const cols = s.cols;
    if (cols === undefined) continue;
    for (let i = 0; i < cols.t.length; i++) {
      samples.row(s.id, cols.t[i], cols.stale?.[i] ? null : cols.v[i]);
    }
  }
  series.close();
  samples.close();
  for (const s of viewStatements(snap.blocks, range.mint, range.maxt)) await c.run(s);
}

function typeName(t: DuckDBType): string {
  return t.alias ?? t.toString();
}

// Binder, parser and catalog errors are the user's; the rest is the execution's.
function duckError(e: unknown): SqlError {
  const msg = String((e as Error)?.message ?? e);
  const bad = /^(Binder|Parser|Catalog|Conversion|Invalid Input|Permission) Error/.test(msg);
  return new SqlError(msg, bad ? 'bad_data' : 'execution');
}

const INTEGERS = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);

// JSON-ready cells: big integers as numbers when exact, maps as objects, JSON parsed.
function converter(t: DuckDBType): (v: unknown) => unknown {
  const name = t.toString();
  if (t.alias === 'JSON') return (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  if (INTEGERS.has(name)) {
    return (v) => {
      if (typeof v !== 'string') return v;
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    };
  }
  if (name.startsWith('MAP(')) {
    return (v) =>
      Array.isArray(v)
        ? Object.fromEntries(
          v.map((e) => [String((e as { key: unknown }).key), (e as { value: unknown }).value]),
        )
        : v;
  }
  return (v) => v;
}
