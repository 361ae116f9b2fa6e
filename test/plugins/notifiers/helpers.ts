/** Shared bits of the notifier plugin tests: a plugin context and a notify context. */
import type { PluginContext } from '../../../core/plugin.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Labels } from '../../../core/model/mod.ts';
import { type Clock, newAlert, type NotifyContext } from '../../../core/notify/mod.ts';
import { host } from '../../helpers/host.ts';

/** A plugin context on the real host. */
export const pluginCtx = (): PluginContext => ({
  logger: nopLogger,
  host,
  registry: new Registry(),
  capabilities: new Map(),
});

/** 2026-01-01T12:00:00Z, the notification time of these tests. */
export const NOW = Date.UTC(2026, 0, 1, 12);

/** A notify context for group `{alertname="Down"}` on the root route. */
export const notifyCtx = (over: Partial<NotifyContext> = {}): NotifyContext => ({
  receiver: 'team',
  groupKey: '{}:{alertname="Down"}',
  groupLabels: Labels.from({ alertname: 'Down' }),
  externalURL: 'http://beacon:9090',
  now: NOW,
  signal: new AbortController().signal,
  ...over,
});

/** Two alerts of group Down: `a` firing (sent without end), `b` resolved. */
export const twoAlerts = () => [
  newAlert({
    labels: { alertname: 'Down', instance: 'a', job: 'node' },
    annotations: { summary: 'a is down' },
    startsAt: NOW - 60_000,
    generatorURL: 'http://beacon:9090/graph?g0.expr=up',
  }),
  newAlert({
    labels: { alertname: 'Down', instance: 'b', job: 'node' },
    annotations: { summary: 'b is down' },
    startsAt: NOW - 120_000,
    endsAt: NOW - 1000,
    generatorURL: 'http://beacon:9090/graph?g0.expr=up',
  }),
];

/** A clock whose sleeps return at once and are recorded. */
export function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => NOW,
    setTimer: () => ({ id: 0 }),
    clearTimer: () => {},
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}
