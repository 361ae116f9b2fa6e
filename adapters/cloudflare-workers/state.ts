/**
 * Edge state stores on Cloudflare: a Durable Object's storage (strongly consistent, one writer)
 * or a Workers KV key (eventually consistent: another location may read a state up to about a
 * minute old, so two ticks there can both send an alert).
 * @module
 */
import { type EdgeState, parseState, splitText, type StateStore } from '../edge/mod.ts';
import type { DurableObjectStorage, KVNamespace } from './types.ts';

/** The key the state is stored under. */
export const STATE_KEY = 'beacon-edge-state';

// Characters per stored part: 128 KiB per value even if every character took 3 bytes.
const PART_CHARS = 40_000;
// One put writes at most 128 keys: the count key and 127 parts (about 5 MB of state).
const MAX_PARTS = 127;

/**
 * Keeps the state in a Durable Object's storage: the part count under {@link STATE_KEY} and
 * the JSON in parts under `STATE_KEY/0`, `/1`, …, all written by one atomic `put`.
 */
export function durableObjectStateStore(storage: DurableObjectStorage): StateStore {
  const partKey = (i: number) => `${STATE_KEY}/${i}`;
  return {
    async load(): Promise<EdgeState | undefined> {
      const count = await storage.get<number>(STATE_KEY);
      if (count === undefined) return undefined;
      const keys = Array.from({ length: count }, (_, i) => partKey(i));
      const parts = await storage.get<string>(keys);
      return parseState(keys.map((k) => parts.get(k) ?? '').join(''));
    },
    async save(state) {
      const parts = splitText(JSON.stringify(state), PART_CHARS);
      if (parts.length > MAX_PARTS) {
        throw new Error(
          `edge state too large for one Durable Object write (${parts.length} parts)`,
        );
      }
      const previous = (await storage.get<number>(STATE_KEY)) ?? 0;
      const entries: Record<string, string | number> = { [STATE_KEY]: parts.length };
      parts.forEach((p, i) => (entries[partKey(i)] = p));
      await storage.put(entries);
      const stale = [];
      for (let i = parts.length; i < previous; i++) stale.push(partKey(i));
      if (stale.length > 0) await storage.delete(stale);
    },
  };
}

/** Keeps the state under one Workers KV key. */
export function kvStateStore(kv: KVNamespace, key: string = STATE_KEY): StateStore {
  return {
    async load(): Promise<EdgeState | undefined> {
      const raw = await kv.get(key, 'text');
      return raw === null ? undefined : parseState(raw);
    },
    save: (state) => kv.put(key, JSON.stringify(state)),
  };
}
