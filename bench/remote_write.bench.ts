/**
 * `deno run -A bench/remote_write.bench.ts` (or `bun bench/remote_write.bench.ts`): the
 * remote-write receiver's decode and append throughput, in samples/s.
 *
 * Workload: 100 000 series with node_exporter-like labels (5–7 labels, ≈ 140 bytes each),
 * sent as Prometheus sends them: requests of 2 000 series × 1 sample, snappy-compressed, 50
 * requests per round of all series; rounds advance the timestamp by 15 s.
 * - snappy: our block decoder vs snappyjs's on the same bodies;
 * - scan: the allocation-light decoder alone (every label and sample touched);
 * - decodeWriteRequest: the plain-object decoder, for comparison;
 * - receiver: `remoteWriteHandler` end to end (Request → decompress → validate → append →
 *   commit → 204) into the memory storage; the first round (all series new) apart from the
 *   steady rounds (series cache warm).
 *
 * `deno bench -A bench/remote_write.bench.ts` runs the steady-state receiver and decoders
 * under `deno bench` instead.
 */
import snappy from 'snappyjs';
import { remoteWriteHandler } from '../core/api/remote_write.ts';
import { nopLogger } from '../core/log/logger.ts';
import { Labels } from '../core/model/mod.ts';
import {
  decodeWriteRequest,
  scanWriteRequest,
  snappyCompress,
  snappyDecompress,
  WriteRequestEncoder,
  WriteRequestV2Encoder,
} from '../core/remote/mod.ts';
import { MemoryStorage } from '../plugins/storage/memory/mod.ts';

const SERIES = 100_000;
const PER_REQUEST = 2_000;
const ROUNDS = 8;
const STEP = 15_000;
const T0 = Date.now() - ROUNDS * STEP;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

// 100 metric families × 1 000 targets; families carry 0–2 extra labels as node_exporter's do.
const FAMILIES = Array.from({ length: 100 }, (_, i) => ({
  name: [
    'node_cpu_seconds_total',
    'node_network_receive_bytes_total',
    'node_filesystem_avail_bytes',
    'process_resident_memory_bytes',
  ][i % 4] + `_${i}`,
  extra: i % 3,
}));
const labels: Labels[] = [];
for (let target = 0; target < SERIES / FAMILIES.length; target++) {
  for (const f of FAMILIES) {
    const rec: Record<string, string> = {
      __name__: f.name,
      instance: `10.${target >> 8}.${target & 255}.17:9100`,
      job: 'node',
      replica: 'eu-west-1a',
    };
    if (f.extra >= 1) rec.mode = ['idle', 'user', 'system', 'iowait'][target % 4];
    if (f.extra >= 2) rec.device = `eth${target % 2}`;
    labels.push(Labels.from(rec));
  }
}

const r = rng(1);
const values = new Float64Array(SERIES).map(() => Math.floor(r() * 1e6));
function round(k: number, v2 = false): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  const enc = v2 ? new WriteRequestV2Encoder() : new WriteRequestEncoder(1 << 20);
  const t = [T0 + k * STEP];
  const v = [0];
  for (let i = 0; i < SERIES; i++) {
    values[i] += i % 2 === 0 ? Math.floor(r() * 100) : 0;
    v[0] = i % 2 === 0 ? values[i] : Math.round(r() * 10000) / 100;
    enc.addSeries(labels[i], t, v);
    if ((i + 1) % PER_REQUEST === 0) out.push(snappyCompress(enc.finish()));
  }
  return out;
}
const rounds = Array.from({ length: ROUNDS }, (_, k) => round(k));
const V2_ROUNDS = 4;
const roundsV2 = Array.from({ length: V2_ROUNDS }, (_, k) => round(ROUNDS + k, true));
const v2Bytes = roundsV2[0].reduce((n, b) => n + b.length, 0);
const raw = rounds[0].map((b) => snappyDecompress(b));
const rawBytes = raw.reduce((n, b) => n + b.length, 0);
const zBytes = rounds[0].reduce((n, b) => n + b.length, 0);
console.log(
  `request: ${PER_REQUEST} samples, ${(rawBytes / raw.length / 1024).toFixed(0)} KiB raw, ${
    (zBytes / raw.length / 1024).toFixed(0)
  } KiB snappy; 2.0: ${(v2Bytes / roundsV2[0].length / 1024).toFixed(0)} KiB snappy`,
);

