/**
 * What notification templates see: Alertmanager's data model (`.Receiver`, `.Status`,
 * `.Alerts`, `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`, `.ExternalURL`, and per
 * alert `.Status`, `.Labels`, `.Annotations`, `.StartsAt`, `.EndsAt`, `.GeneratorURL`,
 * `.Fingerprint`), Alertmanager's default templates (`slack.default.title`, `__subject`, …)
 * and the helper functions they use.
 *
 * Templates call Alertmanager's methods on these values as Go does (`.Alerts.Firing`,
 * `.CommonLabels.SortedPairs`); the same views also exist as functions (`firing .Alerts`).
 * @module
 */
import { Labels } from '../model/mod.ts';
import {
  expandTemplate,
  expandTemplateSyncOrAsync,
  GoTime,
  type UserFunc,
} from '../template/mod.ts';
import { type Alert, fingerprint, isResolved } from './alert.ts';

/** A label set as templates see it: a map with Alertmanager's KV methods. */
export class KV extends Map<string, string> {
  /** The pairs sorted by name. */
  SortedPairs(): Pair[] {
    return [...this.keys()].sort().map((k) => new Pair(k, this.get(k)!));
  }
  /** The names, sorted. */
  Names(): string[] {
    return [...this.keys()].sort();
  }
  /** The values, in name order. */
  Values(): string[] {
    return this.Names().map((k) => this.get(k)!);
  }
  /** A copy without `names`. */
  Remove(names: readonly string[]): KV {
    const out = new KV(this);
    for (const n of names) out.delete(n);
    return out;
  }
  /** A plain object for JSON. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.SortedPairs().map((p) => [p.Name, p.Value]));
  }
  /** A KV of a label set. */
  static of(l: Labels): KV {
    const out = new KV();
    l.forEach((n, val) => out.set(n, val));
    return out;
  }
}

/** One name/value pair of {@link KV.SortedPairs}. */
export class Pair {
  constructor(readonly Name: string, readonly Value: string) {}
}

/** One alert in a notification. */
export class TemplateAlert {
  constructor(
    readonly Status: 'firing' | 'resolved',
    readonly Labels: KV,
    readonly Annotations: KV,
    readonly StartsAt: GoTime,
    readonly EndsAt: GoTime,
    readonly GeneratorURL: string,
    readonly Fingerprint: string,
  ) {}
}

/** The alerts of a notification, with Alertmanager's `Firing`/`Resolved` views. */
export class AlertList extends Array<TemplateAlert> {
  static override get [Symbol.species]() {
    return Array;
  }
  /** The firing alerts. */
  Firing(): TemplateAlert[] {
    return this.filter((a) => a.Status === 'firing');
  }
  /** The resolved alerts. */
  Resolved(): TemplateAlert[] {
    return this.filter((a) => a.Status === 'resolved');
  }
}

/** The data of a notification. */
export class NotificationData {
  constructor(
    readonly Receiver: string,
    readonly Status: 'firing' | 'resolved',
    readonly Alerts: AlertList,
    readonly GroupLabels: KV,
    readonly CommonLabels: KV,
    readonly CommonAnnotations: KV,
    readonly ExternalURL: string,
  ) {}
}

/** Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function common(sets: readonly Labels[]): KV {
  const out = new KV();
  if (sets.length === 0) return out;
  sets[0].forEach((n, val) => {
    if (sets.every((s) => s.has(n) && s.get(n) === val)) out.set(n, val);
  });
  return out;
}

/** What {@link notificationData} needs besides the alerts. */
export interface NotificationInfo {
  receiver: string;
  groupLabels: Labels;
  externalURL: string;
  now: number;
}

/** Builds the template data of a notification. */
export function notificationData(
  info: NotificationInfo,
  alerts: readonly Alert[],
): NotificationData {
  const list = new AlertList();
  for (const a of alerts) {
    list.push(
      new TemplateAlert(
        isResolved(a, info.now) ? 'resolved' : 'firing',
        KV.of(a.labels),
        KV.of(a.annotations),
        new GoTime(a.startsAt),
        new GoTime(a.endsAt),
        a.generatorURL,
        fingerprint(a.labels),
      ),
    );
  }
  return new NotificationData(
    quoteMeta(info.receiver),
    list.some((a) => a.Status === 'firing') ? 'firing' : 'resolved',
    list,
    KV.of(info.groupLabels),
    common(alerts.map((a) => a.labels)),
    common(alerts.map((a) => a.annotations)),
    info.externalURL,
  );
}

