/**
 * Beacon's built-in routing configuration: the `route`, `receivers`, `inhibit_rules` and
 * `time_intervals` sections of an `alertmanager.yml`, in Alertmanager's format so that the file
 * pastes in. Receivers keep their `<type>_configs` lists as written; each entry is validated
 * later by the notifier plugin of that type (`webhook_configs` → plugin `webhook`).
 *
 * The outputs stay serialisable (matchers as text, durations as {@link Duration}); the route
 * tree, inhibitor and time intervals are compiled from them by their own modules.
 * @module
 */
import * as v from 'valibot';
import { Duration } from '../config/duration.ts';
import { isValidUTF8Name } from '../model/mod.ts';
import { parseMatchers } from './matchers.ts';
import { checkTimeInterval } from './time_interval.ts';

/** Alertmanager's route defaults (`dispatch/route.go`). */
export const ROUTE_DEFAULTS = {
  group_wait: new Duration(30_000),
  group_interval: new Duration(5 * 60_000),
  repeat_interval: new Duration(4 * 3_600_000),
} as const;

const describe = (x: unknown) =>
  x === null
    ? 'null'
    : Array.isArray(x)
    ? 'a list'
    : typeof x === 'object'
    ? 'a mapping'
    : typeof x;

const str = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    (i) => `expected a string, got ${describe(i.input)}`,
  ),
  v.transform((x) => String(x)),
);

const duration = v.pipe(
  v.union([v.string(), v.literal(0)], (i) => `invalid duration ${describe(i.input)}`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return Duration.parse(String(dataset.value));
    } catch {
      addIssue({ message: `not a valid duration string: ${JSON.stringify(dataset.value)}` });
      return NEVER;
    }
  }),
);

const opt = <T extends v.GenericSchema>(s: T) =>
  v.pipe(v.nullish(s), v.transform((x: v.InferOutput<T> | null | undefined) => x ?? undefined));

const strList = v.array(str, (i) => `expected a list, got ${describe(i.input)}`);
const strMap = v.record(v.string(), str, (i) => `expected a mapping, got ${describe(i.input)}`);

/** A list of matcher strings, each checked with Alertmanager's matcher parser. */
const matcherList = v.pipe(
  strList,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const m of dataset.value) {
      try {
        parseMatchers(m);
      } catch (e) {
        addIssue({ message: (e as Error).message });
      }
    }
  }),
);

const regexMap = v.pipe(
  strMap,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const [k, re] of Object.entries(dataset.value)) {
      try {
        parseMatchers(`${k}=~${JSON.stringify(re)}`);
      } catch (e) {
        addIssue({ message: `invalid regular expression for ${k}: ${(e as Error).message}` });
      }
    }
  }),
);

const labelName = v.pipe(
  str,
  v.check((s) => isValidUTF8Name(s), (i) => `invalid label name ${JSON.stringify(i.input)}`),
);

const groupBy = v.pipe(
  strList,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const l = dataset.value, seen = new Set<string>();
    for (const n of l) {
      if (n === '...') continue;
      if (!isValidUTF8Name(n)) {
        addIssue({ message: `invalid label name ${JSON.stringify(n)} in group_by list` });
      }
      if (seen.has(n)) addIssue({ message: `duplicated label ${JSON.stringify(n)} in group_by` });
      seen.add(n);
    }
    if (l.includes('...') && l.length > 1) {
      addIssue({
        message: 'cannot have wildcard group_by (`...`) and other other labels at the same time',
      });
    }
  }),
);

const nonZero = (what: string) =>
  v.pipe(duration, v.check((d) => d.ms > 0, `${what} cannot be zero`));

/** A route as read: unset timing fields are inherited from the parent when compiled. */
export interface RouteConfig {
  receiver?: string;
  group_by?: string[];
  continue: boolean;
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  matchers?: string[];
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  group_wait?: Duration;
  group_interval?: Duration;
  repeat_interval?: Duration;
  routes?: RouteConfig[];
}

const routeObject: v.GenericSchema<unknown, RouteConfig> = v.strictObject(
  {
    receiver: opt(str),
    group_by: opt(groupBy),
    continue: v.pipe(v.nullish(v.boolean(), false), v.transform((b) => b ?? false)),
    match: opt(strMap),
    match_re: opt(regexMap),
    matchers: opt(matcherList),
    mute_time_intervals: opt(strList),
    active_time_intervals: opt(strList),
    group_wait: opt(duration),
    group_interval: opt(nonZero('group_interval')),
    repeat_interval: opt(nonZero('repeat_interval')),
    routes: opt(v.array(v.lazy(() => routeObject))),
  },
  (i) =>
    i.expected === 'never'
      ? `field ${String(i.input)} not found in type config.plain`
      : `expected a mapping for route, got ${describe(i.input)}`,
);

