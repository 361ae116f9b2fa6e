/**
 * `beacon export parquet [--match=<selector>]… [--from=<time>] [--to=<time>]
 * [--storage.tsdb.path=<dir>] <output dir>`: the samples of the matching series (all series
 * without `--match`; several selectors are a union) in [from, to] written to
 * `<output dir>/samples.parquet` (docs/sql.md). Times are RFC 3339 or unix seconds. The data
 * directory must not be in use by a running Beacon.
 * @module
 */
import type { Host } from '../host.ts';
import { type Matcher } from '../model/mod.ts';
import { FlagError } from './flags.ts';

/** What the exporter (the storage engine's, injected) is asked for; times in ms. */
export interface ParquetExportRequest {
  dataDir: string;
  selectors: Matcher[][];
  from: number;
  to: number;
  outDir: string;
}

/** Writes the Parquet file of a {@link ParquetExportRequest}. */
export type ParquetExporter = (
  r: ParquetExportRequest,
) => Promise<{ file: string; series: number; samples: number }>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Milliseconds from RFC 3339 or unix seconds (a float). */
export function parseExportTime(flag: string, s: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return Math.round(Number(s) * 1000);
  if (RFC3339.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return ms;
  }
  throw new FlagError(`invalid --${flag} ${JSON.stringify(s)}: want RFC 3339 or unix seconds`);
}

/** Runs the subcommand; exit code 0 on success, 1 on error. */
export async function exportParquetCommand(
  args: readonly string[],
  host: Host,
  env: {
    exporter?: ParquetExporter;
    parseMatchers: (selector: string) => Matcher[];
    dataDir: string;
  },
): Promise<number> {
  const matches: string[] = [];
  let from = -Number.MAX_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER;
  let dataDir = env.dataDir;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--(match|from|to|storage\.tsdb\.path)(?:=(.*))?$/s.exec(a);
    if (m) {
      let value = m[2];
      if (value === undefined) {
        if (i + 1 >= args.length) throw new FlagError(`expected argument for flag --${m[1]}`);
        value = args[++i];
      }
      if (m[1] === 'match') matches.push(value);
      else if (m[1] === 'from') from = parseExportTime('from', value);
      else if (m[1] === 'to') to = parseExportTime('to', value);
      else dataDir = value;
    } else if (a.startsWith('--') && a !== '--') throw new FlagError(`unknown long flag '${a}'`);
    else if (a !== '--') positional.push(a);
  }
  if (positional.length !== 1) {
    throw new FlagError("required argument 'output-directory' not provided");
  }
  if (from > to) throw new FlagError('--from is after --to');
  if (!env.exporter) {
    host.writeErr('beacon: error: Parquet export needs the duckdb storage engine');
    return 1;
  }
  const selectors: Matcher[][] = [];
  for (const s of matches.length > 0 ? matches : ['{__name__=~".+"}']) {
    try {
      selectors.push(env.parseMatchers(s));
    } catch (e) {
      throw new FlagError(`invalid --match ${JSON.stringify(s)}: ${(e as Error).message}`);
    }
  }
  try {
    const r = await env.exporter({
      dataDir: host.resolvePath(dataDir),
      selectors,
      from,
      to,
      outDir: host.resolvePath(positional[0]),
    });
    host.writeOut(`wrote ${r.samples} samples of ${r.series} series to ${r.file}\n`);
    return 0;
  } catch (e) {
    host.writeErr(`beacon: error: export parquet: ${(e as Error)?.message ?? e}`);
    return 1;
  }
}
