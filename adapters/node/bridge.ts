/**
 * The bridge between `node:http`'s request/response objects and the web `Request`/`Response`
 * a fetch handler speaks, streaming bodies both ways with back-pressure.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A fetch handler, as `Host.serve` receives it. */
export type FetchHandler = (req: Request) => Response | Promise<Response>;

// Headers a web Response may carry but that describe Node's own framing of the message.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * Builds the web `Request` for an incoming message. The request's signal aborts when the client
 * goes away before the response is complete, so long queries can stop early.
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse, scheme: string): Request {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // HTTP/2 pseudo-headers (`:path`) are not headers to a fetch handler.
    if (raw[i].charCodeAt(0) !== 0x3a) headers.append(raw[i], raw[i + 1]);
  }
  const authority = headers.get('host') ?? 'localhost';
  const url = new URL(req.url ?? '/', `${scheme}://${authority}`);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/** The request body as a web stream that pauses the socket while the consumer is behind. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(ctrl) {
      req.on('data', (chunk: Uint8Array) => {
        ctrl.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((ctrl.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => ctrl.close());
      req.once('error', (e) => ctrl.error(e));
      req.once('aborted', () => ctrl.error(new Error('client aborted the request')));
    },
    pull() {
      req.resume();
    },
    cancel() {
      req.destroy();
    },
  }, { highWaterMark: 4 });
}

/**
 * Writes a web `Response` to a Node response: status, headers (every `set-cookie` kept
 * apart), then the body chunk by chunk, waiting for `drain` when the socket is full. A client
 * that disconnects cancels the body stream.
 */
export async function writeWebResponse(
  res: ServerResponse,
  response: Response,
  method: string,
): Promise<void> {
  const headers: string[] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !HOP_BY_HOP.has(name)) headers.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie);
  if (response.statusText) res.writeHead(response.status, response.statusText, headers);
  else res.writeHead(response.status, headers);
  const body = response.body;
  if (body === null || method === 'HEAD') {
    await body?.cancel();
    res.end();
    return;
  }
  const reader = body.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch (e) {
    // Headers are out: the only honest signal left is a broken connection.
    res.destroy(e as Error);
  } finally {
    res.off('close', onClose);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Serves one request with `fetch`; a handler that throws gets a 500 with no details leaked. */
export async function handleNodeRequest(
  fetch: FetchHandler,
  scheme: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(toWebRequest(req, res, scheme));
  } catch {
    response = new Response('Internal Server Error', {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  await writeWebResponse(res, response, req.method ?? 'GET');
}
