/**
 * The routing tree: which routes (and so receivers and grouping) an alert belongs to.
 * Matching is depth-first; the first matching child wins unless it says `continue`, and a
 * route whose children all miss matches itself. Children inherit receiver, grouping and
 * timings they leave unset.
 * @module
 */
import { type Labels, Matcher } from '../model/mod.ts';
import { ROUTE_DEFAULTS, type RouteConfig } from './config.ts';
import { formatMatcher, parseMatchers } from './matchers.ts';

/** One compiled route. */
export class Route {
  readonly parent: Route | undefined;
  readonly receiver: string;
  /** Label names to group by; ignored when {@link groupByAll}. */
  readonly groupBy: readonly string[];
  /** `group_by: ['...']`: every label is a group label. */
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly continue: boolean;
  readonly matchers: readonly Matcher[];
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly Route[];
  /** Alertmanager's route key: the parent's key, `/`, this route's matchers. */
  readonly key: string;
  /** Unique among siblings with equal matchers: the key plus the child index. */
  readonly id: string;

  constructor(cfg: RouteConfig, parent?: Route, index = 0) {
    this.parent = parent;
    this.receiver = cfg.receiver ?? parent?.receiver ?? '';
    const groupBy = cfg.group_by ?? (parent ? [...parent.groupBy] : []);
    this.groupByAll = cfg.group_by ? cfg.group_by.includes('...') : parent?.groupByAll ?? false;
    this.groupBy = this.groupByAll ? [] : [...new Set(groupBy)].sort();
    this.groupWaitMs = cfg.group_wait?.ms ?? parent?.groupWaitMs ?? ROUTE_DEFAULTS.group_wait.ms;
    this.groupIntervalMs = cfg.group_interval?.ms ?? parent?.groupIntervalMs ??
      ROUTE_DEFAULTS.group_interval.ms;
    this.repeatIntervalMs = cfg.repeat_interval?.ms ?? parent?.repeatIntervalMs ??
      ROUTE_DEFAULTS.repeat_interval.ms;
    this.continue = cfg.continue ?? false;
    this.matchers = routeMatchers(cfg);
    this.muteTimeIntervals = cfg.mute_time_intervals ?? [];
    this.activeTimeIntervals = cfg.active_time_intervals ?? [];
    const own = `{${this.matchers.map(formatMatcher).join(',')}}`;
    this.key = parent ? `${parent.key}/${own}` : own;
    this.id = parent ? `${parent.id}/${own}/${index}` : own;
    this.routes = (cfg.routes ?? []).map((c, i) => new Route(c, this, i));
  }

  /** The routes an alert with `labels` goes to, in tree order. */
  match(labels: Labels): Route[] {
    for (const m of this.matchers) if (!m.matches(labels.get(m.name))) return [];
    const out: Route[] = [];
    for (const child of this.routes) {
      const found = child.match(labels);
      out.push(...found);
      if (found.length > 0 && !child.continue) break;
    }
    if (out.length === 0) out.push(this);
    return out;
  }

  /** The labels an alert is grouped by on this route. */
  groupLabels(labels: Labels): Labels {
    if (this.groupByAll) return labels;
    return labels.keep(...this.groupBy);
  }

  /** Every route of the tree, depth-first. */
  *walk(): Generator<Route> {
    yield this;
    for (const r of this.routes) yield* r.walk();
  }
}

const ORDER: Record<string, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** The matchers of `match`, `match_re` and `matchers`, sorted as Alertmanager sorts them. */
function routeMatchers(cfg: RouteConfig): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, val] of Object.entries(cfg.match ?? {})) out.push(Matcher.create('=', k, val));
  for (const [k, re] of Object.entries(cfg.match_re ?? {})) out.push(Matcher.create('=~', k, re));
  for (const line of cfg.matchers ?? []) out.push(...parseMatchers(line));
  return out.sort((a, b) =>
    a.name < b.name
      ? -1
      : a.name > b.name
      ? 1
      : ORDER[a.type] !== ORDER[b.type]
      ? ORDER[a.type] - ORDER[b.type]
      : a.value < b.value
      ? -1
      : a.value > b.value
      ? 1
      : 0
  );
}

/** Builds the tree from the validated root `route`. */
export function buildRoute(cfg: RouteConfig): Route {
  return new Route(cfg);
}

/** Go's `model.LabelSet.String()`: `{a="1", b="2"}`. */
export function formatLabelSet(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, val) => parts.push(`${n}=${JSON.stringify(val)}`));
  return `{${parts.join(', ')}}`;
}

/** The aggregation group's key, `<route key>:<group labels>`, as Alertmanager forms it. */
export function groupKey(route: Route, groupLabels: Labels): string {
  return `${route.key}:${formatLabelSet(groupLabels)}`;
}
