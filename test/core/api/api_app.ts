/**
 * Test helper: the real API app with stub dependencies and the given extensions mounted, plus
 * small storage readers.
 */
import type { Hono } from 'hono';
import { type ApiExtension, createApiApp } from '../../../core/api/mod.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Labels, Matcher } from '../../../core/model/mod.ts';
import type { Storage } from '../../../core/storage/mod.ts';

/** The API app with `extensions` under `/api/v1`. */
export function apiApp(extensions: ApiExtension[]): Hono {
  return createApiApp(
    {
      logger: nopLogger,
      routePrefix: '',
      enableLifecycle: false,
      enableAdminApi: false,
      flags: {},
      buildInfo: () => ({
        version: '0',
        revision: '',
        branch: '',
        buildUser: '',
        buildDate: '',
        goVersion: '',
      }),
      runtimeInfo: () => ({}),
      configYAML: () => '',
      isReady: () => true,
      reload: () => Promise.resolve(),
      quit: () => {},
      metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
    },
    extensions,
  );
}

/** Every series of `storage` as `labels string → [t, v | 'stale'][]`. */
export async function dump(
  storage: Storage,
  mint = -1e15,
  maxt = 1e15,
): Promise<Record<string, [number, number | 'stale'][]>> {
  const q = storage.querier(mint, maxt);
  const out: Record<string, [number, number | 'stale'][]> = {};
  for (const s of await q.select([Matcher.create('=~', '__name__', '.+')])) {
    const { t, v, stale } = s.samples();
    out[s.labels.toString()] = Array.from(t, (x, i) => [x, stale?.[i] === 1 ? 'stale' : v[i]]);
  }
  q.close();
  return out;
}

/** Appends and commits one sample. */
export async function put(
  storage: Storage,
  labels: Record<string, string>,
  t: number,
  v: number,
): Promise<void> {
  const app = storage.appender();
  app.append(0, Labels.from(labels), t, v);
  await app.commit();
}
