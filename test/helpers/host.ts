/**
 * Test helpers: the real host of the runtime running the tests, a temporary directory, and a
 * logger that records lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostForRuntime } from '../../adapters/entry.ts';
import { createLogger, type Logger } from '../../core/log/logger.ts';

/** The host and importer for the current runtime. */
export const { host, nativeNpm } = await hostForRuntime();

/** A fresh temporary directory with a `write(name, text)` helper and cleanup. */
export function tempDir(): {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'beacon-test-'));
  return {
    dir,
    write(name, text) {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A logger that keeps its lines for assertions. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }), lines };
}

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
