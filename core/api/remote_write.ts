/**
 * `POST /api/v1/write`: the remote-write receiver, 1.0 (snappy-compressed
 * `prometheus.WriteRequest`) and 2.0 (`io.prometheus.write.v2.Request`, chosen by the
 * `proto=` parameter of Content-Type), answering 204 when every sample was stored.
 *
 * Behaviour, and where it follows or departs from Prometheus (`storage/remote/write_handler.go`):
 * - Content-Type must be `application/x-protobuf` (empty means that); a `proto=` other than
 *   the two messages gets 415. Content-Encoding must be `snappy` (empty means that),
 *   else 415. Errors are plain text, as Prometheus's `http.Error` writes them.
 * - Not snappy, not the protobuf, timestamps beyond ±2^53 ms: 400.
 * - Out-of-order, duplicate, too-old samples and samples more than 10 minutes in the future:
 *   400 and the whole request rolled back — as Prometheus does for remote write 1.0, so a
 *   sender does not retry what can never succeed and no part is applied twice.
 * - Invalid, duplicate or unsorted labels, or an empty or missing metric name: 400, nothing
 *   applied. Prometheus instead skips such a series, counts it and stores the rest with a 204;
 *   Beacon refuses the request so the sender sees the error.
 * - Exemplars and native histograms are accepted and not stored (counted in
 *   `beacon_remote_write_ignored_total{kind}`); metadata is checked and dropped.
 * - 2.0 answers carry `X-Prometheus-Remote-Write-{Samples,Histograms,Exemplars}-Written`.
 *   Prometheus commits the valid part of a 2.0 request that gets a 4xx (the spec's partial
 *   write); Beacon applies 2.0 requests whole or not at all, as 1.0 ones (headers then say 0).
 * @module
 */
import type { Hono } from 'hono';
import type { Logger } from '../log/logger.ts';
import { Counter, type Registry } from '../metrics/mod.ts';
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type IngestResult,
  ingestWriteRequest,
  ingestWriteRequestV2,
  RemoteCodecError,
  SeriesCache,
  snappyDecompress,
  WriteRejectedError,
} from '../remote/mod.ts';
import type { Storage } from '../storage/mod.ts';
import type { ApiExtension } from './app.ts';

/** Options of {@link remoteWriteApi}. */
export interface RemoteWriteApiOptions {
  storage: Storage;
  logger: Logger;
  /** Where the receiver's metrics register; omitted, they are kept unregistered. */
  registry?: Registry;
  /** Require legacy (Prometheus 2) metric and label names; default: any valid UTF-8 name. */
  legacyNames?: boolean;
  /** Largest compressed body accepted (413 above); default 32 MiB. */
  maxBodyBytes?: number;
  /** Largest decompressed body accepted (400 above); default 64 MiB. */
  maxDecompressedBytes?: number;
  /**
   * Entries of the series cache (label bytes → labels and ref); default 500,000. Keep it above
   * twice the active series sent here, or steady series miss and are decoded again.
   */
  seriesCacheSize?: number;
  /** Accept remote-write 2.0 requests too; default true (as Prometheus 3). */
  acceptV2?: boolean;
  /** Clock for the 10-minute future bound; default `Date.now`. */
  now?: () => number;
}

const PROTO_V1 = 'prometheus.WriteRequest';
const PROTO_V2 = 'io.prometheus.write.v2.Request';
const MAX_AHEAD_MS = 10 * 60 * 1000;

/**
 * The remote-write receiver as an API extension, mounted under `/api/v1` by the runtime when
 * `--web.enable-remote-write-receiver` is set.
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, [remoteWriteApi({ storage, logger, registry })]);
 * ```
 */
export function remoteWriteApi(opts: RemoteWriteApiOptions): ApiExtension {
  const handle = remoteWriteHandler(opts);
  return (api: Hono) => {
    api.post('/write', (c) => handle(c.req.raw));
  };
}

/**
 * What `/api/v1/write` answers without `--web.enable-remote-write-receiver`: Prometheus's
 * 404 and its hint, as plain text.
 */
export function remoteWriteDisabledApi(): ApiExtension {
  return (api: Hono) => {
    api.post('/write', (c) =>
      c.text(
        'remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n',
        404,
        { 'x-content-type-options': 'nosniff' },
      ));
  };
}

