/**
 * Structured logging in Prometheus's style: logfmt (`time=… level=INFO source=… msg="…" k=v`)
 * or JSON lines, written through an injected sink so core never touches a console or file.
 * @module
 */

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Output formats. */
export type LogFormat = 'logfmt' | 'json';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A logger bound to a component; `with` derives a child with extra fields. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Receives one formatted line without a trailing newline. */
  write: (line: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Whether `s` names a log level. */
export function isLogLevel(s: string): s is LogLevel {
  return s in RANK;
}

/** Creates a logger writing lines at or above `level` to `write`. */
export function createLogger(opts: LoggerOptions): Logger {
  const min = RANK[opts.level ?? 'info'];
  const format = opts.format ?? 'logfmt';
  const now = opts.now ?? (() => new Date());
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (RANK[level] < min) return;
      const record: LogFields = {
        time: now().toISOString(),
        level: level.toUpperCase(),
        ...base,
        msg,
        ...fields,
      };
      opts.write(format === 'json' ? JSON.stringify(record, jsonReplacer) : toLogfmt(record));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      with: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

/** A logger that drops everything. */
export const nopLogger: Logger = createLogger({ level: 'error', write: () => {} }).with({});

function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}

function toLogfmt(record: LogFields): string {
  const parts: string[] = [];
  for (const [k, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    const s = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : String(raw);
    parts.push(`${k}=${/^[^\s"=\\]+$/.test(s) ? s : JSON.stringify(s)}`);
  }
  return parts.join(' ');
}
