/// <reference lib="dom" />
/**
 * Entry point: the top bar, the theme switch and a history-API router over the pages.
 * Page paths are one segment below Beacon's root, so every link and API call is relative.
 * @module
 */
import { h, replace } from './dom.ts';
import type { Page } from './page.ts';
import { queryPage } from './pages/query.ts';
import { alertsPage } from './pages/alerts.ts';
import { rulesPage } from './pages/rules.ts';
import { targetsPage } from './pages/targets.ts';
import { discoveryPage } from './pages/discovery.ts';
import { statusPage } from './pages/status.ts';
import { silencesPage } from './pages/silences.ts';

const PAGES: Record<string, Page> = {
  query: queryPage,
  alerts: alertsPage,
  rules: rulesPage,
  targets: targetsPage,
  'service-discovery': discoveryPage,
  status: statusPage,
  silences: silencesPage,
};

// Prometheus's older paths land on the page that now holds them; the value is [page, section].
const ALIASES: Record<string, [string, string]> = {
  '': ['query', ''],
  graph: ['query', ''],
  flags: ['status', 'flags'],
  config: ['status', 'config'],
  'tsdb-status': ['status', 'tsdb'],
  runtimeinfo: ['status', 'runtime'],
  buildinfo: ['status', 'build'],
};

const NAV: [string, string][] = [
  ['query', 'Query'],
  ['alerts', 'Alerts'],
  ['rules', 'Rules'],
  ['targets', 'Targets'],
  ['service-discovery', 'Service discovery'],
  ['status', 'Status'],
  ['silences', 'Silences'],
];

const THEME_KEY = 'beacon.theme';

function currentTheme(): string {
  return document.documentElement.dataset.theme ?? 'light';
}

function setTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch { /* storage may be disabled */ }
}

function routeOf(): [string, string] {
  const base = new URL('.', document.baseURI).pathname;
  const seg = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '';
  const name = decodeURIComponent(seg.split('/')[0]);
  if (name in PAGES) return [name, location.hash.slice(1)];
  return ALIASES[name] ?? ['', name];
}

function start(): void {
  const app = document.getElementById('app')!;
  const links = new Map<string, HTMLAnchorElement>();
  const themeButton = h('button', {
    type: 'button',
    class: 'theme-toggle',
    title: 'Switch between light and dark theme',
    onclick: () => {
      setTheme(currentTheme() === 'dark' ? 'light' : 'dark');
      themeButton.textContent = themeLabel();
    },
  });
  const themeLabel = () => (currentTheme() === 'dark' ? '\u2600 Light' : '\u263e Dark');
  themeButton.textContent = themeLabel();
  const nav = h(
    'nav',
    { class: 'topbar', 'aria-label': 'Main' },
    h(
      'a',
      { class: 'brand', href: 'query' },
      h('span', { class: 'brand-dot', 'aria-hidden': 'true' }),
      'Beacon',
    ),
    h(
      'ul',
      null,
      NAV.map(([path, label]) => {
        const a = h('a', { href: path }, label);
        links.set(path, a);
        return h('li', null, a);
      }),
    ),
    themeButton,
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  replace(
    app,
    h('a', {
      class: 'skip',
      href: '#main',
      onclick: (e: Event) => (e.preventDefault(), main.focus()),
    }, 'Skip to content'),
    nav,
    main,
  );

  let cleanup: void | (() => void);
  const render = (focus: boolean) => {
    if (cleanup) cleanup();
    cleanup = undefined;
    const [name, section] = routeOf();
    for (const [path, a] of links) {
      if (path === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    replace(main);
    const page = PAGES[name];
    if (!page) {
      document.title = 'Not found - Beacon';
      replace(main, h('h1', null, 'Page not found'), h('p', null, 'Pick a page from the top bar.'));
      return;
    }
    document.title = `${page.title} - Beacon`;
    cleanup = page.render(main, new URLSearchParams(location.search), section);
    if (focus) main.focus({ preventScroll: true });
  };

  // Same-origin links below the root navigate in place; modified clicks keep browser behaviour.
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a');
    if (
      !a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey
    ) return;
    if (a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
    const url = new URL(a.href, location.href);
    const base = new URL('.', document.baseURI);
    if (url.origin !== location.origin || !url.pathname.startsWith(base.pathname)) return;
    const seg = url.pathname.slice(base.pathname.length).split('/')[0];
    if (!(seg in PAGES) && !(seg in ALIASES)) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    e.preventDefault();
    history.pushState(null, '', url);
    render(true);
  });
  addEventListener('popstate', () => render(false));
  render(false);
}

start();
