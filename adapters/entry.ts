/**
 * Starts the CLI on whichever runtime is running this module: the one place that asks.
 * @module
 */
import process from 'node:process';
import { main } from '../core/cli/mod.ts';
import type { Host } from '../core/host.ts';
import {
  BUILTIN_DISCOVERY,
  BUILTIN_PLUGINS,
  BUILTIN_SERVICES,
  exportParquet,
  parsePromQL,
  parseSeriesSelector,
  ruleUnitTestDeps,
} from '../plugins/mod.ts';
import { createImporter } from './shared/importer.ts';

/** The host adapter and module importer for the runtime executing this code. */
export async function hostForRuntime(): Promise<{ host: Host; nativeNpm: boolean }> {
  if ('Deno' in globalThis) {
    const { createDenoHost } = await import('./deno/mod.ts');
    return { host: createDenoHost(), nativeNpm: true };
  }
  if ('Bun' in globalThis) {
    const { createBunHost } = await import('./bun/mod.ts');
    return { host: createBunHost(), nativeNpm: false };
  }
  // Deno and Bun also set process.versions.node, hence this comes last.
  if (process.versions?.node) {
    const { createNodeHost } = await import('./node/mod.ts');
    return { host: createNodeHost(), nativeNpm: false };
  }
  throw new Error('unsupported runtime: run Beacon with Deno, Bun or Node.js');
}

/** Runs `beacon` with the process arguments and exits with its code. */
export async function runCli(): Promise<void> {
  const { host, nativeNpm } = await hostForRuntime();
  const code = await main(process.argv.slice(2), {
    host,
    builtins: BUILTIN_PLUGINS,
    importer: createImporter(nativeNpm),
    parseExpr: parsePromQL,
    parseMatchers: parseSeriesSelector,
    discovery: BUILTIN_DISCOVERY,
    services: BUILTIN_SERVICES,
    unitTestDeps: ruleUnitTestDeps(),
    exportParquet,
  });
  host.exit(code);
}
