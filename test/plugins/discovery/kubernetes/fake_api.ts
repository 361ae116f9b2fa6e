/**
 * A fake Kubernetes API server for tests: serves list responses (`{kind, metadata:
 * {resourceVersion}, items}`) per collection path and holds watch requests open, writing the
 * events a test pushes as newline-delimited JSON, as the API server does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Watcher {
  path: string;
  res: http.ServerResponse;
}

/** The fake server. */
export interface FakeApi {
  url: string;
  /** Every request: path with query, and its Authorization header. */
  requests: { url: string; auth?: string }[];
  /** Sets the objects a list of `path` returns. */
  set(path: string, items: unknown[]): void;
  /** Sends a watch event to watchers of `path` (and updates the list). */
  event(path: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeLike): void;
  /** Sends an ERROR event with status 410 to watchers of `path`, ending their streams. */
  expire(path: string): void;
  /** How many watches of `path` are open. */
  watching(path: string): number;
  close(): Promise<void>;
}

type KubeLike = { metadata: { name: string; namespace?: string; resourceVersion?: string } };

/** Starts the server on 127.0.0.1 and a free port. */
export async function startFakeApi(): Promise<FakeApi> {
  const lists = new Map<string, KubeLike[]>();
  const watchers: Watcher[] = [];
  const requests: { url: string; auth?: string }[] = [];
  let rv = 100;
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', auth: req.headers.authorization });
    const u = new URL(req.url ?? '/', 'http://x');
    const items = lists.get(u.pathname);
    if (!items) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ kind: 'Status', code: 404, message: 'not found' }));
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (u.searchParams.get('watch') === 'true') {
      res.writeHead(200);
      res.flushHeaders();
      const w = { path: u.pathname, res };
      watchers.push(w);
      res.on('close', () => watchers.splice(watchers.indexOf(w), 1));
      return;
    }
    res.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: String(rv) }, items }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set: (path, items) => void lists.set(path, items as KubeLike[]),
    event(path, type, obj) {
      rv++;
      const o = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
      const list = (lists.get(path) ?? []).filter((x) =>
        !(x.metadata.name === o.metadata.name && x.metadata.namespace === o.metadata.namespace)
      );
      if (type !== 'DELETED') list.push(o);
      lists.set(path, list);
      for (const w of watchers) {
        if (w.path === path) w.res.write(JSON.stringify({ type, object: o }) + '\n');
      }
    },
    expire(path) {
      for (const w of [...watchers]) {
        if (w.path !== path) continue;
        w.res.end(
          JSON.stringify({
            type: 'ERROR',
            object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' },
          }) + '\n',
        );
      }
    },
    watching: (path) => watchers.filter((w) => w.path === path).length,
    close: () =>
      new Promise<void>((r) => {
        for (const w of watchers) w.res.destroy();
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