const uncompressJs = snappy.uncompress as (b: Uint8Array) => Uint8Array;
function decompressOurs(): void {
  for (const b of rounds[0]) snappyDecompress(b);
}
function decompressSnappyjs(): void {
  for (const b of rounds[0]) uncompressJs(b);
}
let sink = 0;
function scanOnly(): void {
  for (const b of raw) {
    scanWriteRequest(b, {
      series(v) {
        for (let i = 0; i < v.labelCount; i++) sink += v.labelNameLength(i);
        for (let i = 0; i < v.sampleCount; i++) sink += v.values[i];
      },
    });
  }
}
function decodeObjects(): void {
  for (const b of raw) sink += decodeWriteRequest(b).timeseries.length;
}

const storage = new MemoryStorage({ retentionMs: 3_600_000 });
const handle = remoteWriteHandler({ storage, logger: nopLogger });
const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };
const headersV2 = {
  ...headers,
  'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
};
async function ingestRound(k: number, v2 = false): Promise<void> {
  for (const body of (v2 ? roundsV2 : rounds)[k]) {
    const res = await handle(
      new Request('http://x/api/v1/write', {
        method: 'POST',
        body,
        headers: v2 ? headersV2 : headers,
      }),
    );
    if (res.status !== 204) throw new Error(`${res.status} ${await res.text()}`);
  }
}

async function time(fn: () => void | Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function median(name: string, n: number, fn: () => void | Promise<void>, samples: number) {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await time(fn));
  xs.sort((a, b) => a - b);
  const med = xs[xs.length >> 1];
  console.log(
    `${name}: median ${med.toFixed(1)} ms, ${(samples / med / 1000).toFixed(2)} M samples/s`,
  );
}

if (import.meta.main) {
  await median('snappy decompress (ours), 100k samples', 15, decompressOurs, SERIES);
  await median('snappy decompress (snappyjs), 100k samples', 15, decompressSnappyjs, SERIES);
  await median('scan, 100k samples', 15, scanOnly, SERIES);
  await median('decodeWriteRequest (objects), 100k samples', 15, decodeObjects, SERIES);
  const cold = await time(() => ingestRound(0));
  console.log(
    `receiver, first round (100k new series): ${cold.toFixed(0)} ms, ${
      (SERIES / cold / 1000).toFixed(2)
    } M samples/s`,
  );
  const xs: number[] = [];
  for (let k = 1; k < ROUNDS; k++) xs.push(await time(() => ingestRound(k)));
  xs.sort((a, b) => a - b);
  const med = xs[xs.length >> 1];
  console.log(
    `receiver, steady rounds (${ROUNDS - 1}): median ${med.toFixed(0)} ms, ${
      (SERIES / med / 1000).toFixed(2)
    } M samples/s`,
  );
  const ys: number[] = [];
  for (let k = 0; k < V2_ROUNDS; k++) ys.push(await time(() => ingestRound(k, true)));
  ys.sort((a, b) => a - b);
  const med2 = ys[ys.length >> 1];
  console.log(
    `receiver 2.0, rounds (${V2_ROUNDS}, first one new to the 2.0 cache): median ${
      med2.toFixed(0)
    } ms, ${(SERIES / med2 / 1000).toFixed(2)} M samples/s`,
  );
  console.log(`(sink ${sink > 0})`);
} else {
  const bench = globalThis.Deno.bench;
  await ingestRound(0);
  const body = rounds[1][0];
  bench('receiver: 2 000-sample request, steady state', { group: 'receiver' }, async () => {
    // The same request every time: after the first, its samples repeat the newest ones and
    // are dropped by the storage, which still costs the whole decode and check path.
    const res = await handle(
      new Request('http://x/api/v1/write', { method: 'POST', body, headers }),
    );
    if (res.status !== 204) throw new Error(String(res.status));
  });
  bench('snappy decompress (ours), 2 000 samples', { group: 'snappy', baseline: true }, () => {
    snappyDecompress(rounds[0][0]);
  });
  bench('snappy decompress (snappyjs), 2 000 samples', { group: 'snappy' }, () => {
    uncompressJs(rounds[0][0]);
  });
  bench('scan 2 000 samples', { group: 'decode', baseline: true }, () => {
    scanWriteRequest(raw[0], { series: (v) => (sink += v.sampleCount) });
  });
  bench('decodeWriteRequest 2 000 samples', { group: 'decode' }, () => {
    sink += decodeWriteRequest(raw[0]).timeseries.length;
  });
}
