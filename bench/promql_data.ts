/**
 * The PromQL benchmark's data set and queries: 10 000 series × 6 h at 15 s — 5 000 counters,
 * 3 000 gauges and 200 classic histograms of 10 buckets — with `job`, `instance` and `zone`
 * labels. Values come from a seeded generator, so Beacon and Prometheus get the same samples.
 */

/** The series count per kind and the time grid. */
export const SHAPE = {
  counters: 5000,
  gauges: 3000,
  histograms: 200,
  buckets: ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'],
  stepMs: 15_000,
  hours: 6,
  /** Start of the data (ms): a round hour. */
  t0: 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000),
};

/** End of the data (ms). */
export const T_END = SHAPE.t0 + SHAPE.hours * 3_600_000 - SHAPE.stepMs;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

/** One generated series: its labels and a value generator called once per step. */
export interface GenSeries {
  labels: Record<string, string>;
  next: () => number;
}

/** Every series of the data set, in a fixed order. */
export function generateSeries(): GenSeries[] {
  const out: GenSeries[] = [];
  const place = (i: number) => ({
    job: `job-${i % 10}`,
    instance: `i-${Math.floor(i / 10)}`,
    zone: `zone-${Math.floor(i / 7) % 10}`,
  });
  for (let i = 0; i < SHAPE.counters; i++) {
    const r = rng(i + 1);
    let v = 0;
    out.push({
      labels: { __name__: 'http_requests_total', ...place(i) },
      next: () => (v += Math.floor(r() * 50)),
    });
  }
  for (let i = 0; i < SHAPE.gauges; i++) {
    const r = rng(100_000 + i);
    out.push({
      labels: { __name__: 'memory_usage_bytes', ...place(i) },
      next: () => Math.round(1e6 + r() * 1e5),
    });
  }
  for (let h = 0; h < SHAPE.histograms; h++) {
    const r = rng(200_000 + h);
    const counts = new Array(SHAPE.buckets.length).fill(0);
    let step = -1;
    // Buckets of one histogram advance together: generate a step's observations once.
    const advance = () => {
      for (let k = 0; k < 20; k++) {
        const x = r() * r() * 2;
        for (let b = 0; b < SHAPE.buckets.length; b++) {
          const le = SHAPE.buckets[b] === '+Inf' ? Infinity : Number(SHAPE.buckets[b]);
          if (x <= le) counts[b]++;
        }
      }
    };
    SHAPE.buckets.forEach((le, b) => {
      let mine = -1;
      out.push({
        labels: { __name__: 'request_duration_seconds_bucket', ...place(h), le },
        next: () => {
          mine++;
          if (mine > step) {
            advance();
            step = mine;
          }
          return counts[b];
        },
      });
    });
  }
  return out;
}

/** The queries, named for the table. */
export const QUERIES: [string, string][] = [
  ['selector', 'memory_usage_bytes'],
  ['sum rate', 'sum by (job) (rate(http_requests_total[5m]))'],
  [
    'histogram_quantile',
    'histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
  ],
  ['topk', 'topk(10, rate(http_requests_total[5m]))'],
  ['regex 10%', '{__name__=~"http_requests_total|memory_usage_bytes", zone=~"zone-[3]"}'],
  ['count by everything', 'count by (__name__) ({__name__=~".+"})'],
  [
    'binary on()',
    'rate(http_requests_total[5m]) * on (job, instance) group_left () memory_usage_bytes',
  ],
  ['avg_over_time 1h', 'avg_over_time(memory_usage_bytes[1h])'],
  ['subquery', 'max_over_time(rate(http_requests_total[5m])[30m:1m])'],
];

/** The query shapes: an instant query at the end, and range queries over 1 h and 6 h at 60 s. */
export const SHAPES: { name: string; start: number; end: number; step: number }[] = [
  { name: 'instant', start: T_END, end: T_END, step: 0 },
  { name: 'range 1h', start: T_END - 3_600_000, end: T_END, step: 60_000 },
  { name: 'range 6h', start: SHAPE.t0, end: T_END, step: 60_000 },
];
