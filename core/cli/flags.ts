/**
 * Command-line flags, named as Prometheus names them where the concept is the same.
 * Accepts `--name=value`, `--name value`, `--bool`, `--no-bool`, like Prometheus's kingpin.
 * @module
 */

/** One flag's definition. */
export interface FlagDef {
  name: string;
  help: string;
  kind: 'string' | 'bool';
  default: string;
  placeholder?: string;
}

/** Every server flag, in the order `--help` lists them. */
export const FLAGS: readonly FlagDef[] = [
  {
    name: 'config.file',
    kind: 'string',
    default: 'beacon.yml',
    help: 'Configuration file path. When it does not exist, the embedded default config is used.',
  },
  {
    name: 'web.listen-address',
    kind: 'string',
    default: '0.0.0.0:9090',
    help: 'Address to listen on for UI, API, and telemetry.',
  },
  {
    name: 'web.config.file',
    kind: 'string',
    default: '',
    placeholder: '<path>',
    help:
      '[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication. See: https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md',
  },
  {
    name: 'web.external-url',
    kind: 'string',
    default: '',
    placeholder: '<URL>',
    help:
      'The URL under which Beacon is externally reachable (for example, if Beacon is served via a reverse proxy). Used for generating relative and absolute links back to Beacon itself. If the URL has a path portion, it will be used to prefix all HTTP endpoints served by Beacon. If omitted, relevant URL components will be derived automatically.',
  },
  {
    name: 'web.route-prefix',
    kind: 'string',
    default: '',
    placeholder: '<path>',
    help:
      'Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.',
  },
  {
    name: 'web.read-timeout',
    kind: 'string',
    default: '5m',
    placeholder: '<duration>',
    help:
      'Maximum duration before timing out read of the request body. A request whose body is not read in time gets 408; bodies over 10 MiB (32 MiB for remote write) get 413.',
  },
  {
    name: 'web.enable-lifecycle',
    kind: 'bool',
    default: 'false',
    help: 'Enable shutdown and reload via HTTP request (POST /-/reload, POST /-/quit).',
  },
  {
    name: 'web.enable-admin-api',
    kind: 'bool',
    default: 'false',
    help: 'Enable API endpoints for admin control actions.',
  },
  {
    name: 'web.enable-remote-write-receiver',
    kind: 'bool',
    default: 'false',
    help: 'Enable API endpoint accepting remote write requests.',
  },
  {
    name: 'web.enable-sql',
    kind: 'bool',
    default: 'false',
    help: 'Enable GET|POST /api/v1/sql: read-only SQL over the series and samples views.',
  },
  {
    name: 'web.sql.max-rows',
    kind: 'string',
    default: '10000',
    placeholder: '<int>',
    help: 'Maximum number of rows a /api/v1/sql answer returns; more are cut off with a warning.',
  },
  {
    name: 'web.sql.timeout',
    kind: 'string',
    default: '30s',
    placeholder: '<duration>',
    help: 'Maximum time a /api/v1/sql query may run before it is interrupted.',
  },
  {
    name: 'storage.tsdb.path',
    kind: 'string',
    default: 'data/',
    help: 'Base path for metrics storage.',
  },
  {
    name: 'storage.tsdb.retention.time',
    kind: 'string',
    default: '',
    placeholder: '<duration>',
    help:
      'How long to retain samples in storage. If neither this flag nor storage.tsdb.retention.size is set, the retention time defaults to 15d. Units supported: y, w, d, h, m, s, ms.',
  },
  {
    name: 'storage.tsdb.retention.size',
    kind: 'string',
    default: '',
    placeholder: '<size>',
    help:
      'Maximum number of bytes that can be stored for blocks. Units supported: B, KB, MB, GB, TB, PB, EB. Ex: "512MB".',
  },
  {
    name: 'storage.tsdb.min-block-duration',
    kind: 'string',
    default: '',
    placeholder: '<duration>',
    help:
      "Length of the head windows compacted into blocks (the duckdb engine's block_range; default 2h). For testing: small values compact often.",
  },
  {
    name: 'storage.tsdb.max-series',
    kind: 'string',
    default: '0',
    placeholder: '<number>',
    help:
      'Maximum number of series in the head. Samples that would create a series beyond it are refused (counted in beacon_tsdb_head_series_limit_rejected_samples_total); existing series keep being written. 0 means no limit.',
  },
  {
    name: 'rules.alert.for-outage-tolerance',
    kind: 'string',
    default: '1h',
    placeholder: '<duration>',
    help: 'Max time to tolerate Beacon outage for restoring "for" state of alert.',
  },
  {
    name: 'rules.alert.for-grace-period',
    kind: 'string',
    default: '10m',
    placeholder: '<duration>',
    help:
      'Minimum duration between alert and restored "for" state. This is maintained only for alerts with configured "for" time greater than grace period.',
  },
  {
    name: 'rules.alert.resend-delay',
    kind: 'string',
    default: '1m',
    placeholder: '<duration>',
    help: 'Minimum amount of time to wait before resending an alert to Alertmanager.',
  },
  {
    name: 'alertmanager.notification-queue-capacity',
    kind: 'string',
    default: '10000',
    placeholder: '<number>',
    help: 'The capacity of the queue for pending Alertmanager notifications.',
  },
  {
    name: 'query.lookback-delta',
    kind: 'string',
    default: '5m',
    placeholder: '<duration>',
    help:
      'The maximum lookback duration for retrieving metrics during expression evaluations and federation.',
  },
  {
    name: 'query.timeout',
    kind: 'string',
    default: '2m',
    placeholder: '<duration>',
    help: 'Maximum time a query may take before being aborted.',
  },
  {
    name: 'query.max-concurrency',
    kind: 'string',
    default: '20',
    placeholder: '<number>',
    help: 'Maximum number of queries executed concurrently.',
  },
  {
    name: 'query.max-samples',
    kind: 'string',
    default: '50000000',
    placeholder: '<number>',
    help:
      'Maximum number of samples a single query can load into memory. Queries that would load more fail, so this also limits the number of samples a query can return.',
  },
  {
    name: 'log.level',
    kind: 'string',
    default: 'info',
    placeholder: '<level>',
    help: 'Only log messages with the given severity or above. One of: [debug, info, warn, error]',
  },
  {
    name: 'log.format',
    kind: 'string',
    default: 'logfmt',
    placeholder: '<format>',
    help: 'Output format of log messages. One of: [logfmt, json]',
  },
];

