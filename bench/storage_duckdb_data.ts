/**
 * The storage benchmark data: `series` series × `samples` samples at 15 s, half counters with
 * random increments, half noisy two-decimal gauges; each series starts at its own offset
 * inside the first interval, as targets scraped at different moments do.
 */

/** One series' samples as parallel columns. */
export interface BenchSeries {
  labels: Record<string, string>;
  t: Float64Array;
  v: Float64Array;
}

/** A small deterministic generator, so runs compare. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

/** Generates the data set; `jitterMs` adds a uniform ±jitter to each timestamp. */
export function benchData(
  series = 10_000,
  samples = 1_440,
  start = 1_700_000_000_000,
  jitterMs = 0,
): BenchSeries[] {
  const r = rng(42);
  const out: BenchSeries[] = [];
  for (let s = 0; s < series; s++) {
    const t = new Float64Array(samples), v = new Float64Array(samples);
    const offset = Math.floor(r() * 15_000);
    const counter = s % 2 === 0;
    let x = counter ? Math.floor(r() * 1e6) : 20 + r() * 80;
    for (let i = 0; i < samples; i++) {
      const j = jitterMs > 0 ? Math.round((r() * 2 - 1) * jitterMs) : 0;
      t[i] = start + offset + i * 15_000 + j;
      if (counter) {
        x += Math.floor(r() * 100);
        v[i] = x;
      } else {
        v[i] = Math.round((x + (r() - 0.5) * 10) * 100) / 100;
      }
    }
    out.push({
      labels: {
        __name__: counter ? 'bench_requests_total' : 'bench_temperature',
        instance: `host-${s >> 6}:9100`,
        series: String(s),
      },
      t,
      v,
    });
  }
  return out;
}
