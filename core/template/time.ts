/**
 * Go's `time.Time` (UTC, millisecond precision, as Prometheus's templates produce it) and
 * `time.Duration`, with the methods templates call on them (`.Format`, `.Unix`, `.Seconds`…).
 * @module
 */
import { GO_TYPE } from './values.ts';
import { formatFloat } from './format.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Go's layout elements, longest first where one is a prefix of another.
const LAYOUT_RE =
  /January|Jan|Monday|Mon|MST|2006|__2|_2|002|0[1-6]|15|1|2|3|4|5|06|PM|pm|Z07:00:00|Z070000|Z07:00|Z0700|Z07|-07:00:00|-070000|-07:00|-0700|-07|[.,](?:0+|9+)(?![0-9])/g;

const p2 = (n: number) => String(n).padStart(2, '0');

/** A point in time, always in UTC, with millisecond precision. */
export class GoTime {
  /** Milliseconds since the Unix epoch. */
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  get [GO_TYPE](): string {
    return '*time.Time';
  }
  /** Go's `Time.String()`: `2015-06-23 13:19:44.128 +0000 UTC`. */
  String(): string {
    return this.Format('2006-01-02 15:04:05.999999999 -0700 MST');
  }
  /** Seconds since the epoch (`int64`). */
  Unix(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }
  /** Milliseconds since the epoch (`int64`). */
  UnixMilli(): bigint {
    return BigInt(this.ms);
  }
  /** Nanoseconds since the epoch (`int64`). */
  UnixNano(): bigint {
    return BigInt(this.ms) * 1_000_000n;
  }
  /** The same time (it is already UTC). */
  UTC(): GoTime {
    return this;
  }
  /** The year. */
  Year(): bigint {
    return BigInt(new Date(this.ms).getUTCFullYear());
  }
  /** Formats with a Go reference layout (`2006-01-02T15:04:05Z07:00`). */
  Format(layout: string): string {
    const d = new Date(this.ms);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth();
    const day = d.getUTCDate();
    const hour = d.getUTCHours();
    const fracMs = ((this.ms % 1000) + 1000) % 1000;
    const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
    return layout.replace(LAYOUT_RE, (tok) => {
      switch (tok) {
        case 'January':
          return MONTHS[month];
        case 'Jan':
          return MONTHS[month].slice(0, 3);
        case 'Monday':
          return DAYS[d.getUTCDay()];
        case 'Mon':
          return DAYS[d.getUTCDay()].slice(0, 3);
        case 'MST':
          return 'UTC';
        case '2006':
          return String(year).padStart(4, '0');
        case '06':
          return p2(year % 100);
        case '01':
          return p2(month + 1);
        case '1':
          return String(month + 1);
        case '02':
          return p2(day);
        case '2':
          return String(day);
        case '_2':
          return String(day).padStart(2, ' ');
        case '__2':
          return String(yday).padStart(3, ' ');
        case '002':
          return String(yday).padStart(3, '0');
        case '15':
          return p2(hour);
        case '03':
          return p2(hour % 12 === 0 ? 12 : hour % 12);
        case '3':
          return String(hour % 12 === 0 ? 12 : hour % 12);
        case '04':
          return p2(d.getUTCMinutes());
        case '4':
          return String(d.getUTCMinutes());
        case '05':
          return p2(d.getUTCSeconds());
        case '5':
          return String(d.getUTCSeconds());
        case 'PM':
          return hour >= 12 ? 'PM' : 'AM';
        case 'pm':
          return hour >= 12 ? 'pm' : 'am';
      }
      if (tok[0] === 'Z') return 'Z';
      if (tok[0] === '-') {
        return tok.replace('-', '+').replace(/7/g, '0');
      }
      // Fractional seconds: .000 keeps zeros, .999 trims them.
      const digits = String(fracMs).padStart(3, '0') + '000000';
      const n = tok.length - 1;
      let frac = digits.slice(0, n);
      if (tok[1] === '9') {
        frac = frac.replace(/0+$/, '');
        return frac ? tok[0] + frac : '';
      }
      return tok[0] + frac;
    });
  }
}

function fracString(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const int = v / scale;
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** Go's `Duration.String()` of nanoseconds: `1h2m0.01s`, `1.5µs`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let s: string;
  if (u < 1_000_000_000n) {
    if (u < 1000n) s = `${u}ns`;
    else if (u < 1_000_000n) s = `${fracString(u, 3)}µs`;
    else s = `${fracString(u, 6)}ms`;
  } else {
    const secs = u / 1_000_000_000n;
    s = `${fracString((secs % 60n) * 1_000_000_000n + (u % 1_000_000_000n), 9)}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      s = `${mins % 60n}m${s}`;
      const hours = mins / 60n;
      if (hours > 0n) s = `${hours}h${s}`;
    }
  }
  return neg ? '-' + s : s;
}

/** A span of time in nanoseconds, as Go's `time.Duration`. */
export class GoDuration {
  /** Nanoseconds. */
  readonly ns: bigint;
  constructor(ns: bigint) {
    this.ns = ns;
  }
  get [GO_TYPE](): string {
    return '*time.Duration';
  }
  /** Go's `Duration.String()`. */
  String(): string {
    return formatGoDuration(this.ns);
  }
  /** The duration in seconds (float64). */
  Seconds(): number {
    return Number(this.ns) / 1e9;
  }
  /** The duration in minutes (float64). */
  Minutes(): number {
    return Number(this.ns) / 6e10;
  }
  /** The duration in hours (float64). */
  Hours(): number {
    return Number(this.ns) / 3.6e12;
  }
  /** The duration in milliseconds (int64). */
  Milliseconds(): bigint {
    return this.ns / 1_000_000n;
  }
  /** The duration in nanoseconds (int64). */
  Nanoseconds(): bigint {
    return this.ns;
  }
}

/** Formats a float the way `fmt.Sprintf("%.4g")` does; shared by humanize helpers. */
export function g4(v: number): string {
  return formatFloat(v, 'g', 4);
}
