/**
 * Process metrics (CPU, memory, file descriptors, start time) from an injected provider, so
 * that this module stays free of runtime APIs; `adapters/shared/process_info.ts` implements
 * the provider for Deno, Bun and Node.js.
 *
 * Names follow client_golang's process collector (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `process_virtual_memory_bytes`, `process_open_fds`,
 * `process_max_fds`, `process_start_time_seconds`) plus prom-client's split CPU counters and
 * its JavaScript heap gauges (`nodejs_heap_size_used_bytes`, `nodejs_heap_size_total_bytes`,
 * `nodejs_external_memory_bytes`), kept under the `nodejs_` prefix on every runtime so that
 * existing Node.js dashboards work unchanged. A value the provider cannot read is left out.
 *
 * @example
 * ```ts
 * registry.register(new ProcessCollector(createProcessInfo()));
 * ```
 * @module
 */
import type { FamilyType, MetricFamily } from '../exposition/mod.ts';
import type { Collector } from './collector.ts';

/** One reading of the process's resources; any field may be missing on a runtime. */
export interface ProcessSnapshot {
  cpuUserSeconds?: number;
  cpuSystemSeconds?: number;
  residentMemoryBytes?: number;
  virtualMemoryBytes?: number;
  heapUsedBytes?: number;
  heapTotalBytes?: number;
  externalMemoryBytes?: number;
  openFds?: number;
  maxFds?: number;
}

/** Where process metrics come from; implemented per runtime. */
export interface ProcessInfo {
  /** Process start time, seconds since the epoch. */
  readonly startTimeSeconds: number;
  /** Reads the current values; called once per collection. */
  read(): ProcessSnapshot;
}

/** Options of a `ProcessCollector`. */
export interface ProcessCollectorOptions {
  /** Prefix for every name (default none). */
  prefix?: string;
}

type Spec = [
  name: string,
  type: FamilyType,
  help: string,
  get: (s: ProcessSnapshot) => number | undefined,
];

const SPECS: readonly Spec[] = [
  [
    'process_cpu_user_seconds_total',
    'counter',
    'Total user CPU time spent in seconds.',
    (s) => s.cpuUserSeconds,
  ],
  [
    'process_cpu_system_seconds_total',
    'counter',
    'Total system CPU time spent in seconds.',
    (s) => s.cpuSystemSeconds,
  ],
  [
    'process_cpu_seconds_total',
    'counter',
    'Total user and system CPU time spent in seconds.',
    (s) =>
      s.cpuUserSeconds === undefined || s.cpuSystemSeconds === undefined
        ? undefined
        : s.cpuUserSeconds + s.cpuSystemSeconds,
  ],
  [
    'process_resident_memory_bytes',
    'gauge',
    'Resident memory size in bytes.',
    (s) => s.residentMemoryBytes,
  ],
  [
    'process_virtual_memory_bytes',
    'gauge',
    'Virtual memory size in bytes.',
    (s) => s.virtualMemoryBytes,
  ],
  ['process_open_fds', 'gauge', 'Number of open file descriptors.', (s) => s.openFds],
  ['process_max_fds', 'gauge', 'Maximum number of open file descriptors.', (s) => s.maxFds],
  [
    'nodejs_heap_size_total_bytes',
    'gauge',
    'JavaScript heap size in bytes.',
    (s) => s.heapTotalBytes,
  ],
  [
    'nodejs_heap_size_used_bytes',
    'gauge',
    'JavaScript heap in use in bytes.',
    (s) => s.heapUsedBytes,
  ],
  [
    'nodejs_external_memory_bytes',
    'gauge',
    'Memory held outside the JavaScript heap (buffers) in bytes.',
    (s) => s.externalMemoryBytes,
  ],
];

/** Collects process metrics from a `ProcessInfo` provider. */
export class ProcessCollector implements Collector {
  readonly #info: ProcessInfo;
  readonly #prefix: string;
  /** Every family name this collector may expose. */
  readonly names: readonly string[];

  /** Creates the collector; register it with `registry.register()`. */
  constructor(info: ProcessInfo, opts: ProcessCollectorOptions = {}) {
    this.#info = info;
    this.#prefix = opts.prefix ?? '';
    this.names = [...SPECS.map((s) => s[0]), 'process_start_time_seconds'].map((n) =>
      this.#prefix + n
    );
  }

  /** Reads the provider once and returns the families it could fill. */
  collect(): MetricFamily[] {
    let snap: ProcessSnapshot;
    try {
      snap = this.#info.read();
    } catch {
      snap = {};
    }
    const out: MetricFamily[] = [];
    for (const [name, type, help, get] of SPECS) {
      const v = get(snap);
      if (v === undefined || Number.isNaN(v)) continue;
      out.push({ name: this.#prefix + name, help, type, metrics: [{ value: v }] });
    }
    out.push({
      name: this.#prefix + 'process_start_time_seconds',
      help: 'Start time of the process since unix epoch in seconds.',
      type: 'gauge',
      metrics: [{ value: this.#info.startTimeSeconds }],
    });
    return out;
  }
}