/** Parsed flags: values by name (strings; booleans as 'true'/'false'), positional args. */
export interface ParsedFlags {
  values: Record<string, string>;
  /** Names given explicitly on the command line. */
  given: Set<string>;
  positional: string[];
  help: boolean;
  version: boolean;
}

/** A command-line usage error. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** Parses `argv` against `defs`; unknown flags are errors. */
export function parseFlags(
  argv: readonly string[],
  defs: readonly FlagDef[] = FLAGS,
  opts: { stopAtCommand?: boolean } = {},
): ParsedFlags {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const values: Record<string, string> = {};
  for (const d of defs) values[d.name] = d.default;
  const out: ParsedFlags = {
    values,
    given: new Set(),
    positional: [],
    help: false,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      // A command's own flags come after it: hand them over unparsed.
      if (opts.stopAtCommand) {
        out.positional.push(...argv.slice(i));
        break;
      }
      out.positional.push(arg);
      continue;
    }
    if (arg === '-h' || arg === '--help' || arg === '-help') {
      out.help = true;
      continue;
    }
    if (arg === '--version') {
      out.version = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new FlagError(`unknown short flag '${arg}'`);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    let def = byName.get(name);
    if (!def && name.startsWith('no-') && byName.get(name.slice(3))?.kind === 'bool') {
      if (value !== undefined) throw new FlagError(`flag --${name} takes no value`);
      name = name.slice(3);
      def = byName.get(name);
      value = 'false';
    }
    if (!def) throw new FlagError(`unknown long flag '--${name}'`);
    if (def.kind === 'bool') {
      value ??= 'true';
      if (value !== 'true' && value !== 'false') {
        throw new FlagError(`flag --${name}: expected true or false, got ${JSON.stringify(value)}`);
      }
    } else if (value === undefined) {
      if (i + 1 >= argv.length) throw new FlagError(`expected argument for flag '--${name}'`);
      value = argv[++i];
    }
    values[name] = value;
    out.given.add(name);
  }
  return out;
}

/** The `--help` text for the server and its subcommands. */
export function usage(defs: readonly FlagDef[] = FLAGS): string {
  const lines = [
    'usage: beacon [<flags>] [<command> [<args> ...]]',
    '',
    'Beacon: a Prometheus-compatible monitoring server for Deno, Bun and Node.js.',
    'It scrapes targets, stores samples, answers PromQL over the Prometheus HTTP API,',
    'evaluates rules and sends alerts. Without a command it runs the server.',
    '',
    'Commands:',
    '  check config <file>...   Check configuration files are valid (exit 0 valid, 1 invalid).',
    '  check rules [<flags>] <file>...',
    '                           Check rule files are valid, as promtool check rules: exit 0 valid,',
    '                           1 invalid, 3 lint problems with --lint-fatal. Flags:',
    '                             --lint=duplicate-rules|none   lint checks (default duplicate-rules)',
    '                             --lint-fatal                  make lint problems exit 3',
    '                             --ignore-unknown-fields       ignore unknown fields in rule files',
    '  test rules [--run=<group regex>]... [--ignore-unknown-fields] <test file>...',
    "                           Run rule unit tests in promtool's format (exit 0 pass, 1 fail).",
    '  check metrics            Lint an exposition read from standard input (strict OpenMetrics/',
    '                           text 0.0.4 rules; exit 0 valid, 1 invalid, 3 lint problems only).',
    '  export parquet [--match=<selector>]... [--from=<time>] [--to=<time>] <output dir>',
    '                           Write the samples of matching series (default all) in [from, to]',
    '                           (RFC 3339 or unix seconds) from --storage.tsdb.path to',
    '                           <output dir>/samples.parquet; refuses while a Beacon uses the data.',
    '',
    'Flags:',
    '  -h, --help     Show this help.',
    '      --version  Show the version.',
  ];
  for (const d of defs) {
    const head = d.kind === 'bool'
      ? `      --[no-]${d.name}`
      : `      --${d.name}=${d.placeholder ?? `"${d.default}"`}`;
    lines.push(head);
    lines.push(...wrap(d.help, 72).map((l) => `          ${l}`));
  }
  return lines.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Flags of `check rules`, named as promtool names them. */
export const CHECK_RULES_FLAGS: readonly FlagDef[] = [
  { name: 'lint', kind: 'string', default: 'duplicate-rules', help: 'Linting checks to apply.' },
  { name: 'lint-fatal', kind: 'bool', default: 'false', help: 'Make lint errors exit with 3.' },
  {
    name: 'ignore-unknown-fields',
    kind: 'bool',
    default: 'false',
    help: 'Ignore unknown fields in rule groups.',
  },
];
