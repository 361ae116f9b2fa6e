/**
 * File writes and filesystem statistics through `node:` modules (Deno, Bun and Node.js).
 * @module
 */
import { mkdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { FsStats } from '../../core/host.ts';

let seq = 0;

/** Writes a temp file beside `file`, then renames it over `file` (atomic on POSIX). */
export async function writeTextFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++seq}`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

/** `statfs(2)` of the filesystem holding `p`. */
export async function statFs(p: string): Promise<FsStats> {
  const s = await statfs(p);
  return {
    blockSize: Number(s.bsize),
    blocks: Number(s.blocks),
    blocksFree: Number(s.bfree),
    blocksAvailable: Number(s.bavail),
    files: Number(s.files),
    filesFree: Number(s.ffree),
  };
}
