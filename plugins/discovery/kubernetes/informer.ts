/**
 * List-then-watch of one Kubernetes collection, as client-go's informers do it: list (which
 * gives a `resourceVersion`), then watch from that version, reading newline-delimited JSON
 * events (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR). A watch that ends is resumed from the last
 * version seen; `410 Gone` (the version is too old) and any error lead to a fresh list, after a
 * back-off on errors. The latest objects are kept in a store keyed by `namespace/name`.
 * @module
 */
import { sleep } from '../../../core/discovery/mod.ts';
import type { HttpClient } from '../../../core/http_client/mod.ts';
import type { Logger } from '../../../core/log/logger.ts';
import { type KubeObject, objectKey } from './objects.ts';

/** What happened to an object. */
export type InformerEvent = 'add' | 'update' | 'delete';

/** Options of {@link Informer}. */
export interface InformerOptions {
  client: HttpClient;
  /** API server base URL, e.g. `https://10.0.0.1:443`. */
  server: string;
  /** Collection path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger: Logger;
  /** First back-off after an error, ms (doubles up to 30 s). */
  backoffMs?: number;
}

class GoneError extends Error {}

/** Keeps one collection's objects current. */
export class Informer<T extends KubeObject = KubeObject> {
  /** Current objects by `namespace/name`. */
  readonly store: Map<string, T> = new Map();
  readonly #o: InformerOptions;
  #synced = false;
  #events = 0;

  constructor(o: InformerOptions) {
    this.#o = o;
  }

  /** Whether the first list has been applied. */
  get synced(): boolean {
    return this.#synced;
  }

  #url(extra: Record<string, string>): string {
    const q = new URLSearchParams();
    if (this.#o.labelSelector) q.set('labelSelector', this.#o.labelSelector);
    if (this.#o.fieldSelector) q.set('fieldSelector', this.#o.fieldSelector);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const qs = q.toString();
    return `${this.#o.server.replace(/\/$/, '')}${this.#o.path}${qs ? '?' + qs : ''}`;
  }

  /**
   * Lists and watches until `signal` aborts. `onEvent` gets every change after the first list;
   * `onSynced` is called once, after the first list is in the store.
   */
  async run(
    signal: AbortSignal,
    onEvent: (type: InformerEvent, obj: T) => void,
    onSynced: () => void,
  ): Promise<void> {
    const base = this.#o.backoffMs ?? 1000;
    let backoff = base;
    while (!signal.aborted) {
      try {
        let rv = await this.#list(signal, onEvent);
        if (!this.#synced) {
          this.#synced = true;
          onSynced();
        }
        backoff = base;
        for (;;) {
          if (signal.aborted) return;
          const before = this.#events;
          rv = await this.#watch(rv, signal, onEvent);
          // A server that ends watches at once must not be polled in a tight loop.
          if (this.#events === before) await sleep(base, signal);
        }
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof GoneError) {
          this.#o.logger.debug('Watch expired; listing again', { path: this.#o.path });
          continue;
        }
        this.#o.logger.error('Kubernetes list/watch failed', {
          path: this.#o.path,
          err: (e as Error).message,
        });
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  async #get(url: string, signal: AbortSignal): Promise<Response> {
    const resp = await this.#o.client.fetch(url, {
      headers: { Accept: 'application/json' },
      signal,
    });
    if (resp.status === 410) {
      await resp.body?.cancel().catch(() => {});
      throw new GoneError('410 Gone');
    }
    if (resp.status !== 200) {
      const text = await resp.text().catch(() => '');
      throw new Error(`GET ${url}: ${resp.status} ${resp.statusText} ${text.slice(0, 200)}`);
    }
    return resp;
  }

  /** Lists, replaces the store (reporting the differences) and returns the list's version. */
  async #list(signal: AbortSignal, onEvent: (t: InformerEvent, o: T) => void): Promise<string> {
    const resp = await this.#get(this.#url({}), signal);
    const body = await resp.json() as { items?: T[]; metadata?: { resourceVersion?: string } };
    const fresh = new Map<string, T>();
    for (const item of body.items ?? []) fresh.set(objectKey(item), item);
    const report = this.#synced;
    for (const [k, old] of this.store) {
      if (!fresh.has(k)) {
        this.store.delete(k);
        if (report) onEvent('delete', old);
      }
    }
    for (const [k, obj] of fresh) {
      const had = this.store.get(k);
      this.store.set(k, obj);
      if (!report) continue;
      if (!had) onEvent('add', obj);
      else if (had.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        onEvent('update', obj);
      }
    }
    return body.metadata?.resourceVersion ?? '';
  }

  /** Watches from `rv` until the server ends the stream; returns the last version seen. */
  async #watch(
    rv: string,
    signal: AbortSignal,
    onEvent: (t: InformerEvent, o: T) => void,
  ): Promise<string> {
    const params: Record<string, string> = { watch: 'true', allowWatchBookmarks: 'true' };
    if (rv) params.resourceVersion = rv;
    const resp = await this.#get(this.#url(params), signal);
    if (!resp.body) return rv;
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += value;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) rv = this.#apply(line, rv, onEvent);
        }
      }
      if (buf.trim()) rv = this.#apply(buf.trim(), rv, onEvent);
    } finally {
      reader.cancel().catch(() => {});
    }
    return rv;
  }

  #apply(line: string, rv: string, onEvent: (t: InformerEvent, o: T) => void): string {
    const ev = JSON.parse(line) as {
      type: string;
      object: T & { code?: number; message?: string };
    };
    const obj = ev.object;
    if (ev.type === 'ERROR') {
      if (obj?.code === 410) throw new GoneError(obj.message ?? '410 Gone');
      throw new Error(`watch error: ${obj?.message ?? line}`);
    }
    this.#events++;
    const next = obj?.metadata?.resourceVersion ?? rv;
    if (ev.type === 'BOOKMARK') return next;
    const key = objectKey(obj);
    if (ev.type === 'DELETED') {
      this.store.delete(key);
      onEvent('delete', obj);
    } else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
      const had = this.store.has(key);
      this.store.set(key, obj);
      onEvent(had ? 'update' : 'add', obj);
    }
    return next;
  }
}
