/**
 * One query panel: the editor, the Table and Graph views, their controls and the query stats.
 * @module
 */
import { h, replace } from '../dom.ts';
import { api } from '../api.ts';
import { formatDuration, fromInputTime, parseDuration } from '../format.ts';
import { errorNotice, notice } from '../widgets.ts';
import { createEditor } from './editor.ts';
import { drawGraph } from './graph.ts';
import { type QueryData, type RangeSeries, resultTable, seriesCount } from './result.ts';
import type { PanelState } from './state.ts';

const RANGES = [
  '1m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '6h',
  '12h',
  '1d',
  '2d',
  '1w',
  '2w',
  '4w',
  '8w',
  '1y',
];

/** A mounted panel. */
export interface Panel {
  el: HTMLElement;
  state: PanelState;
  execute(): Promise<void>;
  destroy(): void;
}

/** The resolution Prometheus's UI picks for a range: about 250 points, at least one second. */
export function autoStep(rangeSeconds: number): number {
  return Math.max(1, Math.floor(rangeSeconds / 250));
}

/** Creates a panel; `onChange` is called when its URL-visible state changes. */
export function createPanel(
  state: PanelState,
  onChange: () => void,
  onRemove: (() => void) | null,
): Panel {
  let clearGraph: (() => void) | undefined;
  let seq = 0;
  const output = h('div', { class: 'output', 'aria-live': 'polite' });
  const stats = h('div', { class: 'stats muted' });
  const editorHost = h('div', { class: 'editor' });
  const changed = () => onChange();

  const tabButton = (tab: PanelState['tab'], label: string) =>
    h('button', {
      type: 'button',
      role: 'tab',
      'aria-selected': String(state.tab === tab),
      class: 'tab',
      onclick: () => {
        if (state.tab === tab) return;
        state.tab = tab;
        drawControls();
        changed();
        if (state.expr) execute();
        else replace(output);
      },
    }, label);

  const controls = h('div', { class: 'panel-controls' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });

  function timeInput(value: string, label: string, set: (v: string) => void) {
    return h('input', {
      type: 'datetime-local',
      step: '1',
      value,
      'aria-label': label,
      title: `${label} (UTC); empty means now`,
      onchange: (e: Event) => (set((e.target as HTMLInputElement).value), changed(), execute()),
    });
  }

  function drawControls() {
    replace(tabs, tabButton('table', 'Table'), tabButton('graph', 'Graph'));
    if (state.tab === 'table') {
      replace(
        controls,
        h(
          'label',
          null,
          'Evaluation time ',
          timeInput(state.moment, 'Evaluation time', (v) => (state.moment = v)),
        ),
        h('button', {
          type: 'button',
          onclick: () => ((state.moment = ''), drawControls(), changed(), execute()),
        }, 'Now'),
      );
      return;
    }
    const rangeInput = h('input', {
      class: 'range',
      value: state.range,
      size: 5,
      'aria-label': 'Range',
      onchange: (e: Event) => {
        const v = (e.target as HTMLInputElement).value.trim();
        if (parseDuration(v) > 0) state.range = v;
        drawControls();
        changed();
        execute();
      },
    });
    const shiftRange = (dir: number) => {
      const cur = parseDuration(state.range);
      const secs = RANGES.map(parseDuration);
      const next = dir > 0 ? secs.find((s) => s > cur) : [...secs].reverse().find((s) => s < cur);
      if (next) state.range = formatDuration(next);
      drawControls();
      changed();
      execute();
    };
    const modeButton = (mode: PanelState['mode'], label: string) =>
      h('button', {
        type: 'button',
        'aria-pressed': String(state.mode === mode),
        onclick: () => ((state.mode = mode), drawControls(), changed(), execute()),
      }, label);
    replace(
      controls,
      h(
        'div',
        { class: 'group' },
        h('button', {
          type: 'button',
          'aria-label': 'Shorter range',
          onclick: () => shiftRange(-1),
        }, '\u2212'),
        rangeInput,
        h(
          'button',
          { type: 'button', 'aria-label': 'Longer range', onclick: () => shiftRange(1) },
          '+',
        ),
      ),
      h('label', null, 'End ', timeInput(state.end, 'End time', (v) => (state.end = v))),
      h(
        'label',
        null,
        'Resolution ',
        h('input', {
          class: 'step',
          size: 6,
          value: state.step,
          placeholder: 'auto',
          'aria-label': 'Resolution in seconds',
          onchange: (
            e: Event,
          ) => ((state.step = (e.target as HTMLInputElement).value.trim()), changed(), execute()),
        }),
        's',
      ),
      h(
        'div',
        { class: 'group', role: 'group', 'aria-label': 'Display' },
        modeButton('lines', 'Lines'),
        modeButton('stacked', 'Stacked'),
      ),
    );
  }

  async function execute() {
    const expr = editor.value().trim();
    state.expr = editor.value();
    changed();
    clearGraph?.();
    clearGraph = undefined;
    if (!expr) {
      replace(output, notice('info', 'Enter an expression to run.'));
      replace(stats);
      return;
    }
    const mine = ++seq;
    replace(stats, 'Running\u2026');
    const t0 = performance.now();
    try {
      if (state.tab === 'table') {
        const time = fromInputTime(state.moment);
        const params: Record<string, string> = { query: expr, stats: 'all' };
        if (Number.isFinite(time)) params.time = String(time);
        const res = await api<QueryData & { stats?: unknown }>('query', params);
        if (mine !== seq) return;
        showStats(performance.now() - t0, seriesCount(res.data), res.data.stats);
        replace(output, warnings(res.warnings, res.infos), resultTable(res.data));
      } else {
        const range = parseDuration(state.range) || 3600;
        const endInput = fromInputTime(state.end);
        const end = Number.isFinite(endInput) ? endInput : Math.floor(Date.now() / 1000);
        const start = end - range;
        const userStep = parseDuration(state.step);
        const step = userStep > 0 ? userStep : autoStep(range);
        const res = await api<QueryData & { stats?: unknown }>('query_range', {
          query: expr,
          start: String(start),
          end: String(end),
          step: String(step),
          stats: 'all',
        });
        if (mine !== seq) return;
        showStats(performance.now() - t0, seriesCount(res.data), res.data.stats, step);
        replace(output, warnings(res.warnings, res.infos));
        if (res.data.resultType !== 'matrix') {
          output.appendChild(resultTable(res.data));
        } else if ((res.data.result as RangeSeries[]).length === 0) {
          output.appendChild(h('p', { class: 'muted empty-result' }, 'Empty query result'));
        } else {
          clearGraph = drawGraph(output, res.data.result as RangeSeries[], {
            start,
            end,
            step,
            stacked: state.mode === 'stacked',
          });
        }
      }
    } catch (e) {
      if (mine !== seq) return;
      replace(stats);
      replace(output, errorNotice(e));
    }
  }

  function showStats(ms: number, series: number, serverStats: unknown, step?: number) {
    const samples = (serverStats as { samples?: { totalQueryableSamples?: number } } | undefined)
      ?.samples
      ?.totalQueryableSamples;
    replace(
      stats,
      [
        `Load time: ${Math.round(ms)}ms`,
        step !== undefined ? `Resolution: ${formatDuration(step)}` : '',
        `Result series: ${series}`,
        samples !== undefined ? `Samples: ${samples}` : '',
      ].filter(Boolean).join(' \u00b7 '),
    );
  }

  function warnings(w?: string[], i?: string[]) {
    return [
      ...(w ?? []).map((x) => notice('error', `Warning: ${x}`)),
      ...(i ?? []).map((x) => notice('info', x)),
    ];
  }

  const diagnostics = h('div', { class: 'diagnostics', role: 'status' });
  const editor = createEditor(
    editorHost,
    state.expr,
    () => execute(),
    (v) => (state.expr = v),
    (messages) => replace(diagnostics, messages.map((m) => h('div', null, m))),
  );
  drawControls();
  const el = h(
    'section',
    { class: 'panel card', 'aria-label': 'Query panel' },
    h(
      'div',
      { class: 'editor-row' },
      editorHost,
      h(
        'button',
        { type: 'button', class: 'primary execute', onclick: () => execute() },
        'Execute',
      ),
    ),
    diagnostics,
    h('div', { class: 'panel-bar' }, tabs, stats),
    controls,
    output,
    onRemove &&
      h(
        'div',
        { class: 'panel-foot' },
        h('button', { type: 'button', class: 'link', onclick: onRemove }, 'Remove panel'),
      ),
  );
  return {
    el,
    state,
    execute,
    destroy() {
      clearGraph?.();
      editor.destroy();
      el.remove();
    },
  };
}
