/**
 * Plain runner printing samples/s for the exposition parser workloads; works under
 * `deno run bench/exposition_parser_run.ts` and `bun bench/exposition_parser_run.ts`.
 */
import { buildPayload, countSamples } from './exposition_payload.ts';
import { parseCold, parseWarm } from './exposition_workload.ts';

const ROUNDS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function measure(label: string, samples: number, run: () => number): void {
  for (let i = 0; i < 50; i++) run(); // warm up the JIT
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    sink += run();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const rate = samples / (ms / 1000);
  console.log(
    `${label.padEnd(28)} median ${ms.toFixed(3)} ms/scrape  ${
      (rate / 1e6).toFixed(2)
    } M samples/s` +
      (sink === -1 ? '!' : ''),
  );
}

for (
  const [name, om, ct] of [
    ['text 0.0.4', false, 'text/plain; version=0.0.4'],
    ['OpenMetrics', true, 'application/openmetrics-text; version=1.0.0'],
  ] as const
) {
  const payload = buildPayload(om);
  const body = new TextEncoder().encode(payload);
  const samples = countSamples(payload);
  const cache = new Map<string, number>();
  parseWarm(body, ct, cache);
  console.log(`${name}: ${samples} samples, ${body.length} bytes`);
  measure(`${name} cold`, samples, () => parseCold(body, ct));
  measure(`${name} warm`, samples, () => parseWarm(body, ct, cache));
}
