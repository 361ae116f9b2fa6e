/**
 * `deno run -A bench/promql_openmetrics.ts FILE`: writes the PromQL benchmark data
 * (promql_data.ts) as OpenMetrics text with timestamps, for
 * `promtool tsdb create-blocks-from openmetrics FILE DIR`, so that a Prometheus started on DIR
 * holds the very samples Beacon loads. Metric families are written one after the other.
 */
import { createWriteStream } from 'node:fs';
import { generateSeries, SHAPE } from './promql_data.ts';

const file = (typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2))[0];
if (!file) throw new Error('usage: promql_openmetrics.ts FILE');
const out = createWriteStream(file);
const write = (s: string) =>
  new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', resolve)));

const gens = generateSeries();
const steps = SHAPE.hours * 3_600_000 / SHAPE.stepMs;
const text = gens.map((g) => {
  const { __name__, ...rest } = g.labels;
  return `${__name__}{${Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
});
// Values must be generated in time order per series, as the loader does.
const values = gens.map(() => new Float64Array(steps));
for (let s = 0; s < steps; s++) for (let i = 0; i < gens.length; i++) values[i][s] = gens[i].next();
const families = [...new Set(gens.map((g) => g.labels.__name__))];
for (const fam of families) {
  const idx = gens.flatMap((g, i) => (g.labels.__name__ === fam ? [i] : []));
  for (let s = 0; s < steps; s++) {
    const ts = (SHAPE.t0 + s * SHAPE.stepMs) / 1000;
    let chunk = '';
    for (const i of idx) chunk += `${text[i]} ${values[i][s]} ${ts}\n`;
    await write(chunk);
  }
}
await write('# EOF\n');
out.end();
await new Promise<void>((r) => out.on('finish', () => r()));
