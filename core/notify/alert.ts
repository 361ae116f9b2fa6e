/**
 * The alert Prometheus hands to its notifier and Alertmanager stores: labels, annotations,
 * a start, an end and the link back to the rule. An alert is resolved once its end has passed.
 * @module
 */
import { Labels } from '../model/mod.ts';

/** One alert. Times are milliseconds since the epoch; 0 means "not set". */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
}

/** Fields accepted by {@link newAlert}; label sets may be plain records. */
export interface AlertInit {
  labels: Labels | Readonly<Record<string, string>>;
  annotations?: Labels | Readonly<Record<string, string>>;
  startsAt?: number | Date;
  endsAt?: number | Date;
  generatorURL?: string;
}

const ms = (t: number | Date | undefined) => (t instanceof Date ? t.getTime() : t ?? 0);
const labelsOf = (l: Labels | Readonly<Record<string, string>> | undefined) =>
  l instanceof Labels ? l : Labels.from(l ?? {});

/** Builds an {@link Alert}, defaulting what is missing to empty or zero. */
export function newAlert(init: AlertInit): Alert {
  return {
    labels: labelsOf(init.labels),
    annotations: labelsOf(init.annotations),
    startsAt: ms(init.startsAt),
    endsAt: ms(init.endsAt),
    generatorURL: init.generatorURL ?? '',
  };
}

/** Whether the alert has an end and that end is not after `now` (Prometheus's rule). */
export function isResolved(alert: Alert, now: number): boolean {
  return alert.endsAt !== 0 && alert.endsAt <= now;
}

/** `firing` or `resolved` at `now`. */
export function alertStatus(alert: Alert, now: number): 'firing' | 'resolved' {
  return isResolved(alert, now) ? 'resolved' : 'firing';
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

/**
 * The alert's identity, as Alertmanager computes it: 64-bit FNV-1a over the label names and
 * values in name order, each followed by a 0xff byte, printed as 16 hex digits. Beacon and a
 * real Alertmanager therefore show the same fingerprint for the same labels.
 */
export function fingerprint(labels: Labels): string {
  let h = FNV_OFFSET;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * FNV_PRIME);
    h = BigInt.asUintN(64, (h ^ BigInt(SEPARATOR)) * FNV_PRIME);
  };
  labels.forEach((name, value) => {
    feed(encoder.encode(name));
    feed(encoder.encode(value));
  });
  return h.toString(16).padStart(16, '0');
}

/** RFC 3339 with milliseconds, as Go's strfmt.DateTime prints; zero prints Go's zero time. */
export function formatTime(t: number): string {
  return t === 0 ? '0001-01-01T00:00:00Z' : new Date(t).toISOString();
}

/** The JSON object Prometheus posts to Alertmanager's `/api/v2/alerts` for one alert. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** The alert as Alertmanager's API v2 takes it; unset times are left out. */
export function toPostableAlert(a: Alert): PostableAlert {
  const out: PostableAlert = { labels: a.labels.toRecord(), annotations: a.annotations.toRecord() };
  if (a.startsAt) out.startsAt = new Date(a.startsAt).toISOString();
  if (a.endsAt) out.endsAt = new Date(a.endsAt).toISOString();
  if (a.generatorURL) out.generatorURL = a.generatorURL;
  return out;
}
