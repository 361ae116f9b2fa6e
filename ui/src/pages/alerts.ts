/**
 * Alerts: alerting rules by state (firing, pending, inactive) with their active alerts.
 * @module
 */
import { h, replace } from '../dom.ts';
import { api, isMissing } from '../api.ts';
import { formatDuration, timeAgo } from '../format.ts';
import type { Page } from '../page.ts';
import {
  badge,
  errorNotice,
  filterInput,
  labelChips,
  loading,
  notice,
  pageHeader,
  table,
} from '../widgets.ts';
import type { Alert, Rule, RuleGroup } from './rules_api.ts';

const STATES = ['firing', 'pending', 'inactive'] as const;
const KIND = { firing: 'bad', pending: 'warn', inactive: 'ok' } as const;

function stateBadge(state: string): HTMLElement {
  return badge(state, KIND[state as keyof typeof KIND] ?? 'muted');
}

function alertsTable(alerts: Alert[]): HTMLElement {
  return table(
    ['Labels', 'State', 'Active since', 'Value', 'Annotations'],
    alerts.map((a) => [
      labelChips(a.labels),
      stateBadge(a.state),
      a.activeAt ? h('span', { title: a.activeAt }, timeAgo(a.activeAt)) : '-',
      a.value ?? '',
      h(
        'dl',
        { class: 'annotations' },
        Object.entries(a.annotations ?? {}).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
      ),
    ]),
  );
}

function ruleDetails(rule: Rule, group: RuleGroup): HTMLElement {
  const state = rule.state ?? 'inactive';
  const alerts = rule.alerts ?? [];
  const summary = h(
    'summary',
    null,
    stateBadge(state),
    ' ',
    h('strong', null, rule.name),
    ' ',
    h('span', { class: 'muted' }, `(${alerts.length} active) \u00b7 ${group.file} > ${group.name}`),
  );
  const def = h(
    'pre',
    { class: 'rule-def' },
    h(
      'code',
      null,
      [
        `alert: ${rule.name}\nexpr: ${rule.query}\n`,
        rule.duration ? `for: ${formatDuration(rule.duration)}\n` : '',
        rule.keepFiringFor ? `keep_firing_for: ${formatDuration(rule.keepFiringFor)}\n` : '',
        Object.keys(rule.labels ?? {}).length
          ? `labels:\n${Object.entries(rule.labels!).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`
          : '',
        Object.keys(rule.annotations ?? {}).length
          ? `annotations:\n${
            Object.entries(rule.annotations!).map(([k, v]) => `  ${k}: ${v}\n`).join('')
          }`
          : '',
      ].join(''),
    ),
  );
  return h(
    'details',
    { class: `alert-rule state-${state}`, open: state === 'firing' },
    summary,
    def,
    rule.lastError ? notice('error', rule.lastError) : null,
    alerts.length ? alertsTable(alerts) : null,
  );
}

/** The Alerts page. */
export const alertsPage: Page = {
  title: 'Alerts',
  render(main) {
    const body = h('div', null, loading());
    const shown = new Set<string>(STATES);
    let text = '';
    let groups: RuleGroup[] = [];
    const counts = h('div', { class: 'state-filters', role: 'group', 'aria-label': 'States' });
    replace(
      main,
      pageHeader(
        'Alerts',
        counts,
        filterInput('Filter by name or labels', '', (v) => ((text = v), draw())),
      ),
      body,
    );

    function draw() {
      const rules = groups.flatMap((g) =>
        g.rules.filter((r) => r.type === 'alerting').map((r) => [r, g] as const)
      );
      const n = (s: string) => rules.filter(([r]) => (r.state ?? 'inactive') === s).length;
      replace(
        counts,
        STATES.map((s) =>
          h(
            'label',
            { class: `state-filter state-${s}` },
            h('input', {
              type: 'checkbox',
              checked: shown.has(s),
              onchange: (
                e: Event,
              ) => ((e.target as HTMLInputElement).checked ? shown.add(s) : shown.delete(s),
                draw()),
            }),
            ` ${s[0].toUpperCase()}${s.slice(1)} (${n(s)})`,
          )
        ),
      );
      if (rules.length === 0) return replace(body, notice('info', 'No alerting rules are loaded.'));
      const t = text.toLowerCase();
      const list = rules.filter(([r]) =>
        shown.has(r.state ?? 'inactive') &&
        (!t ||
          (r.name + ' ' + JSON.stringify(r.labels ?? {}) + JSON.stringify(r.alerts ?? []))
            .toLowerCase().includes(t))
      );
      replace(
        body,
        list.length
          ? list.map(([r, g]) => ruleDetails(r, g))
          : h('p', { class: 'muted' }, 'No alerts match.'),
      );
    }

    api<{ groups: RuleGroup[] }>('rules', { type: 'alert' }).then(
      (r) => ((groups = r.data.groups ?? []), draw()),
      async (e) => {
        if (!isMissing(e)) return replace(body, errorNotice(e));
        // Without the rules API, a server may still list its alerts.
        try {
          const { data } = await api<{ alerts: Alert[] }>('alerts');
          replace(
            body,
            data.alerts.length ? alertsTable(data.alerts) : notice('info', 'No alerts.'),
          );
        } catch (e2) {
          replace(
            body,
            errorNotice(
              e2,
              'No alerting rules: this server does not evaluate rules (the rules API is not available).',
            ),
          );
        }
      },
    );
  },
};
