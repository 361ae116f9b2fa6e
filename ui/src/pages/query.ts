/**
 * The Query page: several panels whose state lives in the URL.
 * @module
 */
import { h, replace } from '../dom.ts';
import type { Page } from '../page.ts';
import { createPanel, type Panel } from '../query/panel.ts';
import { defaultPanel, panelsFromParams, type PanelState, panelsToParams } from '../query/state.ts';

/** The Query page. */
export const queryPage: Page = {
  title: 'Query',
  render(main, params) {
    const panels: Panel[] = [];
    const list = h('div', { class: 'panels' });
    const syncUrl = () => {
      const qs = panelsToParams(panels.map((p) => p.state)).toString();
      const url = `query${qs ? `?${qs}` : ''}`;
      if (new URL(url, document.baseURI).href !== location.href) {
        history.replaceState(null, '', url);
      }
    };
    const add = (state: PanelState) => {
      const panel: Panel = createPanel(state, syncUrl, () => {
        panels.splice(panels.indexOf(panel), 1);
        panel.destroy();
        if (panels.length === 0) add(defaultPanel());
        drawRemoveButtons();
        syncUrl();
      });
      panels.push(panel);
      list.appendChild(panel.el);
      return panel;
    };
    // A panel's remove button only shows when there are several panels.
    const drawRemoveButtons = () => main.classList.toggle('single-panel', panels.length === 1);
    replace(
      main,
      list,
      h('button', {
        type: 'button',
        class: 'add-panel',
        onclick: () => {
          const p = add(defaultPanel());
          drawRemoveButtons();
          syncUrl();
          p.el.querySelector<HTMLElement>('.cm-content')?.focus();
        },
      }, '+ Add panel'),
    );
    const initial = panelsFromParams(params);
    for (const s of initial) add(s);
    drawRemoveButtons();
    for (const p of panels) if (p.state.expr.trim()) p.execute();
    if (!initial.some((s) => s.expr)) {
      panels[0].el.querySelector<HTMLElement>('.cm-content')?.focus();
    }
    return () => {
      for (const p of panels) p.destroy();
      main.classList.remove('single-panel');
    };
  },
};
