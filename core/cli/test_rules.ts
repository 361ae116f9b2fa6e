/**
 * `beacon test rules [--run=REGEX]… [--ignore-unknown-fields] FILE…`: promtool's rule unit
 * tests, with its output and exit codes.
 * @module
 */
import type { Host } from '../host.ts';
import { formatUnitTestResults, runRuleUnitTests, type UnitTestDeps } from '../rules/mod.ts';
import { FlagError } from './flags.ts';

/** Runs the unit-test files; exit 0 when every test passes, 1 otherwise. */
export async function testRulesCommand(
  args: readonly string[],
  host: Host,
  deps: UnitTestDeps,
): Promise<number> {
  const run: string[] = [];
  const files: string[] = [];
  let ignoreUnknownFields = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--run') {
      if (i + 1 >= args.length) throw new FlagError('expected argument for flag --run');
      run.push(args[++i]);
    } else if (a.startsWith('--run=')) run.push(a.slice('--run='.length));
    else if (a === '--ignore-unknown-fields') ignoreUnknownFields = true;
    else if (a === '--no-ignore-unknown-fields') ignoreUnknownFields = false;
    else if (a.startsWith('--ignore-unknown-fields=')) {
      ignoreUnknownFields = a.endsWith('=true');
    } else if (a.startsWith('--') && a !== '--') throw new FlagError(`unknown long flag '${a}'`);
    else if (a !== '--') files.push(a);
  }
  if (files.length === 0) {
    throw new FlagError("required argument 'test-rule-file' not provided");
  }
  const results = await runRuleUnitTests(files, host, deps, {
    run: run.length > 0 ? run : undefined,
    ignoreUnknownFields,
  });
  const { lines, exitCode } = formatUnitTestResults(results);
  for (const line of lines) {
    if (line.stream === 'stdout') host.writeOut(line.text + '\n');
    else host.writeErr(line.text);
  }
  return exitCode;
}
