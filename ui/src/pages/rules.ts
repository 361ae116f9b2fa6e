/**
 * Rules: rule groups with each rule's health, last evaluation, duration and error.
 * @module
 */
import { h, replace } from '../dom.ts';
import { api } from '../api.ts';
import { formatDuration, formatSeconds, timeAgo } from '../format.ts';
import type { Page } from '../page.ts';
import {
  errorNotice,
  healthBadge,
  labelChips,
  loading,
  notice,
  pageHeader,
  table,
} from '../widgets.ts';
import type { Rule, RuleGroup } from './rules_api.ts';

function ruleCell(r: Rule): HTMLElement {
  return h(
    'div',
    { class: 'rule' },
    h(
      'div',
      null,
      h('span', { class: 'muted' }, r.type === 'alerting' ? 'alert: ' : 'record: '),
      h('strong', null, r.name),
    ),
    h('div', null, h('span', { class: 'muted' }, 'expr: '), h('code', null, r.query)),
    r.duration
      ? h('div', null, h('span', { class: 'muted' }, 'for: '), formatDuration(r.duration))
      : null,
    Object.keys(r.labels ?? {}).length ? labelChips(r.labels!) : null,
  );
}

/** The Rules page. */
export const rulesPage: Page = {
  title: 'Rules',
  render(main) {
    const body = h('div', null, loading());
    replace(main, pageHeader('Rules'), body);
    api<{ groups: RuleGroup[] }>('rules').then(
      ({ data }) => {
        const groups = data.groups ?? [];
        if (groups.length === 0) return replace(body, notice('info', 'No rule groups are loaded.'));
        replace(
          body,
          groups.map((g) =>
            h(
              'section',
              { class: 'rule-group' },
              h(
                'h2',
                null,
                g.name,
                ' ',
                h(
                  'span',
                  { class: 'muted count' },
                  `${g.file} \u00b7 every ${formatDuration(g.interval)} \u00b7 last evaluated ${
                    g.lastEvaluation ? timeAgo(g.lastEvaluation) : 'never'
                  } in ${formatSeconds(g.evaluationTime ?? NaN)}`,
                ),
              ),
              table(
                ['Rule', 'Health', 'Last evaluation', 'Evaluation time', 'Error'],
                g.rules.map((r) => [
                  ruleCell(r),
                  healthBadge(r.health),
                  r.lastEvaluation ? timeAgo(r.lastEvaluation) : 'never',
                  formatSeconds(r.evaluationTime ?? NaN),
                  r.lastError ? h('span', { class: 'error-text' }, r.lastError) : '',
                ]),
              ),
            )
          ),
        );
      },
      (e) =>
        replace(
          body,
          errorNotice(
            e,
            'No rules: this server does not evaluate rules (the rules API is not available).',
          ),
        ),
    );
  },
};
