import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { Hono } from 'hono';
import { promqlConfigSchema, promqlPlugin } from '../../../plugins/promql/mod.ts';
import type { PromqlEngineInstance } from '../../../plugins/promql/mod.ts';
import type { PluginInstance } from '../../../core/plugin.ts';
import { recordingLogger } from '../../helpers/host.ts';
import { every, storageWith } from './engine/helpers.ts';

describe('promql plugin', () => {
  test("config defaults are Prometheus's flag defaults, in ms", () => {
    assert.deepEqual(v.parse(promqlConfigSchema, {}), {
      lookback_delta: 300_000,
      query_timeout: 120_000,
      max_samples: 50_000_000,
      max_concurrency: 20,
      subquery_step: 60_000,
      experimental_functions: false,
    });
    assert.equal(v.parse(promqlConfigSchema, { lookback_delta: '1m30s' }).lookback_delta, 90_000);
    assert.equal(v.parse(promqlConfigSchema, { query_timeout: 10 }).query_timeout, 10_000);
    assert.equal(v.safeParse(promqlConfigSchema, { max_samples: 0 }).success, false);
    assert.equal(v.safeParse(promqlConfigSchema, { lookback_delta: 'soon' }).success, false);
    assert.equal(v.safeParse(promqlConfigSchema, { unknown: 1 }).success, false);
  });

  test('the instance queries and mounts the API over the storage capability', async () => {
    const storage = await storageWith([[{ __name__: 'up' }, every(15_000, [1, 1])]]);
    const config = v.parse(promqlConfigSchema, { max_concurrency: 2 });
    const inst = await promqlPlugin.create(config, {
      logger: recordingLogger().logger,
      // deno-lint-ignore no-explicit-any
      host: {} as any,
      // deno-lint-ignore no-explicit-any
      registry: {} as any,
      capabilities: new Map([['storage', [storage as PluginInstance]]]),
    }) as PromqlEngineInstance;
    assert.equal(promqlPlugin.kind, 'engine');
    assert.equal(promqlPlugin.name, 'promql');
    const r = await inst.query(storage, 'up', 15_000);
    assert.equal(r.resultType === 'vector' && r.result[0].v, 1);
    const api = new Hono();
    inst.apiExtension()(api);
    const res = await api.request('/query?query=up&time=15');
    assert.equal(res.status, 200);
    assert.equal((await res.json()).data.result[0].value[1], '1');
    await assert.rejects(inst.query(storage, 'limitk(1, up)', 0));
  });
});
