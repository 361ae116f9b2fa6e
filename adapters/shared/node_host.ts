/**
 * The parts of the host that Deno, Bun and Node.js share through their `node:` modules.
 * Each runtime's adapter adds serving and signals.
 * @module
 */
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type { Host } from '../../core/host.ts';
import { expandGlob } from './glob.ts';
import { statFs, writeTextFileAtomic } from './files.ts';

/** Host members implemented with `node:` APIs. */
export type NodeHostPart = Pick<
  Host,
  | 'readTextFile'
  | 'writeTextFileAtomic'
  | 'statfs'
  | 'expandGlob'
  | 'watch'
  | 'resolvePath'
  | 'env'
  | 'hostname'
  | 'cwd'
  | 'writeErr'
  | 'writeOut'
  | 'readStdin'
  | 'exit'
>;

/** Builds the shared host members. */
export function nodeHostPart(): NodeHostPart {
  return {
    readTextFile: (p) => readFile(p, 'utf8'),
    writeTextFileAtomic,
    statfs: statFs,
    expandGlob,
    watch: watchPaths,
    resolvePath: (p) => path.resolve(p),
    env: (name) => process.env[name],
    hostname: () => os.hostname(),
    cwd: () => process.cwd(),
    writeErr: (line) => void process.stderr.write(line + '\n'),
    writeOut: (text) => void process.stdout.write(text),
    async readStdin() {
      const chunks: Uint8Array[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let off = 0;
      for (const c of chunks) {
        out.set(c, off);
        off += c.length;
      }
      return out;
    },
    exit: (code) => process.exit(code),
  };
}

/** Watches files and directories with `fs.watch`, debouncing bursts of events into one call. */
function watchPaths(paths: readonly string[], onChange: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 50);
  };
  const watchers: FSWatcher[] = [];
  for (const p of paths) {
    try {
      const w = watch(p, fire);
      w.on('error', () => {/* the path went away: the caller's poll notices */});
      watchers.push(w);
    } catch {
      // Not watchable (missing, or no inotify): skipped, see Host.watch.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
