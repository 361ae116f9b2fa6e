/**
 * `deno run -A bench/promql_run.ts [repeats]` (or `bun bench/promql_run.ts`): loads the PromQL
 * benchmark data (promql_data.ts) into the memory storage and prints the median time of each
 * query × shape. With `--prometheus URL` it also times the same queries against a Prometheus
 * holding the same data (see bench/README.md for how to load it) and prints the ratio.
 */
import { Labels } from '../core/model/mod.ts';
import { Hono } from 'hono';
import { Engine } from '../plugins/promql/engine/mod.ts';
import { promqlApi } from '../plugins/promql/api/mod.ts';
import { MemoryStorage } from '../plugins/storage/memory/mod.ts';
import { generateSeries, QUERIES, SHAPE, SHAPES } from './promql_data.ts';

const args = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2);
const promIdx = args.indexOf('--prometheus');
const prometheus = promIdx >= 0 ? args[promIdx + 1] : undefined;
const repeats = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);

const storage = new MemoryStorage();
const load0 = performance.now();
const gens = generateSeries();
const labels = gens.map((g) => Labels.from(g.labels));
const refs = new Array<number>(gens.length).fill(0);
const steps = SHAPE.hours * 3_600_000 / SHAPE.stepMs;
for (let s = 0; s < steps; s++) {
  const app = storage.appender();
  const t = SHAPE.t0 + s * SHAPE.stepMs;
  for (let i = 0; i < gens.length; i++) refs[i] = app.append(refs[i], labels[i], t, gens[i].next());
  await app.commit();
}
console.log(
  `loaded ${gens.length} series × ${steps} samples in ${
    ((performance.now() - load0) / 1000).toFixed(1)
  } s`,
);

const engine = new Engine({ maxSamples: 500_000_000 });

const api = new Hono();
promqlApi({ engine, storage })(api);

function params(shape: (typeof SHAPES)[number], q: string): [string, URLSearchParams] {
  const p = new URLSearchParams({ query: q });
  if (shape.step === 0) {
    p.set('time', String(shape.end / 1000));
    return ['/query', p];
  }
  p.set('start', String(shape.start / 1000));
  p.set('end', String(shape.end / 1000));
  p.set('step', String(shape.step / 1000));
  return ['/query_range', p];
}

/** Through the HTTP API in-process (`app.request`): evaluation plus JSON encoding. */
async function beaconApi(q: string, shape: (typeof SHAPES)[number]): Promise<number> {
  const [path, p] = params(shape, q);
  const t0 = performance.now();
  const res = await api.request(`${path}?${p}`);
  const body = await res.json();
  const ms = performance.now() - t0;
  if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function beacon(q: string, shape: (typeof SHAPES)[number]): Promise<number> {
  const t0 = performance.now();
  if (shape.step === 0) await engine.instantQuery(storage, q, shape.end);
  else await engine.rangeQuery(storage, q, shape.start, shape.end, shape.step);
  return performance.now() - t0;
}

async function prom(q: string, shape: (typeof SHAPES)[number]): Promise<number> {
  const [path, p] = params(shape, q);
  const t0 = performance.now();
  const res = await fetch(`${prometheus}/api/v1${path}?${p}`);
  const body = await res.json();
  const ms = performance.now() - t0;
  if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
  return ms;
}

const rows: string[] = [];
const ratios: number[] = [];
for (const [name, q] of QUERIES) {
  for (const shape of SHAPES) {
    await beacon(q, shape); // warm-up
    const b: number[] = [];
    for (let i = 0; i < repeats; i++) b.push(await beacon(q, shape));
    await beaconApi(q, shape);
    const h: number[] = [];
    for (let i = 0; i < repeats; i++) h.push(await beaconApi(q, shape));
    let row = `| ${name} | ${shape.name} | ${median(b).toFixed(1)} | ${median(h).toFixed(1)} |`;
    if (prometheus) {
      await prom(q, shape);
      const p: number[] = [];
      for (let i = 0; i < repeats; i++) p.push(await prom(q, shape));
      const ratio = median(h) / median(p);
      ratios.push(ratio);
      row += ` ${median(p).toFixed(1)} | ${ratio.toFixed(2)} |`;
    }
    rows.push(row);
    console.log(row);
  }
}
if (ratios.length > 0) {
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean of Beacon/Prometheus: ${geo.toFixed(2)}`);
}
