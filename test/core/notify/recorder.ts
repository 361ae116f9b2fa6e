/**
 * A local HTTP server that records every request (method, path, headers, parsed JSON body) and
 * answers with scripted statuses, for checking what notifiers send.
 */
import type { HostServer } from '../../../core/host.ts';
import { host } from '../../helpers/host.ts';

/** One recorded request. */
export interface Recorded {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** A running recorder. */
export interface Recorder {
  url: string;
  requests: Recorded[];
  /** Statuses for the next requests, in order; afterwards 200. */
  script: number[];
  /** Body of 2xx answers (default `ok`). */
  okBody: string;
  /** While set, requests wait for it before answering. */
  gate: Promise<void> | undefined;
  close(): Promise<void>;
}

/** Starts a recorder on a free local port. */
export async function startRecorder(): Promise<Recorder> {
  const box: { server?: HostServer } = {};
  const rec: Recorder = {
    url: '',
    requests: [],
    script: [],
    okBody: 'ok',
    gate: undefined,
    close: () => box.server!.close(),
  };
  const server = await host.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      const text = await req.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      rec.requests.push({
        method: req.method,
        path: new URL(req.url).pathname,
        headers: req.headers,
        body,
      });
      if (rec.gate) await rec.gate;
      const status = rec.script.shift() ?? 200;
      return new Response(status < 300 ? rec.okBody : 'failure', { status });
    },
  });
  box.server = server;
  rec.url = `http://${server.address}`;
  return rec;
}
