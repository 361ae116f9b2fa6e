/**
 * `deno bench -A bench/storage_head.bench.ts`: the memory head's append and read paths.
 * - append by ref: one appender per iteration writes 10 scrapes of 1 000 series (10 000
 *   samples) by cached ref, then commits; samples/s = 10 000 / median time.
 * - select: 1 000 series × 1 day at 15 s (5.76 M samples) selected and decoded.
 * Loading also prints the chunk size in bytes per sample for counters and gauges.
 *
 * `deno run -A bench/storage_head.bench.ts` (or `bun bench/storage_head.bench.ts`) prints
 * medians in samples/s instead.
 */
import { Labels, Matcher } from '../core/model/mod.ts';
import { SAMPLES_PER_CHUNK, XorChunk } from '../core/storage/mod.ts';
import { MemoryStorage } from '../plugins/storage/memory/mod.ts';

const SERIES = 1000;
const STEP = 15_000;
const DAY = 86_400_000;
const T0 = 1_700_000_000_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

const labels = Array.from({ length: SERIES }, (_, i) =>
  Labels.from({
    __name__: 'http_requests_total',
    job: 'api',
    instance: `10.0.${i >> 8}.${i & 255}:9100`,
    code: String(200 + (i % 5)),
  }));

// Counters with random increments, and gauges with two decimals, on a 15 s grid with the
// occasional millisecond of jitter that real scrapes show.
function bytesPerSample(kind: 'counter' | 'gauge', jitter: boolean): number {
  const r = rng(kind === 'counter' ? 1 : 2);
  let bytes = 0, samples = 0;
  for (let s = 0; s < 200; s++) {
    let c = new XorChunk(), v = 0, t = T0;
    for (let i = 0; i < 5760; i++) {
      t += STEP + (jitter && r() < 0.1 ? Math.floor(r() * 5) - 2 : 0);
      v = kind === 'counter' ? v + Math.floor(r() * 50) : Math.round((40 + r() * 20) * 100) / 100;
      if (c.count === SAMPLES_PER_CHUNK) {
        c.close();
        bytes += c.size;
        c = new XorChunk();
      }
      c.append(t, v);
      samples++;
    }
    c.close();
    bytes += c.size;
  }
  return bytes / samples;
}
for (const kind of ['counter', 'gauge'] as const) {
  for (const jitter of [false, true]) {
    console.log(
      `chunk size, ${kind}${jitter ? ', ±2 ms jitter' : ''}: ${
        bytesPerSample(kind, jitter).toFixed(3)
      } bytes/sample`,
    );
  }
}

// Append path: a storage bounded by retention so iterations do not pile up memory.
const appendStore = new MemoryStorage({ retentionMs: 3_600_000 });
const refs = new Array<number>(SERIES).fill(0);
let nextT = T0;
let counter = 0;
async function appendScrapes(byRef: boolean): Promise<void> {
  const app = appendStore.appender();
  for (let k = 0; k < 10; k++) {
    nextT += STEP;
    counter += 3;
    for (let i = 0; i < SERIES; i++) {
      refs[i] = app.append(byRef ? refs[i] : 0, labels[i], nextT, counter + i);
    }
  }
  await app.commit();
}
await appendScrapes(false);

// Read path: one day of 1 000 series.
const readStore = new MemoryStorage();
{
  const r = rng(3);
  const values = new Float64Array(SERIES);
  const rr = new Array<number>(SERIES).fill(0);
  for (let t = T0; t < T0 + DAY; t += STEP * 40) {
    const app = readStore.appender();
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < SERIES; i++) {
        values[i] += Math.floor(r() * 50);
        rr[i] = app.append(rr[i], labels[i], t + k * STEP, values[i]);
      }
    }
    await app.commit();
  }
}
const selectAll = [Matcher.create('=', '__name__', 'http_requests_total')];
const selectRegex = [
  Matcher.create('=', '__name__', 'http_requests_total'),
  Matcher.create('=~', 'instance', '10\\.0\\.1\\..*'),
];

const selectDay = async () => {
  const q = readStore.querier(T0, T0 + DAY);
  let n = 0;
  for (const s of await q.select(selectAll)) n += s.samples().t.length;
  if (n !== SERIES * (DAY / STEP)) throw new Error(`decoded ${n}`);
  q.close();
};
const selectHour = async () => {
  const q = readStore.querier(T0 + DAY - 3_600_000, T0 + DAY);
  for (const s of await q.select(selectAll)) s.samples();
  q.close();
};

// Prints the median time of `n` runs (after warm-up) and the throughput it implies.
async function median(name: string, n: number, fn: () => Promise<void>, samples: number) {
  for (let i = 0; i < 5; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  const med = xs[xs.length >> 1];
  console.log(
    `${name}: median ${med.toFixed(3)} ms, ${(samples / med / 1000).toFixed(2)} M samples/s`,
  );
}

if (import.meta.main) {
  await median('append 10k by ref + commit', 300, () => appendScrapes(true), 10_000);
  await median('append 10k by labels + commit', 300, () => appendScrapes(false), 10_000);
  await median('select 1k series x 1 day', 15, selectDay, SERIES * (DAY / STEP));
  await median('select 1k series x 1 hour', 50, selectHour, SERIES * 240);
} else {
  const bench = globalThis.Deno.bench;
  bench(
    'append 10 000 samples by ref + commit',
    { group: 'append', baseline: true },
    async () => {
      await appendScrapes(true);
    },
  );
  bench('append 10 000 samples by labels + commit', { group: 'append' }, async () => {
    await appendScrapes(false);
  });
  bench('select 1 000 series × 1 day (5.76 M samples), decode', { group: 'select' }, selectDay);
  bench('select 1 000 series × last hour, decode', { group: 'select' }, selectHour);
  bench('postings only: regex over 1 000 instances', { group: 'postings' }, async () => {
    const q = readStore.querier(T0, T0 + DAY);
    await q.labelValues('instance', selectRegex);
    q.close();
  });
}