/**
 * The top-level `route`: absent means no built-in routing. The root must name a receiver and
 * may not have matchers or time intervals; its unset timings take Alertmanager's defaults.
 */
export const routeSchema = v.pipe(
  v.nullish(routeObject),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const r = dataset.value;
    if (r === null || r === undefined) return undefined;
    const problem = !r.receiver
      ? 'root route must specify a default receiver'
      : r.match || r.match_re || r.matchers?.length
      ? 'root route must not have any matchers'
      : r.mute_time_intervals?.length
      ? 'root route cannot have any mute time intervals'
      : r.active_time_intervals?.length
      ? 'root route cannot have any active time intervals'
      : undefined;
    if (problem) {
      addIssue({ message: problem });
      return NEVER;
    }
    return {
      ...r,
      group_wait: r.group_wait ?? ROUTE_DEFAULTS.group_wait,
      group_interval: r.group_interval ?? ROUTE_DEFAULTS.group_interval,
      repeat_interval: r.repeat_interval ?? ROUTE_DEFAULTS.repeat_interval,
    } as RouteConfig;
  }),
);

const INTEGRATION_KEY = /^([a-z][a-z0-9_]*)_configs$/;

/** A receiver: its name and, per notifier type, the list of that type's config blocks. */
export type ReceiverConfig = { name: string } & { [key: `${string}_configs`]: unknown[] };

const receiverObject = v.pipe(
  v.record(
    v.string(),
    v.unknown(),
    (i) => `expected a mapping for receiver, got ${describe(i.input)}`,
  ),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const r = dataset.value;
    let ok = true;
    for (const [k, val] of Object.entries(r)) {
      if (k === 'name') continue;
      if (!INTEGRATION_KEY.test(k)) {
        addIssue({ message: `field ${k} not found in type config.plain` });
        ok = false;
      } else if (val !== null && val !== undefined && !Array.isArray(val)) {
        addIssue({ message: `${k} must be a list, got ${describe(val)}` });
        ok = false;
      } else if (Array.isArray(val)) {
        for (const item of val) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            addIssue({ message: `${k}: each entry must be a mapping, got ${describe(item)}` });
            ok = false;
          }
        }
      }
    }
    if (typeof r.name !== 'string' || r.name === '') {
      addIssue({ message: 'missing name in receiver' });
      ok = false;
    }
    if (!ok) return NEVER;
    const out: Record<string, unknown> = { name: r.name };
    for (const [k, val] of Object.entries(r)) if (k !== 'name') out[k] = val ?? [];
    return out as ReceiverConfig;
  }),
);

/** The `receivers` list; names must be unique. */
export const receiversSchema = v.pipe(
  v.nullish(v.array(receiverObject)),
  v.transform((l) => l ?? []),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const seen = new Set<string>();
    for (const r of dataset.value) {
      if (seen.has(r.name)) {
        addIssue({ message: `notification config name ${JSON.stringify(r.name)} is not unique` });
      }
      seen.add(r.name);
    }
  }),
);

/** The `(type, index, block)` triples of a receiver, in config order. */
export function receiverIntegrations(
  r: ReceiverConfig,
): { type: string; index: number; config: Record<string, unknown> }[] {
  const out: { type: string; index: number; config: Record<string, unknown> }[] = [];
  for (const [k, list] of Object.entries(r)) {
    const m = INTEGRATION_KEY.exec(k);
    if (!m || !Array.isArray(list)) continue;
    list.forEach((config, index) =>
      out.push({ type: m[1], index, config: config as Record<string, unknown> })
    );
  }
  return out;
}

/** One inhibition rule as read. */
export interface InhibitRuleConfig {
  name?: string;
  source_matchers?: string[];
  target_matchers?: string[];
  source_match?: Record<string, string>;
  source_match_re?: Record<string, string>;
  target_match?: Record<string, string>;
  target_match_re?: Record<string, string>;
  equal?: string[];
}

