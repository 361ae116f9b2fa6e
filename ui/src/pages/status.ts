/**
 * Status: build and runtime information, flags, the effective config and TSDB statistics.
 * @module
 */
import { type Child, h, replace } from '../dom.ts';
import { api } from '../api.ts';
import type { Page } from '../page.ts';
import { errorNotice, filterInput, kvTable, loading, table } from '../widgets.ts';

interface StatEntry {
  name: string;
  value: number;
}

interface TsdbStatus {
  headStats?: Record<string, number>;
  seriesCountByMetricName?: StatEntry[];
  labelValueCountByLabelName?: StatEntry[];
  memoryInBytesByLabelName?: StatEntry[];
  seriesCountByLabelValuePair?: StatEntry[];
}

const TOP_LISTS: [keyof TsdbStatus, string, string][] = [
  ['seriesCountByMetricName', 'Top series count by metric name', 'Metric name'],
  ['labelValueCountByLabelName', 'Top label names with value count', 'Label name'],
  ['memoryInBytesByLabelName', 'Top label names with memory used (bytes)', 'Label name'],
  ['seriesCountByLabelValuePair', 'Top series count by label value pairs', 'Label pair'],
];

function section(id: string, title: string, body: HTMLElement): HTMLElement {
  return h(
    'section',
    { id, class: 'status-section', 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title),
    body,
  );
}

function show(el: HTMLElement, load: () => Promise<Child>) {
  load().then(
    (c) => replace(el, c),
    (e) => replace(el, errorNotice(e, 'Not available on this server.')),
  );
}

function valueText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

function headTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '-';
  return new Date(ms).toISOString();
}

/** The Status page; `section` (build, runtime, flags, config, tsdb) scrolls to one part. */
export const statusPage: Page = {
  title: 'Status',
  render(main, _params, target) {
    const build = h('div', null, loading());
    const runtime = h('div', null, loading());
    const flags = h('div', null, loading());
    const config = h('div', null, loading());
    const tsdb = h('div', null, loading());
    replace(
      main,
      h('div', { class: 'page-header' }, h('h1', null, 'Status')),
      h(
        'nav',
        { class: 'toc', 'aria-label': 'Sections' },
        [['build', 'Build'], ['runtime', 'Runtime'], ['flags', 'Flags'], [
          'config',
          'Configuration',
        ], [
          'tsdb',
          'TSDB',
        ]].map(([id, t]) => h('a', { href: `#${id}`, 'data-external': '' }, t)),
      ),
      section('build', 'Build information', build),
      section('runtime', 'Runtime information', runtime),
      section('flags', 'Command-line flags', flags),
      section('config', 'Configuration', config),
      section('tsdb', 'TSDB status', tsdb),
    );
    show(build, async () => {
      const { data } = await api<Record<string, unknown>>('status/buildinfo');
      return kvTable(Object.entries(data).map(([k, v]) => [k, valueText(v)]));
    });
    show(runtime, async () => {
      const { data } = await api<Record<string, unknown>>('status/runtimeinfo');
      return kvTable(Object.entries(data).map(([k, v]) => [k, valueText(v)]));
    });
    show(flags, async () => {
      const { data } = await api<Record<string, string>>('status/flags');
      const rows = Object.keys(data).sort();
      const out = h('div', null);
      const draw = (text: string) =>
        replace(
          out,
          table(
            ['Flag', 'Value'],
            rows.filter((k) => (k + ' ' + data[k]).toLowerCase().includes(text.toLowerCase())).map((
              k,
            ) => [h('code', null, `--${k}`), data[k]]),
          ),
        );
      draw('');
      return [filterInput('Filter flags', '', draw), out];
    });
    show(config, async () => {
      const { data } = await api<{ yaml: string }>('status/config');
      const pre = h('pre', { class: 'config', tabindex: '0' }, h('code', null, data.yaml));
      const copy = h('button', {
        type: 'button',
        onclick: () =>
          navigator.clipboard?.writeText(data.yaml).then(() => (copy.textContent = 'Copied')),
      }, 'Copy to clipboard');
      return [copy, pre];
    });
    show(tsdb, async () => {
      const { data } = await api<TsdbStatus>('status/tsdb');
      const head = data.headStats ?? {};
      return [
        h('h3', null, 'Head'),
        kvTable([
          ['Number of series', String(head.numSeries ?? '-')],
          ['Number of chunks', String(head.chunkCount ?? '-')],
          ['Number of label pairs', String(head.numLabelPairs ?? '-')],
          ['Min time', headTime(head.minTime)],
          ['Max time', headTime(head.maxTime)],
        ]),
        TOP_LISTS.map(([key, title, col]) => {
          const list = (data[key] ?? []) as StatEntry[];
          return [
            h('h3', null, title),
            table([col, 'Count'], list.map((e) => [e.name, String(e.value)])),
          ];
        }),
      ];
    });
    if (target) {
      queueMicrotask(() => document.getElementById(target)?.scrollIntoView());
    }
  },
};
