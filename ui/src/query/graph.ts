/**
 * The Graph view: a range query answer drawn with uPlot, as lines or stacked, with a legend
 * that shows the values under the cursor.
 * @module
 */
import uPlot from 'uplot';
import { h } from '../dom.ts';
import { seriesName } from '../format.ts';
import type { RangeSeries } from './result.ts';

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Series colour by index: the palette first, then spread hues. */
export function colour(i: number): string {
  return i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.508) % 360}, 60%, 50%)`;
}

function num(v: string): number | null {
  const n = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Aligns series on the query's step grid; missing steps are null (gaps). */
export function alignSeries(
  result: RangeSeries[],
  start: number,
  end: number,
  step: number,
): { xs: number[]; ys: (number | null)[][] } {
  const n = Math.max(1, Math.floor((end - start) / step + 1e-9) + 1);
  const xs = Array.from({ length: n }, (_, i) => start + i * step);
  const ys = result.map((s) => {
    const col: (number | null)[] = new Array(n).fill(null);
    for (const [t, v] of s.values ?? []) {
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < n) col[i] = num(v);
    }
    return col;
  });
  return { xs, ys };
}

/** Indices of values with no neighbour: a line cannot show them, so they are drawn as points. */
export function isolated(col: (number | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) {
    if (col[i] !== null && (col[i - 1] ?? null) === null && (col[i + 1] ?? null) === null) {
      out.push(i);
    }
  }
  return out;
}

/** Cumulative sums for a stacked graph; a gap counts as zero below the series above it. */
export function stack(ys: (number | null)[][]): (number | null)[][] {
  const acc = ys.length ? new Array(ys[0].length).fill(0) : [];
  return ys.map((col) => col.map((v, i) => (v === null ? null : (acc[i] += v))));
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(3)
    : String(+v.toPrecision(6));
}

/** Draws the graph into `host`; returns a function that removes it. */
export function drawGraph(
  host: HTMLElement,
  result: RangeSeries[],
  opts: { start: number; end: number; step: number; stacked: boolean },
): () => void {
  const { xs, ys } = alignSeries(result, opts.start, opts.end, opts.step);
  const drawn = opts.stacked ? stack(ys) : ys;
  const axis = {
    stroke: cssVar('--fg-muted'),
    grid: { stroke: cssVar('--grid'), width: 1 },
    ticks: { stroke: cssVar('--grid') },
  };
  const bands: uPlot.Band[] = [];
  if (opts.stacked) { for (let i = 2; i <= ys.length; i++) bands.push({ series: [i, i - 1] }); }
  const chartHost = h('div', {
    class: 'graph',
    role: 'img',
    'aria-label': `Graph of ${result.length} series`,
  });
  host.appendChild(chartHost);
  const plot = new uPlot(
    {
      width: Math.max(300, host.clientWidth || 800),
      height: 320,
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 70, values: (_u, vals) => vals.map((v) => fmt(v)) }],
      legend: { live: true },
      cursor: { focus: { prox: 16 } },
      focus: { alpha: 0.4 },
      bands,
      series: [
        { label: 'Time' },
        ...result.map((s, i) => ({
          label: seriesName(s.metric),
          stroke: colour(i),
          width: 1.5,
          fill: opts.stacked ? `${colour(i)}55` : undefined,
          points: { show: true, size: 5, fill: colour(i), filter: isolated(drawn[i]) },
          // The legend shows the series' own value, not the stacked sum.
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) =>
            fmt(idx === null ? null : ys[i][idx]),
        })),
      ],
    },
    [xs, ...drawn] as uPlot.AlignedData,
    chartHost,
  );
  const resize = new ResizeObserver(() => {
    const w = host.clientWidth;
    if (w > 0 && Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height: 320 });
  });
  resize.observe(host);
  return () => {
    resize.disconnect();
    plot.destroy();
    chartHost.remove();
  };
}
