/**
 * `GET /api/v1/rules` and `GET /api/v1/alerts` with Prometheus's JSON shapes.
 * @module
 */
import type { Context } from 'hono';
import { ApiError, type ApiExtension, failure, success } from '../api/mod.ts';
import { AlertingRule, type RuleAlert } from './alerting_rule.ts';
import type { RuleGroup } from './group.ts';
import type { RuleManager } from './manager.ts';
import type { Rule } from './rule.ts';
import { type Matcher, matchLabels } from '../model/mod.ts';

/** Go's `time.Time` JSON (RFC 3339 with trailing zero fractions removed); 0 is Go's zero time. */
export function goTimeJSON(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Go's `strconv.FormatFloat(v, 'e', -1, 64)`, used for alert values. */
export function formatValueE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = v.toExponential();
  const [m, e] = s.split('e');
  const sign = e[0] === '-' ? '-' : '+';
  const digits = e.replace(/^[+-]/, '');
  return `${m}e${sign}${digits.padStart(2, '0')}`;
}

function alertJSON(a: RuleAlert): Record<string, unknown> {
  const out: Record<string, unknown> = {
    labels: a.labels.toRecord(),
    annotations: a.annotations.toRecord(),
    state: a.state,
    activeAt: goTimeJSON(a.activeAt),
  };
  if (a.keepFiringSince !== 0) out.keepFiringSince = goTimeJSON(a.keepFiringSince);
  out.value = formatValueE(a.value);
  return out;
}

function ruleJSON(r: Rule, excludeAlerts: boolean): Record<string, unknown> {
  const common = {
    health: r.health,
    ...(r.lastError ? { lastError: r.lastError } : {}),
    evaluationTime: r.evaluationTime,
    lastEvaluation: goTimeJSON(r.lastEvaluation),
  };
  if (r instanceof AlertingRule) {
    return {
      state: r.state,
      name: r.name,
      query: r.query,
      duration: r.holdDuration / 1000,
      keepFiringFor: r.keepFiringFor / 1000,
      labels: r.labels.toRecord(),
      annotations: r.annotations.toRecord(),
      ...(excludeAlerts ? {} : { alerts: r.activeAlerts().map(alertJSON) }),
      ...common,
      type: 'alerting',
    };
  }
  return {
    name: r.name,
    query: r.query,
    labels: r.labels.toRecord(),
    ...common,
    type: 'recording',
  };
}

function many(c: Context, name: string): Set<string> | undefined {
  const v = c.req.queries(name) ?? c.req.queries(name.replace('[]', ''));
  return v && v.length > 0 ? new Set(v) : undefined;
}

/** Options of {@link rulesApi}. */
export interface RulesApiOptions {
  /** Parses a `match[]` series selector; without it `match[]` is answered with `bad_data`. */
  parseSelector?: (selector: string) => Matcher[];
}

