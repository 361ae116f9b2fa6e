/**
 * `/api/v1/alertmanagers`: the Alertmanagers the notifier sends to, and those relabelling
 * dropped, in Prometheus's JSON shape.
 * @module
 */
import type { Hono } from 'hono';
import { success } from '../api/mod.ts';

/** What the endpoint reads; {@link AlertmanagerClient} provides it. */
export interface AlertmanagerSource {
  alertmanagers(): string[];
  droppedAlertmanagers(): string[];
}

/**
 * An API extension (mount with the runtime's `apiExtensions`). Without a source (no notifier
 * configured) both lists are empty, as in Prometheus.
 */
export function alertmanagersApi(source?: AlertmanagerSource): (api: Hono) => void {
  return (api) => {
    api.get('/alertmanagers', (c) =>
      success(c, {
        activeAlertmanagers: (source?.alertmanagers() ?? []).map((url) => ({ url })),
        droppedAlertmanagers: (source?.droppedAlertmanagers() ?? []).map((url) => ({ url })),
      }));
  };
}
