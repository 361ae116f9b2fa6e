/**
 * `beacon check config FILE…` and `beacon check metrics`, with promtool's verdicts and exit codes.
 * @module
 */
import { ConfigLoadError, loadConfig } from '../config/mod.ts';
import { checkMetrics } from '../exposition/mod.ts';
import type { Host } from '../host.ts';
import {
  checkRules,
  checkRuleText,
  type ExprParser,
  formatCheckRules,
  summarizeCheck,
} from '../rules/mod.ts';
import { CHECK_RULES_FLAGS, parseFlags } from './flags.ts';

/** Checks each config file; exit 0 when all are valid, 1 otherwise. */
export async function checkConfigCommand(files: readonly string[], host: Host): Promise<number> {
  if (files.length === 0) {
    host.writeErr('beacon: error: check config needs at least one file, try --help');
    return 1;
  }
  let failed = false;
  for (const file of files) {
    host.writeOut(`Checking ${file}\n`);
    try {
      const config = await loadConfig(file, host, { env: host.env });
      const jobs = config.scrape_configs.length;
      host.writeOut(
        ` SUCCESS: ${file} is valid prometheus config file syntax (${jobs} scrape ${
          jobs === 1 ? 'config' : 'configs'
        })\n\n`,
      );
    } catch (e) {
      failed = true;
      if (e instanceof ConfigLoadError) {
        host.writeOut(`  FAILED: ${e.errors.length} error(s)\n`);
        for (const err of e.errors) host.writeOut(`    ${err}\n`);
      } else host.writeOut(`  FAILED: ${(e as Error).message}\n`);
      host.writeOut('\n');
    }
  }
  return failed ? 1 : 0;
}

/**
 * Reads an exposition from standard input and checks it in strict mode. Exit 1 on errors,
 * 3 when only lint problems were found (as promtool), 0 when clean.
 */
export async function checkMetricsCommand(host: Host): Promise<number> {
  const input = await host.readStdin();
  const { format, errors, warnings } = checkMetrics(input);
  for (const p of errors) {
    host.writeErr(`error parsing ${format} exposition: line ${p.line}: ${p.message}`);
  }
  for (const p of warnings) host.writeErr(`line ${p.line}: ${p.message}`);
  if (errors.length) return 1;
  return warnings.length ? 3 : 0;
}

/**
 * `check rules [--lint=…] [--lint-fatal] [--ignore-unknown-fields] FILE…`: promtool's verdicts
 * and exit codes; with no file, the rules are read from standard input.
 */
export async function checkRulesCommand(
  args: readonly string[],
  host: Host,
  parseExpr: ExprParser,
): Promise<number> {
  const flags = parseFlags(args, CHECK_RULES_FLAGS);
  const opts = {
    parseExpr,
    lint: flags.values['lint'],
    lintFatal: flags.values['lint-fatal'] === 'true',
    ignoreUnknownFields: flags.values['ignore-unknown-fields'] === 'true',
  };
  const result = flags.positional.length
    ? await checkRules(flags.positional, host, opts)
    : summarizeCheck([
      checkRuleText(new TextDecoder().decode(await host.readStdin()), 'standard input', opts),
    ], opts);
  for (const line of formatCheckRules(result)) {
    if (line.stream === 'stdout') host.writeOut(line.text + '\n');
    else host.writeErr(line.text);
  }
  return result.exitCode;
}