const kv = (x: unknown): KV => (x instanceof KV ? x : new KV(Object.entries(x ?? {})));

/** Functions notification templates may call, beyond Prometheus's. */
export const NOTIFY_FUNCS: Readonly<Record<string, UserFunc>> = {
  firing: (alerts: TemplateAlert[]) => alerts.filter((a) => a.Status === 'firing'),
  resolved: (alerts: TemplateAlert[]) => alerts.filter((a) => a.Status === 'resolved'),
  sortedPairs: (m: unknown) => kv(m).SortedPairs(),
  names: (m: unknown) => kv(m).Names(),
  values: (m: unknown) => kv(m).Values(),
  remove: (m: unknown, names: string[]) => kv(m).Remove(names),
  join: (sep: string, list: unknown[]) => list.map(String).join(sep),
  trimSpace: (s: string) => s.trim(),
  stringSlice: (...s: string[]) => s,
};

/**
 * Alertmanager's default notification templates, written anew for Beacon's engine. Their
 * names are Alertmanager's, so user templates that call them keep working.
 */
export const DEFAULT_TEMPLATES = [
  '{{ define "__alertmanager" }}Alertmanager{{ end }}',
  '{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver=' +
  '{{ .Receiver | urlquery }}{{ end }}',
  '{{ define "__subject" }}[{{ .Status | toUpper }}' +
  '{{ if eq .Status "firing" }}:{{ firing .Alerts | len }}{{ end }}] ' +
  '{{ values .GroupLabels | join " " }} ' +
  '{{ if gt (len .CommonLabels) (len .GroupLabels) }}(' +
  '{{ values (remove .CommonLabels (names .GroupLabels)) | join " " }}){{ end }}{{ end }}',
  '{{ define "__description" }}{{ end }}',
  '{{ define "__text_alert_list" }}{{ range . }}Labels:\n' +
  '{{ range sortedPairs .Labels }} - {{ .Name }} = {{ .Value }}\n{{ end }}Annotations:\n' +
  '{{ range sortedPairs .Annotations }} - {{ .Name }} = {{ .Value }}\n{{ end }}' +
  'Source: {{ .GeneratorURL }}\n{{ end }}{{ end }}',
  '{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}',
  '{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}',
  '{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | ' +
  '{{ template "slack.default.titlelink" . }}{{ end }}',
  '{{ define "slack.default.callbackid" }}{{ end }}',
  '{{ define "slack.default.pretext" }}{{ end }}',
  '{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}',
  '{{ define "slack.default.iconemoji" }}{{ end }}',
  '{{ define "slack.default.iconurl" }}{{ end }}',
  '{{ define "slack.default.text" }}{{ end }}',
  '{{ define "slack.default.footer" }}{{ end }}',
  '{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}',
  '{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}',
  '{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}',
  '{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}',
].join('');

/** Expands a notification field template on `data`, with the default templates defined. */
export function expandNotification(
  text: string,
  data: NotificationData,
  name = 'notification',
): Promise<string> {
  if (!text.includes('{{')) return Promise.resolve(text);
  return expandTemplate(DEFAULT_TEMPLATES + text, data, {
    name,
    funcs: NOTIFY_FUNCS,
    externalURL: data.ExternalURL,
  });
}

/** Synchronous form of {@link expandNotification} (notification templates make no queries). */
export function expandNotificationSync(
  text: string,
  data: NotificationData,
  name = 'notification',
): string {
  if (!text.includes('{{')) return text;
  const r = expandTemplateSyncOrAsync(DEFAULT_TEMPLATES + text, data, {
    name,
    funcs: NOTIFY_FUNCS,
    externalURL: data.ExternalURL,
  });
  if (typeof r !== 'string') throw new Error(`template ${name} made an asynchronous call`);
  return r;
}

/** Go's RFC3339Nano form of a time (trailing fractional zeros dropped), as JSON payloads use. */
export function goTimeJSON(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}
