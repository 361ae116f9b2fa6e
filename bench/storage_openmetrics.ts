/**
 * `deno run -A bench/storage_openmetrics.ts FILE [series=10000] [samples=1440]`: writes the
 * storage benchmark data (storage_duckdb_data.ts, the data `storage_duckdb_run.ts` stores) as
 * OpenMetrics text with timestamps, for `promtool tsdb create-blocks-from openmetrics FILE DIR`,
 * so Prometheus's blocks and Beacon's hold the very same samples. Families one after the other,
 * time-major inside a family.
 */
import { createWriteStream } from 'node:fs';
import process from 'node:process';
import { benchData } from './storage_duckdb_data.ts';

const args = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
const file = args[0];
if (!file) throw new Error('usage: storage_openmetrics.ts FILE [series] [samples]');
const nSeries = Number(args[1] ?? 10_000);
const nSamples = Number(args[2] ?? 1_440);
const data = benchData(nSeries, nSamples);
const out = createWriteStream(file);
const write = (s: string) =>
  new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', resolve)));

const families = new Map<string, number[]>();
data.forEach((d, i) => {
  const name = d.labels.__name__;
  families.set(name, [...(families.get(name) ?? []), i]);
});
for (const [name, idx] of families) {
  const type = name.endsWith('_total') ? 'counter' : 'gauge';
  const family = type === 'counter' ? name.slice(0, -'_total'.length) : name;
  await write(`# TYPE ${family} ${type}\n`);
  const prefix = idx.map((i) => {
    const { __name__, ...rest } = data[i].labels;
    return `${__name__}{${Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(',')}} `;
  });
  for (let s = 0; s < nSamples; s++) {
    let chunk = '';
    for (let k = 0; k < idx.length; k++) {
      const d = data[idx[k]];
      chunk += `${prefix[k]}${d.v[s]} ${d.t[s] / 1000}\n`;
    }
    await write(chunk);
  }
}
await write('# EOF\n');
await new Promise<void>((resolve) => out.end(resolve));
console.log(JSON.stringify({ file, series: nSeries, samples: nSeries * nSamples }));
