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

function rulesHandler(manager: RuleManager, c: Context): Response {
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
  const groups: Record<string, unknown>[] = [];
  for (const g of manager.groups() as RuleGroup[]) {
    if (groupsWanted && !groupsWanted.has(g.name)) continue;
    if (files && !files.has(g.file)) continue;
    const rules = g.rules.filter((r) => {
      if (type === 'alert' && r.kind !== 'alerting') return false;
      if (type === 'record' && r.kind !== 'recording') return false;
      return !names || names.has(r.name);
    });
    if (rules.length === 0 && (type !== '' || names)) continue;
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
  return success(c, { groups });
}

/**
 * The rules and alerts routes over `manager`, to mount under `/api/v1`. Not supported yet:
 * `match[]`, `group_limit` (answered with `bad_data`).
 */
export function rulesApi(manager: RuleManager): ApiExtension {
  const guard = (fn: (c: Context) => Response) => (c: Context) => {
    try {
      return fn(c);
    } catch (e) {
      if (e instanceof ApiError) return failure(c, e.type, e.message);
      throw e;
    }
  };
  return (api) => {
    api.get(
      '/rules',
      guard((c) => {
        if (many(c, 'match[]') || c.req.query('group_limit')) {
          throw new ApiError('bad_data', 'match[] and group_limit are not supported yet');
        }
        return rulesHandler(manager, c);
      }),
    );
    api.get(
      '/alerts',
      guard((c) => {
        const alerts = manager.alertingRules().flatMap((r) => r.activeAlerts().map(alertJSON));
        return success(c, { alerts });
      }),
    );
  };
}
