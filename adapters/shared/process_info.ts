/**
 * The `ProcessInfo` provider for Deno, Bun and Node.js, built on `node:process` and, on
 * Linux, `/proc/self`. Every source is read inside its own `try`, because runtimes implement
 * different subsets (older Deno releases throw "Not implemented" from `process.cpuUsage()`).
 *
 * @example
 * ```ts
 * registry.register(new ProcessCollector(createProcessInfo()));
 * ```
 * @module
 */
import process from 'node:process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessInfo, ProcessSnapshot } from '../../core/metrics/mod.ts';

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream build.
const USER_HZ = 100;

/** Creates the provider; the start time is fixed at creation from `process.uptime()`. */
export function createProcessInfo(): ProcessInfo {
  let start: number;
  try {
    start = Date.now() / 1000 - process.uptime();
  } catch {
    start = performance.timeOrigin / 1000;
  }
  return { startTimeSeconds: start, read };
}

function read(): ProcessSnapshot {
  const s: ProcessSnapshot = {};
  const stat = procStat();
  try {
    const cpu = process.cpuUsage();
    s.cpuUserSeconds = cpu.user / 1e6;
    s.cpuSystemSeconds = cpu.system / 1e6;
  } catch {
    if (stat !== undefined) {
      s.cpuUserSeconds = Number(stat[11]) / USER_HZ;
      s.cpuSystemSeconds = Number(stat[12]) / USER_HZ;
    }
  }
  try {
    const mem = process.memoryUsage();
    s.residentMemoryBytes = mem.rss;
    s.heapUsedBytes = mem.heapUsed;
    s.heapTotalBytes = mem.heapTotal;
    s.externalMemoryBytes = mem.external;
  } catch {
    if (stat !== undefined) s.residentMemoryBytes = Number(stat[21]) * 4096;
  }
  if (stat !== undefined) s.virtualMemoryBytes = Number(stat[20]);
  try {
    // The directory handle readdir opens is itself listed; leave it out.
    s.openFds = readdirSync('/proc/self/fd').length - 1;
  } catch { /* not Linux, or no procfs */ }
  try {
    const m = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+)/m);
    if (m) s.maxFds = Number(m[1]);
  } catch { /* not Linux, or no procfs */ }
  return s;
}

// Fields of /proc/self/stat after the parenthesised command name, which may contain spaces;
// index 0 is field 3 (state), so field N is at index N - 3.
function procStat(): string[] | undefined {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
