/**
 * Service discovery: discovered labels beside the labels relabelling produced, and dropped targets.
 * @module
 */
import { h, replace } from '../dom.ts';
import { api } from '../api.ts';
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
import { type ActiveTarget, byPool } from './targets.ts';

interface Row {
  scrapePool: string;
  discoveredLabels: Record<string, string>;
  labels?: Record<string, string>;
}

interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: Row[];
  droppedTargetCounts: Record<string, number> | null;
}

/** The Service discovery page. */
export const discoveryPage: Page = {
  title: 'Service discovery',
  render(main) {
    let data: TargetsData | undefined;
    let text = '';
    const body = h('div', null, loading());
    replace(
      main,
      pageHeader(
        'Service discovery',
        filterInput('Filter by labels', '', (v) => ((text = v), draw())),
      ),
      body,
    );
    api<TargetsData>('targets', { state: 'any' }).then(
      (r) => ((data = r.data), draw()),
      (e) => replace(body, errorNotice(e)),
    );

    function draw() {
      if (!data) return;
      const rows: Row[] = [...data.activeTargets, ...data.droppedTargets];
      const pools = byPool(rows);
      for (const p of Object.keys(data.droppedTargetCounts ?? {})) {
        if (!pools.has(p)) pools.set(p, []);
      }
      if (pools.size === 0) return replace(body, notice('info', 'No scrape pools are configured.'));
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      const keep = (r: Row) => {
        const hay = Object.entries({ ...r.discoveredLabels, ...r.labels }).map(([k, v]) =>
          `${k}="${v}" ${k}=${v}`
        )
          .join(' ').toLowerCase();
        return words.every((w) => hay.includes(w));
      };
      replace(
        body,
        h(
          'nav',
          { class: 'toc', 'aria-label': 'Scrape pools' },
          [...pools.keys()].map((p) =>
            h('a', { href: `#sd-${encodeURIComponent(p)}`, 'data-external': '' }, p)
          ),
        ),
        [...pools].map(([pool, list]) => {
          const active = list.filter((r) => r.labels).length;
          const total = active + (data!.droppedTargetCounts?.[pool] ?? list.length - active);
          const shown = list.filter(keep);
          return h(
            'section',
            { class: 'pool', id: `sd-${encodeURIComponent(pool)}` },
            h(
              'h2',
              null,
              pool,
              ' ',
              h('span', { class: 'count' }, `${active} / ${total} active targets`),
            ),
            shown.length === 0 ? h('p', { class: 'muted' }, 'No targets match.') : table(
              ['Discovered labels', 'Target labels'],
              shown.map((r) => [
                labelChips(r.discoveredLabels),
                r.labels ? labelChips(r.labels) : badge('Dropped', 'muted'),
              ]),
              'sd',
            ),
          );
        }),
      );
    }
  },
};
