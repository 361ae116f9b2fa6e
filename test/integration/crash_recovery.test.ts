/**
 * Crash safety of a whole Beacon on the duckdb engine: SIGKILL at random moments while
 * remote-write ingest, rule evaluation and compaction (a 1s block range) all run, restart on
 * the same data directory, and check that every acknowledged (204) sample is there and that
 * the store opened by itself. `BEACON_CRASH_ITERATIONS` sets the number of kills (default 3).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import process from 'node:process';
import { encodeWriteRequest, snappyCompress } from '../../core/remote/mod.ts';
import { type BeaconProcess, startBeacon } from '../helpers/process.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

const SERIES = 10;
const ITERATIONS = Number(process.env.BEACON_CRASH_ITERATIONS ?? '3');

function batch(t: number, v: number): Uint8Array<ArrayBuffer> {
  return snappyCompress(encodeWriteRequest({
    metadata: [],
    timeseries: Array.from({ length: SERIES }, (_, s) => ({
      labels: [{ name: '__name__', value: 'crash_rw' }, { name: 's', value: String(s) }],
      samples: [{ value: v, timestamp: t }],
      exemplars: [],
      histograms: [],
    })),
  }));
}

/** Sends batches one after another until `stop()`; returns the acknowledged timestamps. */
function ingest(url: string, state: { lastT: number; v: number }) {
  const acked: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const t = Math.max(state.lastT + 1, Date.now());
      state.lastT = t;
      try {
        const res = await fetch(`${url}/api/v1/write`, {
          method: 'POST',
          body: batch(t, ++state.v),
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        });
        await res.body?.cancel();
        if (res.status === 204) acked.push(t);
      } catch {
        return; // killed
      }
    }
  })();
  return { acked, stop: async () => ((running = false), await done) };
}

async function instantMatrix(url: string, q: string): Promise<Map<string, number[]>> {
  const u = `${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${Date.now() / 1000 + 1}`;
  const body = await (await fetch(u)).json() as {
    status: string;
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  assert.equal(body.status, 'success');
  return new Map(
    body.data.result.map((r) => [r.metric.s ?? '', r.values.map(([t]) => Math.round(t * 1000))]),
  );
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return Number(m?.[1] ?? 'NaN');
}

describe('crash recovery (SIGKILL during ingest, rules and compaction)', () => {
  test(`every acknowledged sample survives ${ITERATIONS} kills`, async () => {
    const data = path.join(tmp.dir, 'data');
    const rules = tmp.write(
      'rules.yml',
      'groups:\n  - name: g\n    interval: 200ms\n    rules:\n      - record: crash_rec\n        expr: count(crash_rw)\n',
    );
    const config = tmp.write(
      'beacon.yml',
      `global:\n  evaluation_interval: 1s\nrule_files: ['${rules}']\nstorage:\n  engine: duckdb\n`,
    );
    const args = [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.min-block-duration=1s',
      '--web.enable-remote-write-receiver',
    ];
    const state = { lastT: 0, v: 0 };
    const allAcked: number[] = [];
    let compactions = 0;
    let beacon: BeaconProcess | undefined;
    try {
      for (let i = 0; i < ITERATIONS; i++) {
        beacon = await startBeacon(args);
        // What the previous runs acknowledged is all there after the restart.
        await checkAll(beacon.url, allAcked);
        const run = ingest(beacon.url, state);
        // A random moment 0.5–2.5 s in: batches are in flight, rules evaluate every 200ms and
        // the 1s block range makes compactions frequent.
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 2000));
        compactions += await metric(beacon.url, 'beacon_tsdb_compactions_total').catch(() => 0);
        beacon.signal('SIGKILL');
        await beacon.exited;
        await run.stop();
        allAcked.push(...run.acked);
        beacon = undefined;
      }
      assert.ok(allAcked.length > 0, 'no batch was acknowledged');
      beacon = await startBeacon(args);
      await checkAll(beacon.url, allAcked);
      assert.ok(
        compactions + (await metric(beacon.url, 'beacon_tsdb_blocks_loaded')) > 0,
        'no compaction happened',
      );
      // The recording rule's output survived too.
      const rec = await instantMatrix(beacon.url, 'crash_rec[1d]');
      assert.ok((rec.get('')?.length ?? 0) > 0, 'crash_rec lost');
      assert.doesNotMatch(beacon.logs(), /level=ERROR/);
      if (process.env.BEACON_CRASH_ITERATIONS) {
        console.error(`acked batches: ${allAcked.length}, compactions seen: ${compactions}`);
      }
    } finally {
      if (beacon) {
        beacon.signal('SIGKILL');
        await beacon.exited;
      }
    }
  });
});

async function checkAll(url: string, acked: readonly number[]): Promise<void> {
  if (acked.length === 0) return;
  const got = await instantMatrix(url, 'crash_rw[1d]');
  assert.equal(got.size, SERIES);
  for (const [s, ts] of got) {
    const have = new Set(ts);
    const missing = acked.filter((t) => !have.has(t));
    assert.deepEqual(missing, [], `series s=${s} lost acknowledged samples`);
  }
}
