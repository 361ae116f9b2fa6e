/**
 * Prometheus durations (`1h30m`, `1d`, `1w`, `1y`, `500ms`, `0`) as milliseconds.
 * @module
 */

const UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

// Units must appear at most once and in this order, as in Prometheus's model.ParseDuration.
const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A span of time with Prometheus's text form; serialises back to that form. */
export class Duration {
  /** The length in milliseconds. */
  readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }

  /** Seconds as a float. */
  get seconds(): number {
    return this.ms / 1000;
  }

  /** Parses `1h30m` and friends; throws `Error` with Prometheus's wording on bad input. */
  static parse(text: string): Duration {
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new Error(`not a valid duration string: ${JSON.stringify(text)}`);
    return new Duration(ms);
  }

  /** Prometheus's canonical form, e.g. `1h30m`, `0s`. */
  toString(): string {
    return formatDuration(this.ms);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a Prometheus duration to milliseconds, or `undefined` when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNITS[i][1];
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Formats milliseconds the way Prometheus prints a duration (largest units first). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
