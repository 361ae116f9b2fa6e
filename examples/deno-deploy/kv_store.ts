/**
 * The edge state in Deno KV (Deno Deploy's built-in store; locally a SQLite file with
 * `--unstable-kv`). Deno KV's types are unstable APIs, so the few used are declared here.
 * @module
 */
import { type EdgeState, parseState, splitText, type StateStore } from '../../adapters/edge/mod.ts';

/** The part of a `Deno.AtomicOperation` this store uses. */
export interface KvAtomicLike {
  set(key: readonly unknown[], value: unknown): KvAtomicLike;
  delete(key: readonly unknown[]): KvAtomicLike;
  commit(): Promise<{ ok: boolean }>;
}

/** The part of `Deno.Kv` this store uses. */
export interface KvLike {
  get(key: readonly unknown[]): Promise<{ value: unknown }>;
  atomic(): KvAtomicLike;
  close(): void;
}

/** The key prefix the state lives under. */
export const STATE_KEY: readonly string[] = ['beacon', 'edge-state'];

// A Deno KV value holds at most 64 KiB: 20,000 characters fit even at 3 bytes each.
const PART_CHARS = 20_000;

/**
 * Keeps the state as JSON in parts: the part count under {@link STATE_KEY}, the parts under
 * `[...STATE_KEY, i]`, written in one atomic operation.
 */
export function kvStateStore(kv: KvLike): StateStore {
  const partKey = (i: number) => [...STATE_KEY, i];
  return {
    async load(): Promise<EdgeState | undefined> {
      const { value: count } = await kv.get(STATE_KEY);
      if (typeof count !== 'number') return undefined;
      let text = '';
      for (let i = 0; i < count; i++) {
        const { value } = await kv.get(partKey(i));
        text += typeof value === 'string' ? value : '';
      }
      return parseState(text);
    },
    async save(state) {
      const parts = splitText(JSON.stringify(state), PART_CHARS);
      const { value: previous } = await kv.get(STATE_KEY);
      let op = kv.atomic().set(STATE_KEY, parts.length);
      parts.forEach((p, i) => (op = op.set(partKey(i), p)));
      for (let i = parts.length; i < (typeof previous === 'number' ? previous : 0); i++) {
        op = op.delete(partKey(i));
      }
      const { ok } = await op.commit();
      if (!ok) throw new Error('saving the edge state to Deno KV failed');
    },
  };
}
