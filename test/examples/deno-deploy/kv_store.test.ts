// The Deno KV state store against an in-memory stand-in with Deno KV's value size limit, so it
// runs under Bun too (the Deno Deploy entry itself is tested with real Deno KV in
// test/runtime/deno_deploy.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState } from '../../../adapters/edge/mod.ts';
import {
  type KvAtomicLike,
  type KvLike,
  kvStateStore,
  STATE_KEY,
} from '../../../examples/deno-deploy/kv_store.ts';

class MapKv implements KvLike {
  readonly map = new Map<string, unknown>();
  get(key: readonly unknown[]): Promise<{ value: unknown }> {
    return Promise.resolve({ value: this.map.get(JSON.stringify(key)) ?? null });
  }
  atomic(): KvAtomicLike {
    const ops: (() => void)[] = [];
    const op: KvAtomicLike = {
      set: (key, value) => {
        if (typeof value === 'string' && new TextEncoder().encode(value).length > 65_536) {
          throw new TypeError('Value too large (max 65536 bytes)');
        }
        ops.push(() => this.map.set(JSON.stringify(key), value));
        return op;
      },
      delete: (key) => {
        ops.push(() => this.map.delete(JSON.stringify(key)));
        return op;
      },
      commit: () => {
        for (const f of ops) f();
        return Promise.resolve({ ok: true });
      },
    };
    return op;
  }
  close(): void {}
}

describe('Deno KV state store', () => {
  test('a state larger than one KV value is split and read back', async () => {
    const kv = new MapKv();
    const store = kvStateStore(kv);
    assert.equal(await store.load(), undefined);
    const big = emptyState();
    // Multi-byte label values: the part size must hold in bytes, not characters.
    for (let i = 0; i < 3000; i++) big.targets[`job|http://höst-${i}.ëxample:9100/metrics`] = i;
    await store.save(big);
    assert.ok((kv.map.get(JSON.stringify(STATE_KEY)) as number) > 2);
    assert.deepEqual(await store.load(), big);
    await store.save(emptyState());
    assert.equal(kv.map.size, 2);
    assert.deepEqual(await store.load(), emptyState());
  });
});
