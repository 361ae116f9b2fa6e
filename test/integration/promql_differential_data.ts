/**
 * The data set of the PromQL differential test: about 80 series over two hours at a 15 s
 * interval, written identically into Beacon and Prometheus. Every sample sits 777–816 ms past
 * a whole second, while every query time sits at .123, .5 or a multiple of 100 ms + 56 past a
 * second, so no sample ever lands on a range or lookback boundary: Prometheus 2.x's closed
 * windows and 3.x's left-open ones then select the same samples.
 */
import { Labels } from '../../core/model/mod.ts';

/** Start of the data (ms): a whole hour, fixed so runs are reproducible. */
export const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);
/** Length of the data (ms). */
export const SPAN = 2 * 3_600_000;
/** Sample interval (ms). */
export const INTERVAL = 15_000;

/** One generated series: labels, sample times (ms), values, and stale flags. */
export interface DataSeries {
  labels: Labels;
  t: number[];
  v: number[];
  stale: number[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

interface Spec {
  labels: Record<string, string>;
  /** Value at step `i` (time `t`), or undefined for no sample. */
  value: (i: number, t: number) => number | undefined;
  /** Offset from T0 of the first sample (ms, before phase). */
  from?: number;
  /** Offset from T0 after which no sample is written (ms). */
  until?: number;
  /** Write a stale marker after the last sample. */
  staleEnd?: boolean;
}

function counter(
  seed: number,
  rate: number,
  resetStep?: number,
  start?: number,
): Spec['value'] {
  const r = rng(seed);
  // Counters that have run for a while: their zero point lies far before the data. Prometheus 3
  // caps the extrapolation at half an interval before applying the zero point, 2.42 after, so
  // counters born inside a window near zero may extrapolate differently.
  let c = start ?? Math.floor(r() * 5000);
  return (i) => {
    if (i === resetStep) c = 0;
    c += Math.floor(r() * rate * 10) / 10;
    return c;
  };
}

function walk(seed: number, base: number, amp: number): Spec['value'] {
  const r = rng(seed);
  let x = base;
  return () => (x += (r() - 0.5) * amp, Math.round(x * 1000) / 1000);
}

function specs(): Spec[] {
  const out: Spec[] = [];
  let seed = 1;
  // Counters with a reset, a series that ends with a stale marker and one that starts late.
  for (const job of ['api', 'web']) {
    for (const instance of ['a:9090', 'b:9090']) {
      for (const method of ['get', 'post']) {
        for (const code of ['200', '500']) {
          const spec: Spec = {
            labels: { __name__: 'http_requests_total', job, instance, method, code },
            value: counter(seed++, code === '200' ? 20 : 2),
          };
          if (job === 'api' && instance === 'a:9090' && method === 'get' && code === '200') {
            spec.value = counter(seed++, 20, 200);
          }
          if (job === 'web' && instance === 'b:9090' && method === 'post' && code === '500') {
            spec.until = 90 * 60_000;
            spec.staleEnd = true;
          }
          if (job === 'web' && instance === 'a:9090' && method === 'post' && code === '500') {
            spec.from = 40 * 60_000;
          }
          out.push(spec);
        }
      }
    }
  }
  for (const instance of ['a', 'b', 'c']) {
    for (const zone of ['z1', 'z2']) {
      out.push({
        labels: { __name__: 'node_temp_celsius', job: 'node', instance, zone },
        value: walk(seed++, instance === 'c' ? -3 : 40, 2),
      });
    }
  }
  const bounds = ['0.1', '0.5', '1', '5', '+Inf'];
  for (const job of ['api', 'web']) {
    for (const instance of ['a:9090', 'b:9090']) {
      const r = rng(seed++);
      // Cumulative bucket counts and sums per step, computed up front (series are generated
      // one after another, so the seven series of a histogram must share precomputed steps).
      const steps = SPAN / INTERVAL;
      const counts: number[][] = [];
      const sums: number[] = [];
      const c = bounds.map(() => 0);
      let sum = 0;
      // 200 unrecorded steps first, so the buckets do not start at zero (as `counter`).
      for (let i = -200; i < steps; i++) {
        const n = Math.floor(r() * 30);
        for (let k = 0; k < n; k++) {
          const x = r() * r() * 8;
          sum += x;
          for (let b = 0; b < bounds.length; b++) {
            if (bounds[b] === '+Inf' || x <= Number(bounds[b])) c[b]++;
          }
        }
        if (i < 0) continue;
        counts.push([...c]);
        sums.push(Math.round(sum * 1e6) / 1e6);
      }
      bounds.forEach((le, b) =>
        out.push({
          labels: { __name__: 'req_duration_seconds_bucket', job, instance, le },
          value: (i) => counts[i][b],
        })
      );
      out.push({
        labels: { __name__: 'req_duration_seconds_sum', job, instance },
        value: (i) => sums[i],
      });
      out.push({
        labels: { __name__: 'req_duration_seconds_count', job, instance },
        value: (i) => counts[i][bounds.length - 1],
      });
    }
  }
  for (
    const [job, instance] of [
      ['api', 'a:9090'],
      ['api', 'b:9090'],
      ['web', 'a:9090'],
      ['web', 'b:9090'],
      ['node', 'a'],
      ['node', 'b'],
      ['node', 'c'],
    ]
  ) {
    out.push({
      labels: { __name__: 'up', job, instance },
      value: (_i, t) => (instance === 'c' && t - T0 > 3_600_000 ? 0 : 1),
    });
  }
  for (
    const [job, instance, version] of [['api', 'a:9090', '1.0'], ['api', 'b:9090', '1.1'], [
      'web',
      'a:9090',
      '1.0',
    ], ['web', 'b:9090', '1.1']]
  ) {
    out.push({ labels: { __name__: 'build_info', job, instance, version }, value: () => 1 });
  }
  // A gauge that stops without a stale marker (it fades after the lookback delta).
  out.push({
    labels: { __name__: 'batch_last_success_timestamp_seconds', job: 'batch' },
    value: (i, t) => Math.floor((t - (i % 7) * INTERVAL) / 1000),
    until: 60 * 60_000,
  });
  const cycle = [1, NaN, -Infinity, 5, 0, Infinity, -2.5];
  for (const kind of ['nan', 'inf', 'mixed']) {
    out.push({
      labels: { __name__: 'weird_gauge', kind },
      value: (i) => (kind === 'nan' ? NaN : kind === 'inf' ? Infinity : cycle[i % cycle.length]),
    });
  }
  for (
    const [path, host] of [['/api/v1/users', 'h1.example.com'], [
      '/api/v1/orders',
      'h2.example.com',
    ], ['/health', 'h1.example.com']]
  ) {
    out.push({
      labels: { __name__: 'path_hits_total', path, host },
      value: counter(seed++, 5),
    });
  }
  // A counter born mid-data close to zero: its first windows exercise the counter zero point.
  out.push({
    labels: { __name__: 'fresh_jobs_total', job: 'batch' },
    value: counter(seed++, 3, undefined, 1),
    from: 50 * 60_000,
  });
  for (const [instance, v] of [['a', 1], ['b', 2], ['c', 2], ['d', 3]] as const) {
    out.push({ labels: { __name__: 'deploy_version', instance }, value: () => v });
  }
  for (const queue of ['q1', 'q2', 'q3']) {
    const r = rng(seed++);
    let x = 3;
    out.push({
      labels: { __name__: 'queue_length', queue },
      value: () => (x = Math.max(0, x + Math.floor(r() * 3) - 1)),
    });
  }
  return out;
}

/** Every series of the data set, in a fixed order, with its samples. */
export function generateData(): DataSeries[] {
  const jitter = rng(4242);
  return specs().map((spec, idx) => {
    const phase = 777 + 1000 * (idx % 14);
    const s: DataSeries = { labels: Labels.from(spec.labels), t: [], v: [], stale: [] };
    for (let i = 0; T0 + i * INTERVAL < T0 + SPAN; i++) {
      const off = i * INTERVAL;
      const t = T0 + off + phase + Math.floor(jitter() * 40);
      const val = spec.value(i, t);
      if (off < (spec.from ?? 0) || off >= (spec.until ?? Infinity) || val === undefined) continue;
      s.t.push(t);
      s.v.push(val);
      s.stale.push(0);
    }
    if (spec.staleEnd) {
      s.t.push(s.t[s.t.length - 1] + INTERVAL);
      s.v.push(NaN);
      s.stale.push(1);
    }
    return s;
  });
}
