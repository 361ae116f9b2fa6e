/**
 * Small building blocks shared by the pages: label chips, badges, notices, tables.
 * @module
 */
import { type Child, h } from './dom.ts';
import { ApiFailure, isMissing } from './api.ts';

/** Label pairs as chips (`name="value"`). */
export function labelChips(labels: Record<string, string>): HTMLElement {
  return h(
    'div',
    { class: 'chips' },
    Object.keys(labels).sort().map((k) =>
      h('span', { class: 'chip' }, h('span', { class: 'chip-k' }, k), '=', labels[k])
    ),
  );
}

/** A coloured badge; `kind` is ok, warn, bad or muted. */
export function badge(text: string, kind: 'ok' | 'warn' | 'bad' | 'muted'): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

/** The badge for a target or rule health (`up`/`ok`, `down`/`err`, `unknown`). */
export function healthBadge(health: string): HTMLElement {
  const h2 = health.toLowerCase();
  const kind = h2 === 'up' || h2 === 'ok' ? 'ok' : h2 === 'unknown' ? 'muted' : 'bad';
  return badge(h2 || 'unknown', kind);
}

/** A notice box (info or error). */
export function notice(kind: 'info' | 'error', ...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    ...children,
  );
}

/** An error notice for a failed API call, or `missing` when the endpoint does not exist. */
export function errorNotice(e: unknown, missing?: Child): HTMLElement {
  if (missing !== undefined && isMissing(e)) return notice('info', missing);
  if (e instanceof ApiFailure) {
    return notice('error', h('strong', null, `Error (${e.errorType}): `), e.message);
  }
  return notice('error', h('strong', null, 'Error: '), String((e as Error)?.message ?? e));
}

/** A table from a header row and body rows. */
export function table(head: Child[], rows: Child[][], cls = ''): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: cls },
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))),
    ),
  );
}

/** A key/value table. */
export function kvTable(entries: [string, Child][]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        null,
        entries.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v))),
      ),
    ),
  );
}

/** A page heading with optional controls on the right. */
export function pageHeader(title: string, ...controls: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'page-header' },
    h('h1', null, title),
    h('div', { class: 'controls' }, ...controls),
  );
}

/** A text input that calls `onInput` as the user types. */
export function filterInput(
  placeholder: string,
  value: string,
  onInput: (v: string) => void,
): HTMLInputElement {
  return h('input', {
    type: 'search',
    class: 'filter',
    placeholder,
    'aria-label': placeholder,
    value,
    oninput: (e: Event) => onInput((e.target as HTMLInputElement).value),
  });
}

/** "Loading…" placeholder. */
export function loading(): HTMLElement {
  return h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading\u2026');
}
