/**
 * `beacon export parquet`: the samples of the series matching selectors, in a time range,
 * written from a data directory to one Parquet file (`samples.parquet`) with the columns
 * `metric VARCHAR, labels MAP(VARCHAR, VARCHAR), ts TIMESTAMP, value DOUBLE`, ordered by
 * metric, series and time; stale markers are left out. It opens the directory as Beacon does
 * (taking its lock, replaying the log), so it refuses while a Beacon runs on it.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INTEGER } from '@duckdb/node-api';
import type { Logger } from '../../../core/log/logger.ts';
import { Labels, type Matcher } from '../../../core/model/mod.ts';
import { StorageError } from '../../../core/storage/mod.ts';
import { ChunkWriter } from './blocks.ts';
import { DuckdbStorage } from './duckdb_storage.ts';

/** What to export, from where, to where; times in ms, inclusive. */
export interface ExportParquetOptions {
  /** The data directory (`--storage.tsdb.path`). */
  dataDir: string;
  /** Selectors (each a list of matchers); a series matching any one is exported. */
  selectors: readonly (readonly Matcher[])[];
  from: number;
  to: number;
  /** The output directory (created when absent). */
  outDir: string;
  logger?: Logger;
}

/** What an export wrote. */
export interface ExportResult {
  file: string;
  series: number;
  samples: number;
}

/**
 * Writes the Parquet file.
 * @throws {StorageError} no data directory there, or a Beacon holds its lock
 *   ({@link DirectoryLockedError}).
 */
export async function exportParquet(o: ExportParquetOptions): Promise<ExportResult> {
  const dir = path.resolve(o.dataDir);
  if (!fs.existsSync(path.join(dir, 'beacon.duckdb')) && !fs.existsSync(path.join(dir, 'wal'))) {
    throw new StorageError(`no Beacon data directory at ${dir}`);
  }
  fs.mkdirSync(o.outDir, { recursive: true });
  const file = path.join(path.resolve(o.outDir), 'samples.parquet');
  const storage = await DuckdbStorage.open({ path: dir, logger: o.logger });
  try {
    const runner = await storage.sqlRunner();
    const from = Math.max(o.from, -Number.MAX_SAFE_INTEGER);
    const to = Math.min(o.to, Number.MAX_SAFE_INTEGER);
    return await runner.withViews(true, async (c) => {
      const all = await c.runAndReadAll('SELECT series_id, labels_json::VARCHAR FROM series');
      const ids: number[] = [];
      for (const [id, json] of all.getRows()) {
        const labels = Labels.from(JSON.parse(String(json)));
        if (o.selectors.some((ms) => ms.every((m) => m.matches(labels.get(m.name))))) {
          ids.push(Number(id));
        }
      }
      await c.run('CREATE TEMP TABLE export_ids(id INTEGER)');
      const w = new ChunkWriter(await c.createAppender('export_ids', 'main', 'temp'), [INTEGER]);
      for (const id of ids) w.row(id);
      w.close();
      const select = `SELECT s.metric, s.labels, p.ts, p.value
        FROM samples p JOIN series s USING (series_id)
        WHERE p.series_id IN (SELECT id FROM export_ids) AND NOT p.stale
          AND p.t_ms BETWEEN ${Math.ceil(from)} AND ${Math.floor(to)}
        ORDER BY s.metric, p.series_id, p.t_ms`;
      const r = await c.runAndReadAll(
        `COPY (${select}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
      );
      const samples = Number(r.getRows()[0]?.[0] ?? 0);
      return { file, series: ids.length, samples };
    }, { mint: from, maxt: to });
  } finally {
    await storage.close();
  }
}
