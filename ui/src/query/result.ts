/**
 * The shapes of query results, and the Table view that lists them.
 * @module
 */
import { type Child, h } from '../dom.ts';
import { formatTime, seriesName } from '../format.ts';
import { table } from '../widgets.ts';

/** A native histogram sample value. */
export interface Histogram {
  count: string;
  sum: string;
}

/** One series of a vector result. */
export interface InstantSample {
  metric: Record<string, string>;
  value?: [number, string];
  histogram?: [number, Histogram];
}

/** One series of a matrix result. */
export interface RangeSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  histograms?: [number, Histogram][];
}

/** The `data` of a query answer. */
export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: string; result: unknown };

const MAX_ROWS = 10_000;

function histText(hg: Histogram): string {
  return `count: ${hg.count}, sum: ${hg.sum}`;
}

/** How many series (or one, for scalars and strings) an answer holds. */
export function seriesCount(data: QueryData): number {
  return Array.isArray(data.result) &&
      (data.resultType === 'vector' || data.resultType === 'matrix')
    ? data.result.length
    : 1;
}

/** Renders an instant (or range) query answer as a table. */
export function resultTable(data: QueryData): HTMLElement {
  let rows: Child[][];
  switch (data.resultType) {
    case 'vector':
      rows = (data.result as InstantSample[]).slice(0, MAX_ROWS).map((s) => [
        h('code', { class: 'series' }, seriesName(s.metric)),
        s.value ? s.value[1] : s.histogram ? histText(s.histogram[1]) : '',
      ]);
      break;
    case 'matrix':
      rows = (data.result as RangeSeries[]).slice(0, MAX_ROWS).map((s) => [
        h('code', { class: 'series' }, seriesName(s.metric)),
        h(
          'div',
          { class: 'samples' },
          (s.values ?? []).map(([t, v]) => h('div', null, `${v} @${t}`)),
          (s.histograms ?? []).map(([t, hg]) => h('div', null, `${histText(hg)} @${t}`)),
        ),
      ]);
      break;
    case 'scalar':
    case 'string': {
      const [t, v] = data.result as [number, string];
      rows = [[h('span', { class: 'muted' }, `${data.resultType} at ${formatTime(t)}`), v]];
      break;
    }
    default:
      rows = [[data.resultType, JSON.stringify(data.result)]];
  }
  if (rows.length === 0) return h('p', { class: 'muted empty-result' }, 'Empty query result');
  const more = seriesCount(data) > MAX_ROWS
    ? h('p', { class: 'muted' }, `Showing the first ${MAX_ROWS} series.`)
    : null;
  return h('div', null, table(['Series', 'Value'], rows, 'results'), more);
}
