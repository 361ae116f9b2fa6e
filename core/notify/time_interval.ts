/**
 * Alertmanager's time intervals (`time_intervals:` with `times`, `weekdays`, `days_of_month`,
 * `months`, `years`, `location`), used by routes to mute notifications (`mute_time_intervals`)
 * or to send only inside them (`active_time_intervals`). A period contains an instant when
 * every field it sets contains it; an interval contains it when one of its periods does.
 * @module
 */
import type { TimeIntervalConfig, TimePeriodConfig } from './config.ts';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Range = [number, number];

function parseRanges(
  items: readonly string[],
  what: string,
  value: (s: string) => number | undefined,
): Range[] {
  return items.map((item) => {
    const parts = item.toLowerCase().split(':');
    if (parts.length > 2) throw new Error(`invalid ${what} range ${JSON.stringify(item)}`);
    const lo = value(parts[0].trim()), hi = value((parts[1] ?? parts[0]).trim());
    if (lo === undefined || hi === undefined) {
      throw new Error(`invalid ${what} ${JSON.stringify(item)}`);
    }
    // Negative days of month count from the end; order is checked once resolved.
    if (what !== 'day of month' && lo > hi) {
      throw new Error(`start ${what} cannot be after end ${what} in ${JSON.stringify(item)}`);
    }
    return [lo, hi];
  });
}

const intIn = (min: number, max: number) => (s: string) => {
  if (!/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
};

function minuteOfDay(s: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]), min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

interface Period {
  times?: Range[];
  weekdays?: Range[];
  days?: Range[];
  months?: Range[];
  years?: Range[];
  zone?: string;
}

function compilePeriod(p: TimePeriodConfig): Period {
  const out: Period = {};
  if (p.times?.length) {
    out.times = p.times.map((t) => {
      const s = minuteOfDay(t.start_time), e = minuteOfDay(t.end_time);
      if (s === undefined) throw new Error(`invalid time of day ${JSON.stringify(t.start_time)}`);
      if (e === undefined) throw new Error(`invalid time of day ${JSON.stringify(t.end_time)}`);
      if (s >= e) throw new Error('start time cannot be equal or greater than end time');
      return [s, e];
    });
  }
  if (p.weekdays?.length) {
    out.weekdays = parseRanges(p.weekdays, 'weekday', (s) => {
      const i = WEEKDAYS.indexOf(s);
      return i < 0 ? undefined : i;
    });
  }
  if (p.days_of_month?.length) {
    out.days = parseRanges(p.days_of_month, 'day of month', (s) => {
      const n = intIn(-31, 31)(s);
      return n === 0 ? undefined : n;
    });
  }
  if (p.months?.length) {
    out.months = parseRanges(p.months, 'month', (s) => {
      const i = MONTHS.indexOf(s);
      return i >= 0 ? i + 1 : intIn(1, 12)(s);
    });
  }
  if (p.years?.length) out.years = parseRanges(p.years, 'year', intIn(0, 9999));
  if (p.location && p.location !== 'UTC') {
    const zone = p.location === 'Local' ? undefined : p.location;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      throw new Error(`unknown time zone ${JSON.stringify(p.location)}`);
    }
    out.zone = zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  return out;
}

/** The first problem of a time period's fields, as Alertmanager would report it. */
export function checkTimeInterval(p: TimePeriodConfig): string | undefined {
  try {
    compilePeriod(p);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

interface Parts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minute: number;
  daysInMonth: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsAt(t: number, zone: string | undefined): Parts {
  let y: number, mo: number, d: number, h: number, mi: number;
  if (!zone) {
    const dt = new Date(t);
    [y, mo, d, h, mi] = [
      dt.getUTCFullYear(),
      dt.getUTCMonth() + 1,
      dt.getUTCDate(),
      dt.getUTCHours(),
      dt.getUTCMinutes(),
    ];
  } else {
    let f = formatters.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      formatters.set(zone, f);
    }
    const get = (type: string) =>
      Number(f!.formatToParts(new Date(t)).find((p) => p.type === type)?.value);
    [y, mo, d, h, mi] = [get('year'), get('month'), get('day'), get('hour'), get('minute')];
  }
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { year: y, month: mo, day: d, weekday, minute: h * 60 + mi, daysInMonth };
}

const within = (ranges: Range[] | undefined, x: number) =>
  !ranges || ranges.some(([lo, hi]) => x >= lo && x <= hi);

function periodContains(p: Period, t: number): boolean {
  const x = partsAt(t, p.zone);
  if (p.times && !p.times.some(([s, e]) => x.minute >= s && x.minute < e)) return false;
  if (!within(p.weekdays, x.weekday)) return false;
  if (!within(p.months, x.month)) return false;
  if (!within(p.years, x.year)) return false;
  if (p.days) {
    const ok = p.days.some(([lo, hi]) => {
      const a = lo < 0 ? x.daysInMonth + lo + 1 : lo;
      const b = hi < 0 ? x.daysInMonth + hi + 1 : hi;
      return x.day >= a && x.day <= Math.min(b, x.daysInMonth);
    });
    if (!ok) return false;
  }
  return true;
}

/** Whether an instant falls in a named interval. */
export type IntervalPredicate = (t: number) => boolean;

/** Compiles named time intervals; throws on an invalid field (the schema checks first). */
export function compileTimeIntervals(
  list: readonly TimeIntervalConfig[],
): Map<string, IntervalPredicate> {
  const out = new Map<string, IntervalPredicate>();
  for (const ti of list) {
    const periods = ti.time_intervals.map(compilePeriod);
    out.set(ti.name, (t) => periods.some((p) => periodContains(p, t)));
  }
  return out;
}
