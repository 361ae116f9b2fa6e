/**
 * Opening the DuckDB block file, and setting it aside when DuckDB finds it damaged (a failed
 * block checksum, a broken header), so that Beacon still starts: the head comes back from the
 * write-ahead log, the damaged file stays next to the new one for inspection or salvage, and
 * the event is logged at error level and counted.
 * @module
 */
import * as fs from 'node:fs';
import type { Logger } from '../../../core/log/logger.ts';
import { Counter, type Registry } from '../../../core/metrics/mod.ts';
import { BlockStore } from './blocks.ts';

/** DuckDB's messages for a file it cannot trust. */
const DAMAGED = /corrupt|checksum|not a valid DuckDB database file/i;

/** Whether `err` says the database file itself is damaged (rather than, say, unreadable). */
export function isDamagedDatabase(err: unknown): boolean {
  return DAMAGED.test((err as Error)?.message ?? String(err));
}

/**
 * Opens `file`; when DuckDB reports it damaged, renames it (and its `.wal`) to
 * `<file>.corrupt-<epoch ms>` and opens a fresh one.
 */
export async function openBlockStore(
  file: string,
  opts: { logger?: Logger; registry?: Registry; now?: () => number; memoryLimit?: string } = {},
): Promise<{ blocks: BlockStore; setAside?: string }> {
  try {
    return { blocks: await BlockStore.open(file, opts.memoryLimit) };
  } catch (err) {
    if (!isDamagedDatabase(err) || !fs.existsSync(file)) throw err;
    const aside = `${file}.corrupt-${(opts.now ?? Date.now)()}`;
    fs.renameSync(file, aside);
    if (fs.existsSync(`${file}.wal`)) fs.renameSync(`${file}.wal`, `${aside}.wal`);
    corruptionCounter(opts.registry).inc();
    opts.logger?.error(
      'DuckDB block file is damaged; set aside, starting with no blocks (the WAL still replays)',
      { file, set_aside_as: aside, err: (err as Error).message },
    );
    return { blocks: await BlockStore.open(file, opts.memoryLimit), setAside: aside };
  }
}

function corruptionCounter(registry: Registry | undefined): Counter {
  const name = 'beacon_tsdb_block_file_corruptions_total';
  return (registry?.get(name) as Counter | undefined) ?? new Counter({
    name,
    help: 'Times the DuckDB block file was found damaged at start and set aside.',
    registers: registry ? [registry] : [],
  });
}
