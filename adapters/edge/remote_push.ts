/**
 * One-shot remote write for the edge tick: the samples stored since an endpoint's cursor are
 * read back from storage and posted (remote write 1.0: protobuf, snappy) in batches of
 * `queue_config.max_samples_per_send`. No queue, shards or background retries: a failed push
 * leaves the cursor where it was, so the next tick sends the same range again while the
 * isolate still holds it.
 * @module
 */
import type { Config, RemoteWriteConfig } from '../../core/config/mod.ts';
import { Labels, newMatcher } from '../../core/model/mod.ts';
import {
  encodeWriteRequest,
  type Label,
  snappyCompress,
  type TimeSeries,
} from '../../core/remote/mod.ts';
import { headerBuilder, relabelLabels } from '../../core/scrape/mod.ts';
import type { Storage } from '../../core/storage/mod.ts';

/** The outcome of pushing to one endpoint. */
export interface PushResult {
  /** The endpoint's `name`, or its URL. */
  endpoint: string;
  samples: number;
  requests: number;
  /** The new cursor (unchanged on error). */
  cursor: number;
  error?: string;
}

/** What {@link pushRemoteWrite} needs. */
export interface PushOptions {
  storage: Storage;
  config: Config;
  /** Endpoint → newest sample time already sent (updated in place on success). */
  cursors: Record<string, number>;
  /** Send samples up to this time, ms. */
  until: number;
  /** The first push of an endpoint starts this far back (default 5 minutes). */
  initialLookbackMs?: number;
  readFile?: (path: string) => Promise<string>;
  fetch?: typeof fetch;
}

/** Pushes every `remote_write` endpoint's new samples; see the module doc. */
export async function pushRemoteWrite(o: PushOptions): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const rw of o.config.remote_write ?? []) {
    const endpoint = rw.name || rw.url.toString();
    const from = o.cursors[endpoint] ?? o.until - (o.initialLookbackMs ?? 300_000);
    const result: PushResult = { endpoint, samples: 0, requests: 0, cursor: from };
    try {
      const series = await collect(o.storage, rw, o.config.global.external_labels, from, o.until);
      const max = rw.queue_config?.max_samples_per_send ?? 2000;
      for (const batch of batches(series, max)) {
        await post(rw, batch, o);
        result.requests++;
        for (const s of batch) result.samples += s.samples.length;
      }
      result.cursor = o.cursors[endpoint] = o.until;
    } catch (e) {
      result.error = (e as Error).message;
    }
    results.push(result);
  }
  return results;
}

// Samples in (from, until], relabelled with the endpoint's write_relabel_configs.
async function collect(
  storage: Storage,
  rw: RemoteWriteConfig,
  external: Readonly<Record<string, string>>,
  from: number,
  until: number,
): Promise<TimeSeries[]> {
  const q = storage.querier(from + 1, until);
  try {
    const set = await q.select([newMatcher('=~', '__name__', '.+')]);
    const out: TimeSeries[] = [];
    for (const s of set.series) {
      let labels: Labels | undefined = withExternal(s.labels, external);
      labels = relabelLabels(labels, rw.write_relabel_configs ?? []);
      if (!labels || labels.size === 0) continue;
      const cols = s.samples();
      const samples = [];
      for (let i = 0; i < cols.t.length; i++) {
        const t = cols.t[i];
        if (t <= from || t > until) continue;
        samples.push(
          cols.stale?.[i] === 1
            ? { value: NaN, timestamp: t, stale: true }
            : { value: cols.v[i], timestamp: t },
        );
      }
      if (samples.length === 0) continue;
      const pairs: Label[] = [];
      labels.forEach((name, value) => pairs.push({ name, value }));
      out.push({ labels: pairs, samples, exemplars: [], histograms: [] });
    }
    return out;
  } finally {
    q.close();
  }
}

// External labels are added where the series has no label of that name, as Prometheus does.
function withExternal(labels: Labels, external: Readonly<Record<string, string>>): Labels {
  const names = Object.keys(external);
  if (names.length === 0) return labels;
  const b = labels.builder();
  for (const n of names) if (!labels.has(n)) b.set(n, external[n]);
  return b.labels();
}

function* batches(series: TimeSeries[], maxSamples: number): Generator<TimeSeries[]> {
  let batch: TimeSeries[] = [];
  let n = 0;
  for (const s of series) {
    // A series larger than a batch is split, so that no request exceeds the limit.
    for (let i = 0; i < s.samples.length; i += maxSamples) {
      const part = { ...s, samples: s.samples.slice(i, i + maxSamples) };
      if (n + part.samples.length > maxSamples && batch.length > 0) {
        yield batch;
        batch = [];
        n = 0;
      }
      batch.push(part);
      n += part.samples.length;
    }
  }
  if (batch.length > 0) yield batch;
}

async function post(rw: RemoteWriteConfig, series: TimeSeries[], o: PushOptions): Promise<void> {
  const body = snappyCompress(encodeWriteRequest({ timeseries: series, metadata: [] }));
  const headers = await headerBuilder(rw, o.readFile)();
  for (const [k, v] of Object.entries(rw.headers ?? {})) headers.set(k, v);
  headers.set('Content-Encoding', 'snappy');
  headers.set('Content-Type', 'application/x-protobuf');
  headers.set('X-Prometheus-Remote-Write-Version', '0.1.0');
  headers.set('User-Agent', 'Beacon-edge');
  const timeout = rw.remote_timeout?.ms ?? 30_000;
  const res = await (o.fetch ?? fetch)(rw.url.toString(), {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(timeout),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`remote write to ${rw.url} answered ${res.status}`);
}
