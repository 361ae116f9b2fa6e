/**
 * Targets: every scrape pool with its targets' health, labels, last scrape, duration and error.
 * @module
 */
import { h, replace } from '../dom.ts';
import { api } from '../api.ts';
import { formatSeconds, timeAgo } from '../format.ts';
import type { Page } from '../page.ts';
import {
  errorNotice,
  filterInput,
  healthBadge,
  labelChips,
  loading,
  notice,
  pageHeader,
  table,
} from '../widgets.ts';

/** One active target as `/api/v1/targets` returns it. */
export interface ActiveTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: string;
  scrapeInterval: string;
  scrapeTimeout: string;
}

interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: { discoveredLabels: Record<string, string>; scrapePool: string }[];
  droppedTargetCounts: Record<string, number> | null;
}

/** Groups items by scrape pool, pools in name order. */
export function byPool<T extends { scrapePool: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const name of [...new Set(items.map((t) => t.scrapePool))].sort()) out.set(name, []);
  for (const t of items) out.get(t.scrapePool)!.push(t);
  return out;
}

function matches(t: ActiveTarget, text: string): boolean {
  if (!text) return true;
  const hay = [
    t.scrapeUrl,
    t.lastError,
    ...Object.entries(t.labels).map(([k, v]) => `${k}="${v}" ${k}=${v}`),
  ]
    .join(' ').toLowerCase();
  return text.toLowerCase().split(/\s+/).every((w) => hay.includes(w));
}

/** The Targets page. */
export const targetsPage: Page = {
  title: 'Targets',
  render(main) {
    let data: TargetsData | undefined;
    let text = '';
    let health = 'all';
    const collapsed = new Set<string>();
    const body = h('div', null, loading());
    const healthSelect = h(
      'select',
      {
        'aria-label': 'Health',
        onchange: (e: Event) => ((health = (e.target as HTMLSelectElement).value), draw()),
      },
      h('option', { value: 'all' }, 'All health'),
      h('option', { value: 'up' }, 'Up'),
      h('option', { value: 'down' }, 'Down'),
      h('option', { value: 'unknown' }, 'Unknown'),
    );
    const refresh = () =>
      api<TargetsData>('targets', { state: 'active' }).then(
        (r) => ((data = r.data), draw()),
        (e) => replace(body, errorNotice(e)),
      );
    replace(
      main,
      pageHeader(
        'Targets',
        filterInput('Filter by endpoint or labels', '', (v) => ((text = v), draw())),
        healthSelect,
        h('button', { type: 'button', onclick: refresh }, 'Refresh'),
      ),
      body,
    );

    function draw() {
      if (!data) return;
      const pools = byPool(data.activeTargets);
      if (pools.size === 0) return replace(body, notice('info', 'No targets are configured.'));
      const now = Date.now();
      replace(
        body,
        [...pools].map(([pool, targets]) => {
          const up = targets.filter((t) => t.health === 'up').length;
          const shown = targets.filter((t) =>
            (health === 'all' || t.health === health) && matches(t, text)
          );
          if (shown.length === 0 && (text || health !== 'all')) return null;
          const open = !collapsed.has(pool);
          return h(
            'section',
            { class: 'pool', 'data-pool': pool },
            h(
              'h2',
              null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'disclosure',
                  'aria-expanded': String(open),
                  onclick: () => (open ? collapsed.add(pool) : collapsed.delete(pool), draw()),
                },
                pool,
              ),
              ' ',
              h(
                'span',
                { class: up === targets.length ? 'count ok' : 'count bad' },
                `${up} / ${targets.length} up`,
              ),
            ),
            open && table(
              ['Endpoint', 'Labels', 'Last scrape', 'Duration', 'State', 'Error'],
              shown.map((t) => [
                h(
                  'a',
                  { href: t.globalUrl || t.scrapeUrl, 'data-external': '', rel: 'noreferrer' },
                  t.scrapeUrl,
                ),
                labelChips(t.labels),
                h('span', { title: t.lastScrape }, timeAgo(t.lastScrape, now)),
                formatSeconds(t.lastScrapeDuration),
                healthBadge(t.health),
                t.lastError ? h('span', { class: 'error-text' }, t.lastError) : '',
              ]),
              'targets',
            ),
          );
        }),
      );
    }
    refresh();
  },
};
