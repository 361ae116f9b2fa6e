import { after, describe, test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Registry } from '../../core/metrics/mod.ts';
import { Labels } from '../../core/model/mod.ts';
import { SeriesLimitError, type Storage } from '../../core/storage/mod.ts';
import { remoteWriteHandler } from '../../core/api/mod.ts';
import { encodeWriteRequest, snappyCompress } from '../../core/remote/mod.ts';
import { nopLogger } from '../../core/log/logger.ts';
import { MemoryStorage } from '../../plugins/storage/memory/mod.ts';
import { DuckdbStorage } from '../../plugins/storage/duckdb/mod.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

const series = (i: number) => Labels.from({ __name__: 'm', i: String(i) });

async function put(storage: Storage, i: number, t: number): Promise<void> {
  const app = storage.appender();
  try {
    app.append(0, series(i), t, i);
  } catch (e) {
    app.rollback();
    throw e;
  }
  await app.commit();
}

async function rejectedCount(registry: Registry): Promise<number> {
  const m = /^beacon_tsdb_head_series_limit_rejected_samples_total (\d+)$/m.exec(
    await registry.metrics(),
  );
  return Number(m?.[1] ?? 'NaN');
}

async function checkLimit(storage: Storage, registry: Registry): Promise<void> {
  for (let i = 0; i < 3; i++) await put(storage, i, 1000);
  await assert.rejects(put(storage, 3, 1000), (e: Error) => {
    assert.ok(e instanceof SeriesLimitError);
    assert.match(e.message, /head series limit of 3 reached.*m.*i="3"/);
    return true;
  });
  // Existing series keep taking samples, by labels or by ref.
  for (let i = 0; i < 3; i++) await put(storage, i, 2000);
  assert.equal(await rejectedCount(registry), 1);
  const q = storage.querier(0, 3000);
  const got = await q.labelValues('i');
  q.close();
  assert.deepEqual(got, ['0', '1', '2']);
}

describe('head series limit (--storage.tsdb.max-series)', () => {
  test('memory engine: new series beyond the limit are refused and counted', async () => {
    const registry = new Registry();
    const storage = new MemoryStorage({ maxSeries: 3, registry });
    await checkLimit(storage, registry);
    await storage.close();
  });

  test('duckdb engine: same, and a restart with a lower limit replays the WAL whole', async () => {
    const dir = path.join(tmp.dir, 'duck');
    let registry = new Registry();
    let storage = await DuckdbStorage.open({ path: dir, maxSeries: 3, registry });
    await checkLimit(storage, registry);
    await storage.close();
    registry = new Registry();
    storage = await DuckdbStorage.open({ path: dir, maxSeries: 2, registry });
    const q = storage.querier(0, 3000);
    assert.deepEqual(await q.labelValues('i'), ['0', '1', '2']);
    q.close();
    await put(storage, 0, 3000);
    await assert.rejects(put(storage, 9, 3000), SeriesLimitError);
    await storage.close();
  });

  test('remote write: a request creating series beyond the limit gets 400 with the reason', async () => {
    const registry = new Registry();
    const storage = new MemoryStorage({ maxSeries: 1, registry });
    const handle = remoteWriteHandler({ storage, logger: nopLogger });
    const write = (names: string[]) =>
      handle(
        new Request('http://x/api/v1/write', {
          method: 'POST',
          body: snappyCompress(encodeWriteRequest({
            metadata: [],
            timeseries: names.map((n) => ({
              labels: [{ name: '__name__', value: n }],
              samples: [{ value: 1, timestamp: Date.now() }],
              exemplars: [],
              histograms: [],
            })),
          })),
        }),
      );
    assert.equal((await write(['a'])).status, 204);
    const res = await write(['b']);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /head series limit of 1 reached/);
    assert.equal((await write(['a'])).status, 204);
    await storage.close();
  });
});
