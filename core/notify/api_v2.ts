/**
 * Alertmanager's API v2 over Beacon's built-in router (`/status`, `/receivers`, `/alerts`,
 * `/alerts/groups`, `/silences`, `/silence/{id}`), with Alertmanager's JSON shapes, so that
 * `amtool --alertmanager.url=<beacon>` lists alerts and manages silences. Mount the returned
 * app at `/api/v2`.
 * @module
 */
import { Hono } from 'hono';
import type { Matcher } from '../model/mod.ts';
import { type Alert, fingerprint, newAlert } from './alert.ts';
import type { AlertState, Dispatcher } from './dispatcher.ts';
import { type ApiMatcher, parseMatchers } from './matchers.ts';
import { type Silence, SilenceError, type Silences, silenceState } from './silences.ts';

/** What the API serves. */
export interface AlertmanagerApiDeps {
  dispatcher: Dispatcher;
  silences: Silences;
  /** The routing config as written (for `amtool config show`). */
  configText?: () => string;
  /** Process start (ms), for `uptime`. */
  startTime?: number;
  version?: {
    version: string;
    revision: string;
    branch: string;
    buildUser: string;
    buildDate: string;
  };
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function silenceJSON(s: Silence, now: number) {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: iso(s.updatedAt),
    matchers: s.matchers.map((m) => ({ ...m, isEqual: m.isEqual ?? true })),
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

function alertJSON(st: AlertState) {
  const a = st.alert;
  return {
    labels: a.labels.toRecord(),
    annotations: a.annotations.toRecord(),
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    generatorURL: a.generatorURL,
    fingerprint: st.fingerprint,
    receivers: st.receivers.map((name) => ({ name })),
    updatedAt: iso(st.updatedAt),
    status: {
      state: st.state,
      silencedBy: st.silencedBy,
      inhibitedBy: st.inhibitedBy,
      mutedBy: st.mutedBy,
    },
  };
}

const bool = (v: string | undefined, dflt: boolean) =>
  v === undefined ? dflt : v === 'true' || v === '1';

function filterMatchers(list: string[]): Matcher[] {
  return list.flatMap((f) => parseMatchers(f));
}

function asApiMatchers(x: unknown): ApiMatcher[] {
  if (!Array.isArray(x)) throw new SilenceError('matchers must be a list');
  return x.map((m) => {
    const o = m as Record<string, unknown>;
    if (typeof o?.name !== 'string' || typeof o.value !== 'string') {
      throw new SilenceError('each matcher needs a name and a value');
    }
    return {
      name: o.name,
      value: o.value,
      isRegex: o.isRegex === true,
      isEqual: o.isEqual === undefined ? true : o.isEqual === true,
    };
  });
}

function time(x: unknown, what: string): number {
  const t = typeof x === 'string' ? Date.parse(x) : NaN;
  if (Number.isNaN(t)) throw new SilenceError(`invalid ${what}`);
  return t;
}

/** The API v2 app. */
export function alertmanagerApiV2(deps: AlertmanagerApiDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? (() => Date.now());
  const started = deps.startTime ?? now();

  app.get('/status', (c) =>
    c.json({
      cluster: { status: 'disabled', peers: [] },
      config: { original: deps.configText?.() ?? '' },
      uptime: iso(started),
      versionInfo: {
        version: deps.version?.version ?? '',
        revision: deps.version?.revision ?? '',
        branch: deps.version?.branch ?? '',
        buildUser: deps.version?.buildUser ?? '',
        buildDate: deps.version?.buildDate ?? '',
        goVersion: 'none (Beacon)',
      },
    }));

  app.get('/receivers', (c) => c.json(deps.dispatcher.receiverNames().map((name) => ({ name }))));

  const selectAlerts = (q: (k: string) => string | undefined, filters: string[]) => {
    const ms = filterMatchers(filters);
    const receiver = q('receiver');
    const re = receiver ? new RegExp(`^(?:${receiver})$`) : undefined;
    const show = {
      active: bool(q('active'), true),
      suppressed: true,
      silenced: bool(q('silenced'), true),
      inhibited: bool(q('inhibited'), true),
      muted: bool(q('muted'), true),
      unprocessed: bool(q('unprocessed'), true),
    };
    const t = now();
    return deps.dispatcher.alerts().filter((st) => {
      if (st.alert.endsAt !== 0 && st.alert.endsAt <= t) return false;
      if (st.state === 'active' && !show.active) return false;
      if (st.silencedBy.length && !show.silenced) return false;
      if (st.inhibitedBy.length && !show.inhibited) return false;
      if (st.mutedBy.length && !show.muted) return false;
      if (re && !st.receivers.some((r) => re.test(r))) return false;
      return ms.every((m) => m.matches(st.alert.labels.get(m.name)));
    });
  };

  app.get('/alerts', (c) => {
    try {
      return c.json(
        selectAlerts((k) => c.req.query(k), c.req.queries('filter') ?? []).map(alertJSON),
      );
    } catch (e) {
      return c.json((e as Error).message, 400);
    }
  });

  app.post('/alerts', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json('invalid JSON body', 400);
    }
    if (!Array.isArray(body)) return c.json('expected a list of alerts', 400);
    const alerts: Alert[] = [];
    for (const raw of body) {
      const o = raw as Record<string, unknown>;
      const labels = o?.labels as Record<string, string> | undefined;
      if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) {
        return c.json('at least one label pair required', 400);
      }
      alerts.push(newAlert({
        labels,
        annotations: (o.annotations ?? {}) as Record<string, string>,
        startsAt: typeof o.startsAt === 'string' ? Date.parse(o.startsAt) || 0 : 0,
        endsAt: typeof o.endsAt === 'string' ? Date.parse(o.endsAt) || 0 : 0,
        generatorURL: typeof o.generatorURL === 'string' ? o.generatorURL : '',
      }));
    }
    deps.dispatcher.send(alerts);
    return c.body(null, 200);
  });

  app.get('/alerts/groups', (c) => {
    try {
      const shown = new Set(
        selectAlerts((k) => c.req.query(k), c.req.queries('filter') ?? []).map((s) =>
          s.fingerprint
        ),
      );
      const states = new Map(deps.dispatcher.alerts().map((s) => [s.fingerprint, s]));
      const groups = deps.dispatcher.groups().map((g) => ({
        labels: g.labels.toRecord(),
        receiver: { name: g.receiver },
        alerts: g.alerts
          .map((a) => states.get(fingerprint(a.labels)))
          .filter((s): s is AlertState => !!s && shown.has(s.fingerprint))
          .map(alertJSON),
      })).filter((g) => g.alerts.length > 0);
      return c.json(groups);
    } catch (e) {
      return c.json((e as Error).message, 400);
    }
  });

  app.get('/silences', (c) => {
    let ms: Matcher[];
    try {
      ms = filterMatchers(c.req.queries('filter') ?? []);
    } catch (e) {
      return c.json((e as Error).message, 400);
    }
    const t = now();
    const list = deps.silences.list().filter((s) =>
      ms.every((f) => s.matchers.some((m) => m.name === f.name && f.matches(m.value)))
    );
    // Alertmanager lists active, then pending, then expired silences.
    const rank = { active: 0, pending: 1, expired: 2 };
    list.sort((a, b) => rank[a.state] - rank[b.state] || a.endsAt - b.endsAt);
    return c.json(list.map((s) => silenceJSON(s, t)));
  });

  app.post('/silences', async (c) => {
    try {
      const o = await c.req.json().catch(() => {
        throw new SilenceError('invalid JSON body');
      }) as Record<string, unknown>;
      const id = deps.silences.set({
        id: typeof o.id === 'string' && o.id !== '' ? o.id : undefined,
        matchers: asApiMatchers(o.matchers),
        startsAt: time(o.startsAt, 'startsAt'),
        endsAt: time(o.endsAt, 'endsAt'),
        createdBy: String(o.createdBy ?? ''),
        comment: String(o.comment ?? ''),
      });
      // Answered once the silence is in the state store, so it outlives a crash.
      await deps.silences.settled();
      return c.json({ silenceID: id });
    } catch (e) {
      if (e instanceof SilenceError) return c.json(e.message, e.status);
      throw e;
    }
  });

  app.get('/silence/:id', (c) => {
    const s = deps.silences.get(c.req.param('id'));
    return s ? c.json(silenceJSON(s, now())) : c.json('silence not found', 404);
  });

  app.delete('/silence/:id', async (c) => {
    try {
      deps.silences.expire(c.req.param('id'));
      await deps.silences.settled();
      return c.body(null, 200);
    } catch (e) {
      if (e instanceof SilenceError) return c.json(e.message, e.status === 404 ? 404 : 500);
      throw e;
    }
  });

  return app;
}