const inhibitRuleObject: v.GenericSchema<unknown, InhibitRuleConfig> = v.strictObject(
  {
    name: opt(str),
    source_matchers: opt(matcherList),
    target_matchers: opt(matcherList),
    source_match: opt(strMap),
    source_match_re: opt(regexMap),
    target_match: opt(strMap),
    target_match_re: opt(regexMap),
    equal: opt(v.array(labelName)),
  },
  (i) =>
    i.expected === 'never'
      ? `field ${String(i.input)} not found in type config.plain`
      : `expected a mapping for inhibit rule, got ${describe(i.input)}`,
);

/** The `inhibit_rules` list. */
export const inhibitRulesSchema = v.pipe(
  v.nullish(v.array(inhibitRuleObject)),
  v.transform((l) => l ?? []),
);

/** One period of a time interval, in Alertmanager's text forms (`monday:friday`, `1:7`, …). */
export interface TimePeriodConfig {
  times?: { start_time: string; end_time: string }[];
  weekdays?: string[];
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  location?: string;
}

const timePeriodObject = v.pipe(
  v.strictObject({
    times: opt(v.array(v.strictObject({ start_time: str, end_time: str }))),
    weekdays: opt(strList),
    days_of_month: opt(strList),
    months: opt(strList),
    years: opt(strList),
    location: opt(str),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = checkTimeInterval(dataset.value);
    if (msg) addIssue({ message: msg });
  }),
);

/** A named time interval. */
export interface TimeIntervalConfig {
  name: string;
  time_intervals: TimePeriodConfig[];
}

const timeIntervalObject: v.GenericSchema<unknown, TimeIntervalConfig> = v.pipe(
  v.strictObject({ name: str, time_intervals: opt(v.array(timePeriodObject)) }),
  v.transform((t) => ({ name: t.name, time_intervals: t.time_intervals ?? [] })),
);

/** The `time_intervals` list (and the older `mute_time_intervals`, same shape). */
export const timeIntervalsSchema = v.pipe(
  v.nullish(v.array(timeIntervalObject)),
  v.transform((l) => l ?? []),
);

/** Beacon's routing sections, by top-level key, for the lead's config schema. */
export const routingSectionSchemas = {
  route: routeSchema,
  receivers: receiversSchema,
  inhibit_rules: inhibitRulesSchema,
  time_intervals: timeIntervalsSchema,
  mute_time_intervals: timeIntervalsSchema,
} as const;

/** The validated routing sections. */
export interface RoutingConfig {
  route?: RouteConfig;
  receivers: ReceiverConfig[];
  inhibit_rules: InhibitRuleConfig[];
  time_intervals: TimeIntervalConfig[];
  mute_time_intervals: TimeIntervalConfig[];
}

/** Validates the routing sections of a parsed YAML mapping (e.g. a whole alertmanager.yml). */
export const routingConfigSchema: v.GenericSchema<unknown, RoutingConfig> = v.pipe(
  v.object(routingSectionSchemas),
  v.transform((c): RoutingConfig => ({
    route: c.route,
    receivers: c.receivers ?? [],
    inhibit_rules: c.inhibit_rules ?? [],
    time_intervals: c.time_intervals ?? [],
    mute_time_intervals: c.mute_time_intervals ?? [],
  })),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const message of checkRouting(dataset.value)) addIssue({ message });
  }),
);

/**
 * Cross-section checks that Alertmanager makes after reading the file: every receiver and
 * time interval a route names exists, interval names are unique. Returns the problems.
 */
export function checkRouting(c: RoutingConfig): string[] {
  const problems: string[] = [];
  const receivers = new Set(c.receivers.map((r) => r.name));
  const intervals = new Set<string>();
  for (const ti of [...c.time_intervals, ...c.mute_time_intervals]) {
    if (intervals.has(ti.name)) {
      problems.push(`time interval ${JSON.stringify(ti.name)} is not unique`);
    }
    intervals.add(ti.name);
  }
  const walk = (r: RouteConfig) => {
    if (r.receiver !== undefined && !receivers.has(r.receiver)) {
      problems.push(`undefined receiver ${JSON.stringify(r.receiver)} used in route`);
    }
    for (const n of [...(r.mute_time_intervals ?? []), ...(r.active_time_intervals ?? [])]) {
      if (!intervals.has(n)) {
        problems.push(`undefined time interval ${JSON.stringify(n)} used in route`);
      }
    }
    for (const child of r.routes ?? []) walk(child);
  };
  if (c.route) walk(c.route);
  else if (c.receivers.length > 0 || c.inhibit_rules.length > 0) {
    problems.push('receivers or inhibit_rules given without a route');
  }
  return problems;
}
