/**
 * Test helper: a remote-read server on a local port that decodes requests with core/remote,
 * answers from a fixed set of series (filtered by the query's matchers and range) with
 * core/remote's encoder, and records what it was asked.
 */
import { Labels, Matcher, matchLabels } from '../../../../core/model/mod.ts';
import {
  decodeReadRequest,
  encodeChunkedReadResponse,
  encodeFrame,
  encodePrometheusXorChunk,
  encodeReadResponse,
  type ReadRequest,
  snappyCompress,
  snappyDecompress,
  type TimeSeries,
} from '../../../../core/remote/mod.ts';
import type { HostServer } from '../../../../core/host.ts';
import { host } from '../../../helpers/host.ts';

/** One series the fake holds: labels and [timestamp, value] pairs. */
export type FakeSeries = [Record<string, string>, [number, number][]];

/** A running fake. */
export interface FakeRemote {
  url: string;
  /** Decoded requests, in order. */
  requests: ReadRequest[];
  /** Headers of each request. */
  headers: Headers[];
  /** Answer every request with this status and text from now on (undefined: answer data). */
  failWith: { status: number; text: string } | undefined;
  /**
   * Answer streamed XOR chunks when the client accepts them: two samples per chunk, and each
   * series' chunks cut over two frames, as a server limiting frame size does.
   */
  streamed: boolean;
  close(): Promise<void>;
}

/** Starts a fake remote-read endpoint at `/api/v1/read` holding `series`. */
export async function startFakeRemote(series: FakeSeries[]): Promise<FakeRemote> {
  const fake = {
    requests: [] as ReadRequest[],
    headers: [] as Headers[],
    failWith: undefined as { status: number; text: string } | undefined,
    streamed: false,
  };
  const server: HostServer = await host.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      const body = new Uint8Array(await req.arrayBuffer());
      const rr = decodeReadRequest(snappyDecompress(body));
      fake.requests.push(rr);
      fake.headers.push(req.headers);
      if (fake.failWith) return new Response(fake.failWith.text, { status: fake.failWith.status });
      const results = rr.queries.map((q) => {
        const ms = q.matchers.map((m) => Matcher.create(m.type, m.name, m.value));
        const timeseries: TimeSeries[] = [];
        for (const [labels, samples] of series) {
          if (!matchLabels(ms, Labels.from(labels))) continue;
          const inRange = samples.filter(([t]) => t >= q.startTimestampMs && t <= q.endTimestampMs);
          if (inRange.length === 0) continue;
          timeseries.push({
            labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
            samples: inRange.map(([timestamp, value]) => ({ timestamp, value })),
            exemplars: [],
            histograms: [],
          });
        }
        return { timeseries };
      });
      if (fake.streamed && rr.acceptedResponseTypes[0] === 'streamed_xor_chunks') {
        const frames: Uint8Array[] = [];
        results.forEach(({ timeseries }, queryIndex) => {
          for (const ts of timeseries) {
            const cols = {
              t: Float64Array.from(ts.samples, (x) => x.timestamp),
              v: Float64Array.from(ts.samples, (x) => x.value),
            };
            const chunks = [];
            for (let i = 0; i < cols.t.length; i += 2) {
              chunks.push(encodePrometheusXorChunk(cols, i, Math.min(i + 2, cols.t.length)));
            }
            const half = Math.ceil(chunks.length / 2);
            for (const part of [chunks.slice(0, half), chunks.slice(half)]) {
              if (part.length === 0) continue;
              const msg = { chunkedSeries: [{ labels: ts.labels, chunks: part }], queryIndex };
              frames.push(encodeFrame(encodeChunkedReadResponse(msg)));
            }
          }
        });
        const body = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
        frames.reduce((at, f) => (body.set(f, at), at + f.length), 0);
        return new Response(body, {
          headers: {
            'content-type': 'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse',
          },
        });
      }
      return new Response(snappyCompress(encodeReadResponse({ results })), {
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      });
    },
  });
  return Object.assign(fake, {
    url: `http://${server.address}/api/v1/read`,
    close: () => server.close(),
  });
}
