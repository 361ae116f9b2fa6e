/**
 * The file_sd discoverer: expands the globs, reads every file, and reports the groups; then
 * re-reads on `refresh_interval` and whenever the host reports a change in a watched
 * directory. A file that cannot be read or parsed keeps its last good groups and counts an
 * error; a file that disappears (or lists fewer groups) has its old sources emptied.
 * @module
 */
import { dirname, type FileSDConfig } from '../../../core/config/mod.ts';
import type { Discoverer, DiscovererContext, TargetGroup } from '../../../core/discovery/mod.ts';
import { Counter } from '../../../core/metrics/mod.ts';
import { fileSource, parseTargetFile } from './read.ts';

const READ_ERRORS = 'prometheus_sd_file_read_errors_total';

function readErrorsCounter(ctx: DiscovererContext): Counter | undefined {
  const r = ctx.registry;
  if (!r) return undefined;
  const existing = r.get(READ_ERRORS);
  if (existing) return existing as Counter;
  return new Counter({
    name: READ_ERRORS,
    help: 'The number of File-SD read errors.',
    registers: [r],
  });
}

/** Discovers targets from the files of one `file_sd_configs` entry. */
export class FileDiscoverer implements Discoverer {
  readonly #cfg: FileSDConfig;
  readonly #ctx: DiscovererContext;
  readonly #errors: Counter | undefined;
  /** Groups last reported per file, so a broken file keeps them and a removed one clears them. */
  #counts = new Map<string, number>();

  constructor(cfg: FileSDConfig, ctx: DiscovererContext) {
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#errors = readErrorsCounter(ctx);
  }

  async run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): Promise<void> {
    const host = this.#ctx.host;
    if (!host) {
      this.#ctx.logger.error('file_sd_configs needs file access, which this host lacks');
      return;
    }
    let busy = false, again = false;
    const refresh = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const groups = await this.refresh();
          if (signal.aborted) return;
          if (groups.length > 0) onUpdate(groups);
        } while (again && !signal.aborted);
      } catch (e) {
        this.#ctx.logger.error('Error refreshing file SD', { err: (e as Error).message });
      } finally {
        busy = false;
      }
    };
    await refresh();
    if (signal.aborted) return;
    const files = this.#cfg.files ?? [];
    const dirs = [...new Set(files.map((f) => dirname(f)))];
    const unwatch = host.watch(dirs, () => void refresh());
    const ms = this.#cfg.refresh_interval.ms;
    const timer = ms > 0 ? setInterval(() => void refresh(), ms) : undefined;
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (timer !== undefined) clearInterval(timer);
    unwatch();
  }

  /** Reads every file once; returns the groups to report (including emptied sources). */
  async refresh(): Promise<TargetGroup[]> {
    const host = this.#ctx.host!;
    const paths = new Set<string>();
    for (const pattern of this.#cfg.files ?? []) {
      for (const p of await host.expandGlob(pattern)) paths.add(p);
    }
    const out: TargetGroup[] = [];
    const counts = new Map<string, number>();
    for (const path of [...paths].sort()) {
      try {
        const groups = parseTargetFile(path, await host.readTextFile(path));
        out.push(...groups);
        counts.set(path, groups.length);
      } catch (e) {
        this.#errors?.inc();
        this.#ctx.logger.error('Error reading file', { path, err: (e as Error).message });
        // Keep the last good groups of this file: report nothing for it.
        const n = this.#counts.get(path);
        if (n !== undefined) counts.set(path, n);
      }
    }
    for (const [path, n] of this.#counts) {
      for (let i = counts.get(path) ?? 0; i < n; i++) {
        out.push({ targets: [], labels: {}, source: fileSource(path, i) });
      }
    }
    this.#counts = counts;
    return out;
  }
}
