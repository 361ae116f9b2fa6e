/**
 * The `beacon` command: runs the server, or a `check` subcommand, on a given host.
 * @module
 */
import type { Host } from '../host.ts';
import type { ModuleImporter, PluginDefinition } from '../plugin.ts';
import type { DiscoveryMechanism } from '../discovery/mod.ts';
import type { Matcher } from '../model/mod.ts';
import type { RuntimeServiceFactory } from '../runtime/mod.ts';
import type { ExprParser, UnitTestDeps } from '../rules/mod.ts';
import { BUILD_INFO } from '../version.ts';
import { FlagError, FLAGS, parseFlags, usage } from './flags.ts';
import { checkConfigCommand, checkMetricsCommand, checkRulesCommand } from './check.ts';
import { runServer } from './serve.ts';
import { testRulesCommand } from './test_rules.ts';
import { exportParquetCommand, type ParquetExporter } from './export.ts';

/** What the entry point hands the CLI. */
export interface CliEnv {
  host: Host;
  builtins: readonly PluginDefinition[];
  importer: ModuleImporter;
  /** The PromQL parser (it lives in the engine plugin; core code receives it). */
  parseExpr: ExprParser;
  /** Parses a series selector into matchers (`match[]` parameters). */
  parseMatchers: (selector: string) => Matcher[];
  /** Built-in discovery mechanisms. */
  discovery: readonly DiscoveryMechanism[];
  /** Built-in services (registration discovery). */
  services?: readonly RuntimeServiceFactory[];
  /** What `test rules` evaluates with (a fresh memory storage and the PromQL engine). */
  unitTestDeps: UnitTestDeps;
  /** `export parquet` (the duckdb engine's exporter); absent, the command says so. */
  exportParquet?: ParquetExporter;
}

/** Runs the CLI with `argv` (without the program name); resolves to the exit code. */
export async function main(argv: readonly string[], env: CliEnv): Promise<number> {
  const { host } = env;
  let flags;
  try {
    flags = parseFlags(argv, FLAGS, { stopAtCommand: true });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    host.writeErr(`beacon: error: ${e.message}, try --help`);
    return 1;
  }
  if (flags.help) {
    host.writeOut(usage());
    return 0;
  }
  if (flags.version) {
    host.writeOut(versionText(host));
    return 0;
  }
  const [command, sub, ...rest] = flags.positional;
  if (command === undefined) return await runServer(flags, env);
  try {
    if (command === 'check' && sub === 'config') return await checkConfigCommand(rest, host);
    if (command === 'check' && sub === 'metrics') return await checkMetricsCommand(host);
    if (command === 'test' && sub === 'rules') {
      return await testRulesCommand(rest, host, env.unitTestDeps);
    }
    if (command === 'export' && sub === 'parquet') {
      return await exportParquetCommand(rest, host, {
        exporter: env.exportParquet,
        parseMatchers: env.parseMatchers,
        dataDir: flags.values['storage.tsdb.path'] || 'data/',
      });
    }
    if (command === 'check' && sub === 'rules') {
      return await checkRulesCommand(rest, host, env.parseExpr);
    }
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    host.writeErr(`beacon: error: ${e.message}, try --help`);
    return 1;
  }
  host.writeErr(
    `beacon: error: unknown command ${JSON.stringify(flags.positional.join(' '))}, try --help`,
  );
  return 1;
}

/** The `--version` text, in Prometheus's layout. */
export function versionText(host: Host): string {
  const b = BUILD_INFO;
  return [
    `beacon, version ${b.version} (branch: ${b.branch}, revision: ${b.revision})`,
    `  build user:       ${b.buildUser}`,
    `  build date:       ${b.buildDate}`,
    `  runtime:          ${host.runtime.name} ${host.runtime.version}`,
    '',
  ].join('\n');
}