/** The receiver as a plain `Request → Response` function (for hosts without Hono). */
export function remoteWriteHandler(
  opts: RemoteWriteApiOptions,
): (req: Request) => Promise<Response> {
  const { storage, logger } = opts;
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const maxDecompressed = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const now = opts.now ?? Date.now;
  const cache = new SeriesCache(opts.seriesCacheSize ?? 500_000);
  const m = receiverMetrics(opts.registry);
  const accepted = opts.acceptV2 === false ? [PROTO_V1] : [PROTO_V1, PROTO_V2];

  return async (req: Request): Promise<Response> => {
    const proto = protoOf(req, accepted);
    if (proto.error !== undefined) {
      logger.error('Error decoding remote write request', { err: proto.error });
      return answer(m, 415, proto.error);
    }
    const v2 = proto.message === PROTO_V2;
    const written = (n: number) => v2 ? writtenHeaders(n) : undefined;
    const declared = Number(req.headers.get('content-length') ?? '0');
    if (declared > maxBody) {
      return answer(m, 413, `request body exceeds ${maxBody} bytes`, written(0));
    }
    let body: Uint8Array | undefined;
    try {
      body = await readBounded(req, maxBody);
    } catch (err) {
      return answer(m, 400, `reading the request body: ${(err as Error).message}`, written(0));
    }
    if (body === undefined) {
      return answer(m, 413, `request body exceeds ${maxBody} bytes`, written(0));
    }

    const app = storage.appender();
    let result: IngestResult;
    try {
      const bytes = snappyDecompress(body, maxDecompressed);
      const ingest = v2 ? ingestWriteRequestV2 : ingestWriteRequest;
      result = ingest(bytes, app, {
        cache,
        legacyNames: opts.legacyNames,
        maxTime: now() + MAX_AHEAD_MS,
      });
    } catch (err) {
      app.rollback();
      if (err instanceof RemoteCodecError) {
        logger.error('Error decoding remote write request', { err: err.message });
        m.rejected.inc({ reason: 'malformed' });
        return answer(m, 400, err.message, written(0));
      }
      if (err instanceof WriteRejectedError) {
        logger.warn('Refused remote write request', { reason: err.reason, err: err.message });
        m.rejected.inc({ reason: err.reason });
        return answer(m, 400, err.message, written(0));
      }
      logger.error('Error while remote writing the request', { err });
      return answer(m, 500, (err as Error).message ?? String(err), written(0));
    }
    try {
      await app.commit();
    } catch (err) {
      logger.error('Error committing remote write request', { err });
      return answer(m, 500, (err as Error).message ?? String(err), written(0));
    }
    m.samples.inc(result.samples);
    if (result.exemplarsIgnored > 0) m.ignored.inc({ kind: 'exemplar' }, result.exemplarsIgnored);
    if (result.histogramsIgnored > 0) {
      m.ignored.inc({ kind: 'histogram' }, result.histogramsIgnored);
    }
    m.requests.inc({ code: '204' });
    return new Response(null, { status: 204, headers: written(result.samples) });
  };
}

/** The body, or undefined as soon as it passes `max` bytes (a chunked body has no length). */
async function readBounded(req: Request, max: number): Promise<Uint8Array | undefined> {
  if (req.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

function writtenHeaders(samples: number): Record<string, string> {
  return {
    'X-Prometheus-Remote-Write-Samples-Written': String(samples),
    'X-Prometheus-Remote-Write-Histograms-Written': '0',
    'X-Prometheus-Remote-Write-Exemplars-Written': '0',
  };
}

/** The protobuf message the request declares, or why it gets 415. */
function protoOf(
  req: Request,
  accepted: readonly string[],
): { message: string; error?: undefined } | { message?: undefined; error: string } {
  const contentType = (req.headers.get('content-type') ?? '').trim() || 'application/x-protobuf';
  const parts = contentType.split(';');
  if (parts[0].trim().toLowerCase() !== 'application/x-protobuf') {
    return {
      error:
        `expected application/x-protobuf as the first (media) part, got ${contentType} content-type`,
    };
  }
  let message = PROTO_V1;
  for (const p of parts.slice(1)) {
    const pair = p.split('=');
    if (pair.length !== 2) {
      return {
        error: `expected parameters to be key-values, got ${p} in ${contentType} content-type`,
      };
    }
    if (pair[0].trim() === 'proto') message = pair[1].trim();
  }
  if (!accepted.includes(message)) {
    return {
      error: `${message} protobuf message is not accepted by this server; accepted [${
        accepted.join(' ')
      }]`,
    };
  }
  const enc = (req.headers.get('content-encoding') ?? '').trim();
  if (enc !== '' && enc.toLowerCase() !== 'snappy') {
    return {
      error:
        `${enc} encoding (compression) is not accepted by this server; only snappy is acceptable`,
    };
  }
  return { message };
}

interface ReceiverMetrics {
  requests: Counter<'code'>;
  samples: Counter;
  rejected: Counter<'reason'>;
  ignored: Counter<'kind'>;
}

function receiverMetrics(registry: Registry | undefined): ReceiverMetrics {
  const registers = registry ? [registry] : [];
  // A receiver rebuilt with the same registry (a new app after a reload) keeps counting on
  // the counters already registered there.
  const counter = <T extends string>(name: string, help: string, labelNames: readonly T[]) =>
    (registry?.get(name) as Counter<T> | undefined) ??
      new Counter<T>({ name, help, labelNames, registers });
  return {
    requests: counter(
      'beacon_remote_write_requests_total',
      'Remote-write requests received, by HTTP status code of the answer.',
      ['code'] as const,
    ),
    samples: counter(
      'beacon_remote_write_received_samples_total',
      'Samples (stale markers included) stored from remote-write requests.',
      [] as string[],
    ),
    rejected: counter(
      'beacon_remote_write_rejected_requests_total',
      'Remote-write requests refused with 400, by reason; none of their samples is stored.',
      ['reason'] as const,
    ),
    ignored: counter(
      'beacon_remote_write_ignored_total',
      'Exemplars and native histogram samples received but not stored.',
      ['kind'] as const,
    ),
  };
}

function answer(
  m: ReceiverMetrics,
  status: number,
  message: string,
  extra?: Record<string, string>,
): Response {
  m.requests.inc({ code: String(status) });
  return new Response(message + '\n', {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      ...extra,
    },
  });
}