/** Prometheus's page token: the hex SHA-1 of `file;group`, opaque to clients. */
async function groupToken(g: RuleGroup): Promise<string> {
  const bytes = new TextEncoder().encode(`${g.file};${g.name}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function matcherSets(c: Context, opts: RulesApiOptions): Matcher[][] | undefined {
  const selectors = c.req.queries('match[]');
  if (!selectors || selectors.length === 0) return undefined;
  if (!opts.parseSelector) throw new ApiError('bad_data', 'match[] is not supported here');
  return selectors.map((s) => {
    try {
      return opts.parseSelector!(s);
    } catch (err) {
      throw new ApiError('bad_data', `invalid parameter "match[]": ${(err as Error).message}`);
    }
  });
}

function groupLimit(c: Context): { limit: number; nextToken?: string } {
  const raw = c.req.query('group_limit');
  const nextToken = c.req.query('group_next_token') || undefined;
  if (raw === undefined || raw === '') {
    if (nextToken !== undefined) {
      throw new ApiError(
        'bad_data',
        'invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups',
      );
    }
    return { limit: 0 };
  }
  const limit = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!(limit > 0) || !Number.isSafeInteger(limit)) {
    throw new ApiError(
      'bad_data',
      'invalid parameter "group_limit": group_limit needs to be greater than 0',
    );
  }
  return { limit, nextToken };
}

async function rulesHandler(
  manager: RuleManager,
  opts: RulesApiOptions,
  c: Context,
): Promise<Response> {
  const type = c.req.query('type')?.toLowerCase() ?? '';
  if (type !== '' && type !== 'alert' && type !== 'record') {
    throw new ApiError('bad_data', `invalid query parameter type='${type}'`);
  }
  const excludeRaw = c.req.query('exclude_alerts') ?? '';
  if (excludeRaw !== '' && !/^(true|false|1|0|t|f|TRUE|FALSE|True|False|T|F)$/.test(excludeRaw)) {
    throw new ApiError('bad_data', `exclude_alerts: invalid boolean "${excludeRaw}"`);
  }
  const excludeAlerts = /^(true|1|t)$/i.test(excludeRaw);
  const names = many(c, 'rule_name[]');
  const groupsWanted = many(c, 'rule_group[]');
  const files = many(c, 'file[]');
  const sets = matcherSets(c, opts);
  const page = groupLimit(c);
  // Groups emptied by a rule-level filter are left out, as Prometheus does.
  const ruleFiltered = type !== '' || names !== undefined || sets !== undefined;
  const groups: Record<string, unknown>[] = [];
  let groupNextToken: string | undefined;
  let tokenFound = page.nextToken === undefined;
  for (const g of manager.groups() as RuleGroup[]) {
    if (groupsWanted && !groupsWanted.has(g.name)) continue;
    if (files && !files.has(g.file)) continue;
    if (!tokenFound) {
      if (await groupToken(g) !== page.nextToken) continue;
      tokenFound = true;
    }
    const rules = g.rules.filter((r) => {
      if (type === 'alert' && r.kind !== 'alerting') return false;
      if (type === 'record' && r.kind !== 'recording') return false;
      if (names && !names.has(r.name)) return false;
      return !sets || sets.some((m) => matchLabels(m, r.labels));
    });
    if (rules.length === 0 && ruleFiltered) continue;
    if (page.limit > 0 && groups.length === page.limit) {
      groupNextToken = await groupToken(g);
      break;
    }
    groups.push({
      name: g.name,
      file: g.file,
      rules: rules.map((r) => ruleJSON(r, excludeAlerts)),
      interval: g.interval / 1000,
      limit: g.limit,
      evaluationTime: g.evaluationTime,
      lastEvaluation: goTimeJSON(g.lastEvaluation),
    });
  }
  if (!tokenFound) {
    throw new ApiError(
      'bad_data',
      'invalid parameter "group_next_token": no group matches the token',
    );
  }
  return success(c, groupNextToken === undefined ? { groups } : { groups, groupNextToken });
}

/**
 * The rules and alerts routes over `manager`, to mount under `/api/v1`: every filter of
 * Prometheus's `/api/v1/rules` (`type`, `rule_name[]`, `rule_group[]`, `file[]`, `match[]` on
 * the rules' labels, `exclude_alerts`) and paging by `group_limit` / `group_next_token`.
 */
export function rulesApi(manager: RuleManager, opts: RulesApiOptions = {}): ApiExtension {
  const guard = (fn: (c: Context) => Response | Promise<Response>) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof ApiError) return failure(c, e.type, e.message);
      throw e;
    }
  };
  return (api) => {
    api.get('/rules', guard((c) => rulesHandler(manager, opts, c)));
    api.get(
      '/alerts',
      guard((c) => {
        const alerts = manager.alertingRules().flatMap((r) => r.activeAlerts().map(alertJSON));
        return success(c, { alerts });
      }),
    );
  };
}
