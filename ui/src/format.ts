/**
 * Formatting of labels, times and durations the way Prometheus's UI shows them.
 * @module
 */

/** Quotes a label value as PromQL would. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `name{a="1", b="2"}` for a label set (the metric name outside the braces). */
export function seriesName(metric: Record<string, string>): string {
  const name = metric.__name__ ?? '';
  const rest = Object.keys(metric).filter((k) => k !== '__name__').sort()
    .map((k) => `${k}=${quote(metric[k])}`);
  return rest.length || !name ? `${name}{${rest.join(', ')}}` : name;
}

/** Seconds as Prometheus's short duration, e.g. `1h30m`, `15s`, `250ms`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const units: [string, number][] = [['y', 31536000], ['w', 604800], ['d', 86400], ['h', 3600], [
    'm',
    60,
  ], ['s', 1]];
  let rest = Math.round(seconds);
  let out = '';
  for (const [u, n] of units) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
}

/** Parses `1h30m`, `15s`, `250ms` (or a bare number of seconds) into seconds; NaN when invalid. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+)(ms|y|w|d|h|m|s)/g;
  const units: Record<string, number> = {
    y: 31536000,
    w: 604800,
    d: 86400,
    h: 3600,
    m: 60,
    s: 1,
    ms: 0.001,
  };
  let total = 0, used = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * units[m[2]];
    used += m[0].length;
  }
  return used === t.length && used > 0 ? total : NaN;
}

/** A scrape or evaluation duration in seconds, shown with a sensible unit. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)}ms`;
  return `${seconds.toFixed(3)}s`;
}

/** "3.2s ago" for an ISO timestamp; "never" for Go's zero time. */
export function timeAgo(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || t <= 0 || iso.startsWith('0001-')) return 'never';
  const s = Math.max(0, (now - t) / 1000);
  return s < 60 ? `${s.toFixed(1)}s ago` : `${formatDuration(s)} ago`;
}

/** A Unix time in seconds as `YYYY-MM-DD HH:MM:SS` UTC. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** The value of an `<input type="datetime-local">` (UTC) for a Unix time in seconds. */
export function toInputTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19);
}

/** Parses a datetime-local input value (taken as UTC) into Unix seconds; NaN when invalid. */
export function fromInputTime(value: string): number {
  return value ? Date.parse(`${value}Z`) / 1000 : NaN;
}
