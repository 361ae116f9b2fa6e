/**
 * `GET /api/v1/status/tsdb`: head statistics and the top cardinality lists, in the JSON shape
 * Prometheus gives (`web/api/v1/api.go`, `TSDBStatus`).
 * @module
 */
import type { Hono } from 'hono';
import type { StatEntry, Storage } from '../storage/mod.ts';
import type { ApiExtension } from './app.ts';
import { failure } from './envelope.ts';

/** Dependencies of {@link tsdbStatusApi}. */
export interface TsdbStatusApiOptions {
  storage: Storage;
}

const MAX_LIMIT = 10_000;
// An empty Prometheus head reports its initial bounds, the int64 extremes; JSON.stringify
// cannot write them exactly, so they are spliced in as text.
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';

/**
 * Adds `GET /status/tsdb` with the `limit` parameter (1 to 10,000, default 10).
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, [tsdbStatusApi({ storage })]);
 * ```
 */
export function tsdbStatusApi(opts: TsdbStatusApiOptions): ApiExtension {
  return (api: Hono) => {
    api.get('/status/tsdb', async (c) => {
      let limit = 10;
      const raw = c.req.query('limit');
      if (raw !== undefined && raw !== '') {
        limit = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
        if (!(limit >= 1)) return failure(c, 'bad_data', 'limit must be a positive number');
        if (limit > MAX_LIMIT) {
          return failure(c, 'bad_data', `limit must not exceed ${MAX_LIMIT}`);
        }
      }
      const s = await opts.storage.stats(limit);
      const empty = !Number.isFinite(s.minTime) || !Number.isFinite(s.maxTime);
      const data = {
        headStats: {
          numSeries: s.numSeries,
          numLabelPairs: s.numLabelPairs,
          chunkCount: s.chunkCount,
          minTime: empty ? 0 : s.minTime,
          maxTime: empty ? 0 : s.maxTime,
        },
        seriesCountByMetricName: entries(s.seriesCountByMetricName),
        labelValueCountByLabelName: entries(s.labelValueCountByLabelName),
        memoryInBytesByLabelName: entries(s.memoryInBytesByLabelName),
        seriesCountByLabelValuePair: entries(s.seriesCountByLabelValuePair),
      };
      let body = JSON.stringify({ status: 'success', data });
      if (empty) {
        body = body.replace(
          '"minTime":0,"maxTime":0',
          `"minTime":${INT64_MAX},"maxTime":${INT64_MIN}`,
        );
      }
      return c.body(body, 200, { 'content-type': 'application/json' });
    });
  };
}

function entries(list: readonly StatEntry[]): StatEntry[] {
  return list.map((e) => ({ name: e.name, value: e.value }));
}
