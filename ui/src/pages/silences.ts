/**
 * Silences of Beacon's built-in routing, through the Alertmanager v2 API (`api/v2/silences`),
 * so the page works the same against Beacon's own routing as `amtool` does.
 * @module
 */
import { h, replace } from '../dom.ts';
import { fetchJson, isMissing } from '../api.ts';
import { formatDuration, parseDuration } from '../format.ts';
import type { Page } from '../page.ts';
import { badge, errorNotice, loading, notice, pageHeader, table } from '../widgets.ts';

/** A silence matcher as Alertmanager's API has it. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

interface Silence {
  id: string;
  status: { state: string };
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** Parses `{a="x", b=~"y.*"}` (braces optional) into matchers; throws on anything else. */
export function parseMatchers(text: string): SilenceMatcher[] {
  let t = text.trim();
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  const out: SilenceMatcher[] = [];
  while (re.lastIndex < t.length) {
    const m = re.exec(t);
    if (!m) {
      throw new Error(`cannot parse matchers near "${t.slice(re.lastIndex, re.lastIndex + 20)}"`);
    }
    out.push({
      name: m[1],
      value: JSON.parse(`"${m[3]}"`),
      isRegex: m[2].includes('~'),
      isEqual: !m[2].startsWith('!'),
    });
    if (m[4] === '') break;
  }
  if (out.length === 0) throw new Error('at least one matcher is needed');
  return out;
}

function matcherText(m: SilenceMatcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : (m.isEqual ? '=' : '!=');
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

const KIND: Record<string, 'ok' | 'warn' | 'muted'> = {
  active: 'ok',
  pending: 'warn',
  expired: 'muted',
};

/** The Silences page. */
export const silencesPage: Page = {
  title: 'Silences',
  render(main) {
    const body = h('div', null, loading());
    const formHost = h('div', null);
    replace(main, pageHeader('Silences'), formHost, body);

    const load = () =>
      fetchJson<Silence[]>('api/v2/silences').then(
        (list) => {
          replace(formHost, createForm());
          drawList(list);
        },
        (e) =>
          replace(
            body,
            errorNotice(
              e,
              [
                h('strong', null, 'Built-in routing not enabled. '),
                'Silences belong to Beacon\u2019s own alert routing (a ',
                h('code', null, 'route'),
                ' section in the config); this server does not serve the silences API. With an external Alertmanager, manage silences there.',
              ],
            ),
          ),
      );

    function drawList(list: Silence[]) {
      if (list.length === 0) return replace(body, notice('info', 'No silences.'));
      const order = ['active', 'pending', 'expired'];
      replace(
        body,
        order.map((state) => {
          const group = list.filter((s) => s.status.state === state);
          if (group.length === 0) return null;
          return h(
            'section',
            null,
            h('h2', null, `${state[0].toUpperCase()}${state.slice(1)} (${group.length})`),
            table(
              ['Matchers', 'State', 'Starts', 'Ends', 'Created by', 'Comment', ''],
              group.map((s) => [
                h('code', null, s.matchers.map(matcherText).join(', ')),
                badge(s.status.state, KIND[s.status.state] ?? 'muted'),
                s.startsAt,
                s.endsAt,
                s.createdBy,
                s.comment,
                state === 'expired' ? '' : h('button', {
                  type: 'button',
                  class: 'danger',
                  onclick: () => expire(s.id),
                }, 'Expire'),
              ]),
              'silences',
            ),
          );
        }),
      );
    }

    async function expire(id: string) {
      try {
        await fetchJson(`api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
        await load();
      } catch (e) {
        replace(body, errorNotice(e));
      }
    }

    function createForm(): HTMLElement {
      const status = h('div', { 'aria-live': 'polite' });
      const field = (label: string, input: HTMLElement) =>
        h('label', { class: 'field' }, h('span', null, label), input);
      const matchers = h('input', {
        name: 'matchers',
        required: true,
        placeholder: '{alertname="HighLatency", job="api"}',
      });
      const duration = h('input', { name: 'duration', required: true, value: '2h' });
      const createdBy = h('input', { name: 'createdBy', required: true, placeholder: 'your name' });
      const comment = h('input', { name: 'comment', required: true, placeholder: 'why' });
      return h(
        'form',
        {
          class: 'silence-form card',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            try {
              const secs = parseDuration(duration.value);
              if (!(secs > 0)) throw new Error(`invalid duration "${duration.value}"`);
              const now = Date.now();
              const body = {
                matchers: parseMatchers(matchers.value),
                startsAt: new Date(now).toISOString(),
                endsAt: new Date(now + secs * 1000).toISOString(),
                createdBy: createdBy.value,
                comment: comment.value,
              };
              const res = await fetchJson<{ silenceID: string }>('api/v2/silences', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
              });
              replace(
                status,
                notice('info', `Created silence ${res.silenceID} for ${formatDuration(secs)}.`),
              );
              await load();
            } catch (err) {
              replace(status, errorNotice(err));
            }
          },
        },
        h('h2', null, 'New silence'),
        h(
          'div',
          { class: 'fields' },
          field('Matchers', matchers),
          field('Duration', duration),
          field('Created by', createdBy),
          field('Comment', comment),
        ),
        h('button', { type: 'submit', class: 'primary' }, 'Create silence'),
        status,
      );
    }

    load().catch((e) =>
      replace(body, isMissing(e) ? notice('info', 'Not available.') : errorNotice(e))
    );
  },
};
