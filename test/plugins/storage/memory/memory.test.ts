import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { Registry } from '../../../../core/metrics/mod.ts';
import { isPluginDefinition, type PluginContext } from '../../../../core/plugin.ts';
import {
  OutOfOrderSampleError,
  type Storage,
  TooOldSampleError,
} from '../../../../core/storage/mod.ts';
import {
  MemoryStorage,
  memoryStorageConfigSchema,
  memoryStoragePlugin,
} from '../../../../plugins/storage/memory/mod.ts';
import { dump, storageSuite } from '../../../core/storage/storage_suite.ts';

storageSuite('memory', (opts) => new MemoryStorage(opts));

const up = (job: string) => Labels.from({ __name__: 'up', job });

describe('memory storage', () => {
  test('config schema: Prometheus durations, defaults, unknown keys rejected', () => {
    assert.deepEqual(v.parse(memoryStorageConfigSchema, {}), {
      retention_time: 15 * 86400_000,
      out_of_order_time_window: 0,
    });
    assert.deepEqual(
      v.parse(memoryStorageConfigSchema, { retention_time: '2h', out_of_order_time_window: '5m' }),
      { retention_time: 7200_000, out_of_order_time_window: 300_000 },
    );
    assert.ok(!v.safeParse(memoryStorageConfigSchema, { retention_time: '2 hours' }).success);
    assert.ok(!v.safeParse(memoryStorageConfigSchema, { retention: '2h' }).success);
  });

  test('the plugin definition creates a storage with self metrics', async () => {
    assert.ok(isPluginDefinition(memoryStoragePlugin));
    assert.equal(memoryStoragePlugin.kind, 'storage');
    assert.equal(memoryStoragePlugin.name, 'memory');
    const registry = new Registry();
    const ctx = { registry } as unknown as PluginContext;
    const config = v.parse(memoryStoragePlugin.schema, { out_of_order_time_window: '1m' });
    const inst = (await memoryStoragePlugin.create(config, ctx)) as unknown as Storage & {
      stop(): Promise<void>;
    };
    const app = inst.appender();
    const ref = app.append(0, up('a'), 100_000, 1);
    app.append(ref, up('a'), 200_000, 1);
    app.append(ref, up('a'), 150_000, 1); // inside the window
    app.append(0, up('b'), 200_000, 1);
    assert.throws(() => app.append(ref, up('a'), 1000, 1), TooOldSampleError);
    await app.commit();
    const text = await registry.metrics();
    assert.match(text, /^beacon_tsdb_head_samples_appended_total 4$/m);
    assert.match(text, /^beacon_tsdb_head_series 2$/m);
    assert.match(text, /^beacon_tsdb_head_chunks 2$/m);
    assert.match(text, /^beacon_tsdb_head_out_of_order_samples_appended_total 1$/m);
    assert.match(text, /^beacon_tsdb_too_old_samples_total 1$/m);
    await inst.stop();
    // Stopping unregisters, so a new instance can start on the same registry.
    assert.doesNotMatch(await registry.metrics(), /beacon_tsdb_head_series/);
  });

  test('rejected out-of-order samples are counted', async () => {
    const registry = new Registry();
    const s = new MemoryStorage({ registry });
    const app = s.appender();
    const ref = app.append(0, up('a'), 2000, 1);
    assert.throws(() => app.append(ref, up('a'), 1000, 1), OutOfOrderSampleError);
    await app.commit();
    assert.match(await registry.metrics(), /^beacon_tsdb_out_of_order_samples_total 1$/m);
    await s.close();
  });

  test('retention drops whole chunks older than the newest sample minus retention', async () => {
    const hour = 3600_000;
    const s = new MemoryStorage({ retentionMs: hour });
    const step = 15_000;
    let ref = 0;
    // Three hours of one series; 120 samples (30 min) per chunk.
    for (let t = 0; t < 3 * hour; t += 10 * step) {
      const app = s.appender();
      for (let k = 0; k < 10; k++) ref = app.append(ref, up('a'), t + k * step, t + k);
      // A series that stops early disappears entirely.
      if (t < hour / 2) app.append(0, up('old'), t, 1);
      await app.commit();
    }
    const st = await s.stats();
    const maxT = 3 * hour - step;
    assert.equal(st.maxTime, maxT);
    // The oldest kept chunk may start before the cutoff, but none ends before it.
    assert.ok(st.minTime > maxT - hour - 30 * 60_000 && st.minTime <= maxT - hour, `${st.minTime}`);
    assert.equal(st.numSeries, 1);
    assert.deepEqual(await dump(s, [Matcher.create('=', 'job', 'old')]), []);
    // Samples older than the retention are refused.
    const app = s.appender();
    assert.throws(() => app.append(0, up('b'), maxT - hour - 1, 1), TooOldSampleError);
    app.rollback();
    await s.close();
  });

  test('a closed storage refuses work', async () => {
    const s = new MemoryStorage();
    await s.close();
    assert.throws(() => s.appender());
  });
});
