// The Worker handlers called directly, with in-memory stand-ins for the KV and Durable Object
// bindings (workers.test.ts runs the built bundle on real workerd).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  beaconObjectClass,
  type BeaconWorkerEnv,
  createWorker,
  type DurableObjectNamespace,
  type DurableObjectState,
  durableObjectStateStore,
  type DurableObjectStorage,
  type ExecutionContext,
  type KVNamespace,
  STATE_KEY,
} from '../../../adapters/cloudflare-workers/mod.ts';
import { emptyState } from '../../../adapters/edge/mod.ts';
import { type EdgeFixture, RULES_PATH, startEdgeFixture } from '../../runtime/edge_fixture.ts';

const ctx: ExecutionContext = { waitUntil: () => {} };
const cron = { scheduledTime: Date.now(), cron: '* * * * *' };

class MapStorage implements DurableObjectStorage {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): Promise<T | undefined>;
  get<T>(keys: string[]): Promise<Map<string, T>>;
  get<T>(k: string | string[]): Promise<unknown> {
    if (typeof k === 'string') return Promise.resolve(this.map.get(k) as T | undefined);
    return Promise.resolve(
      new Map(k.filter((x) => this.map.has(x)).map((x) => [x, this.map.get(x)])),
    );
  }
  put<T>(entries: Record<string, T>): Promise<void> {
    for (const [k, v] of Object.entries(entries)) this.map.set(k, v);
    return Promise.resolve();
  }
  delete(keys: string[]): Promise<number> {
    return Promise.resolve(keys.filter((k) => this.map.delete(k)).length);
  }
}

class MapKV implements KVNamespace {
  readonly map = new Map<string, string>();
  get(key: string): Promise<string | null> {
    return Promise.resolve(this.map.get(key) ?? null);
  }
  put(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
}

describe('Cloudflare Worker handlers', () => {
  let fx: EdgeFixture;
  let env: BeaconWorkerEnv;
  const origError = console.error, origLog = console.log;

  before(async () => {
    fx = await startEdgeFixture();
    env = { BEACON_CONFIG: fx.config, BEACON_FILES: JSON.stringify({ [RULES_PATH]: fx.rules }) };
    // The handlers log every tick and the runtime's start-up.
    console.error = console.log = () => {};
  });

  after(async () => {
    console.error = origError;
    console.log = origLog;
    await fx.close();
  });

  test('without a Durable Object: the isolate ticks and keeps the state in KV', async () => {
    const kv = new MapKV();
    const worker = createWorker();
    const e = { ...env, BEACON_STATE: kv };
    const scrapes = fx.scrapes();
    await worker.scheduled(cron, e, ctx);
    assert.equal(fx.scrapes(), scrapes + 1);
    const state = JSON.parse(kv.map.get(STATE_KEY)!);
    assert.equal(Object.keys(state.targets).length, 1);
    assert.equal(Object.keys(state.alerts).length, 1);
    const res = await worker.fetch(
      new Request('http://w/api/v1/query?query=edge_test_value'),
      e,
      ctx,
    );
    assert.equal((await res.json()).data.result[0].value[1], '42');
    const internal = await worker.fetch(new Request('http://w/__beacon/scheduled'), e, ctx);
    assert.equal(internal.status, 404);
  });

  test('with a Durable Object: requests and ticks go to the one object', async () => {
    const storage = new MapStorage();
    const state: DurableObjectState = { storage };
    const Obj = beaconObjectClass();
    let instance: InstanceType<typeof Obj> | undefined;
    const names: string[] = [];
    const ns: DurableObjectNamespace = {
      idFromName: (name) => {
        names.push(name);
        return { toString: () => name };
      },
      get: () => ({
        fetch: (input, init) => {
          instance ??= new Obj(state, e);
          return instance.fetch(new Request(input, init));
        },
      }),
    };
    const e: BeaconWorkerEnv = { ...env, BEACON: ns };
    const worker = createWorker();
    const scrapes = fx.scrapes();
    await worker.scheduled(cron, e, ctx);
    assert.equal(fx.scrapes(), scrapes + 1);
    assert.equal(storage.map.get(STATE_KEY), 1);
    const res = await worker.fetch(new Request('http://w/api/v1/alerts'), e, ctx);
    const alerts = (await res.json()).data.alerts;
    assert.equal(alerts[0].labels.alertname, 'EdgeValueHigh');
    assert.deepEqual([...new Set(names)], ['beacon']);
  });
});

describe('Durable Object state store', () => {
  test('a large state is written in parts, and parts no longer needed are removed', async () => {
    const storage = new MapStorage();
    const store = durableObjectStateStore(storage);
    assert.equal(await store.load(), undefined);
    const big = emptyState();
    for (let i = 0; i < 5000; i++) big.targets[`job|http://host-${i}.example:9100/metrics`] = i;
    await store.save(big);
    const parts = storage.map.get(STATE_KEY) as number;
    assert.ok(parts > 2, `${parts} parts`);
    assert.deepEqual(await store.load(), big);
    const small = emptyState();
    small.groups.g = 1;
    await store.save(small);
    assert.equal(storage.map.get(STATE_KEY), 1);
    assert.equal(storage.map.size, 2);
    assert.deepEqual(await store.load(), small);
  });
});

describe('a Worker with a bad config', () => {
  test('answers every request with the reason', async () => {
    const worker = createWorker();
    const e: BeaconWorkerEnv = { BEACON_CONFIG: 'global:\n  scrape_interval: often\n' };
    const res = await worker.fetch(new Request('http://w/api/v1/query?query=up'), e, ctx);
    assert.equal(res.status, 500);
    assert.match(await res.text(), /invalid duration "often"/);
    const bad = await createWorker().fetch(new Request('http://w/'), { BEACON_FILES: '{' }, ctx);
    assert.match(await bad.text(), /BEACON_FILES is not JSON/);
  });
});
