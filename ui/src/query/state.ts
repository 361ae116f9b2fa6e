/**
 * Query panels' state and its URL form (`g0.expr=…&g0.tab=graph…`), the parameter names
 * Prometheus's own UI uses, so a link reproduces what the user saw.
 * @module
 */

/** One panel's settings. */
export interface PanelState {
  expr: string;
  tab: 'table' | 'graph';
  /** Graph range, a duration such as `1h`. */
  range: string;
  /** Graph end time (UTC, `YYYY-MM-DDTHH:MM:SS`); empty means now. */
  end: string;
  /** Table evaluation time (UTC); empty means now. */
  moment: string;
  /** Graph resolution in seconds; empty means automatic. */
  step: string;
  mode: 'lines' | 'stacked';
}

/** A fresh panel. */
export function defaultPanel(expr = ''): PanelState {
  return { expr, tab: 'table', range: '1h', end: '', moment: '', step: '', mode: 'lines' };
}

// Prometheus writes times as "YYYY-MM-DD HH:MM:SS"; the inputs want a "T".
function timeParam(v: string | null): string {
  return v ? v.trim().replace(' ', 'T').replace(/Z$/, '').slice(0, 19) : '';
}

/** Reads the panels from URL parameters (one empty panel when there are none). */
export function panelsFromParams(params: URLSearchParams): PanelState[] {
  const out: PanelState[] = [];
  for (let i = 0; params.has(`g${i}.expr`); i++) {
    const g = (k: string) => params.get(`g${i}.${k}`);
    const tab = g('tab');
    const mode = g('display_mode') ?? (g('stacked') === '1' ? 'stacked' : 'lines');
    out.push({
      expr: g('expr') ?? '',
      // Prometheus 2 numbered its tabs: 0 graph, 1 table.
      tab: tab === 'graph' || tab === '0' ? 'graph' : 'table',
      range: g('range_input') || '1h',
      end: timeParam(g('end_input')),
      moment: timeParam(g('moment_input')),
      step: g('step_input') ?? '',
      mode: mode === 'stacked' ? 'stacked' : 'lines',
    });
  }
  return out.length ? out : [defaultPanel()];
}

/** Writes the panels as URL parameters. */
export function panelsToParams(panels: PanelState[]): URLSearchParams {
  const p = new URLSearchParams();
  panels.forEach((s, i) => {
    p.set(`g${i}.expr`, s.expr);
    p.set(`g${i}.tab`, s.tab);
    if (s.tab === 'graph') {
      p.set(`g${i}.range_input`, s.range);
      if (s.end) p.set(`g${i}.end_input`, s.end.replace('T', ' '));
      if (s.step) p.set(`g${i}.step_input`, s.step);
      p.set(`g${i}.display_mode`, s.mode);
    } else if (s.moment) {
      p.set(`g${i}.moment_input`, s.moment.replace('T', ' '));
    }
  });
  return p;
}
