/**
 * The data directory's lock: a `lock` file holding the owner's PID, created exclusively.
 * A lock left by a process that no longer runs is taken over (with a log line); a lock held
 * by a live process fails the start with a clear error.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';
import type { Logger } from '../../../core/log/logger.ts';
import { StorageError } from '../../../core/storage/mod.ts';

/** Raised when another live process holds the data directory. */
export class DirectoryLockedError extends StorageError {
  override name = 'DirectoryLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** A held lock; `release()` removes the file if it is still ours. */
export interface DirLock {
  readonly file: string;
  release(): void;
}

/** Locks `dir` for this process. */
export function lockDirectory(dir: string, logger?: Logger): DirLock {
  const file = path.join(dir, 'lock');
  const me = String(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, me + '\n', { flag: 'wx' });
      return {
        file,
        release() {
          try {
            if (fs.readFileSync(file, 'utf8').trim() === me) fs.rmSync(file);
          } catch { /* already gone */ }
        },
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue; // removed meanwhile: try again
    }
    const pid = Number(text);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new DirectoryLockedError(
        `data directory ${dir} is locked by another running process (PID ${pid}, lock file ${file}); ` +
          'is another Beacon using it? Stop it or choose another --storage.tsdb.path',
      );
    }
    if (pid === process.pid) {
      throw new DirectoryLockedError(
        `data directory ${dir} is already open in this process (lock file ${file})`,
      );
    }
    logger?.info('taking over a stale data directory lock', {
      file,
      stale_pid: text || '(empty)',
    });
    fs.rmSync(file, { force: true });
  }
  throw new DirectoryLockedError(`cannot lock data directory ${dir} (lock file ${file})`);
}
