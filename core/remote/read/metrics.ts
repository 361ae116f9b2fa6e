/**
 * Remote read's self metrics, named after Prometheus's `prometheus_remote_storage_*` read
 * metrics with Beacon's prefix and the same labels.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from '../../metrics/mod.ts';

const P = 'beacon_remote_storage_';

/** The metric families of the remote-read client; one set per registry. */
export class ReadMetrics {
  /** Answered queries by endpoint and HTTP status code. */
  readonly queriesTotal: Counter<'remote_name' | 'url' | 'response_code'>;
  /** Queries in flight. */
  readonly inFlight: Gauge<'remote_name' | 'url'>;
  /** Latency of remote read requests. */
  readonly duration: Histogram<'remote_name' | 'url'>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.queriesTotal = new Counter({
      name: P + 'read_queries_total',
      help: 'The number of remote read queries.',
      labelNames: ['remote_name', 'url', 'response_code'],
      registers,
    });
    this.inFlight = new Gauge({
      name: P + 'remote_read_queries',
      help: 'The number of in-flight remote read queries.',
      labelNames: ['remote_name', 'url'],
      registers,
    });
    this.duration = new Histogram({
      name: P + 'read_request_duration_seconds',
      help: 'Histogram of the latency for remote read requests.',
      labelNames: ['remote_name', 'url'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
      registers,
    });
  }
}
