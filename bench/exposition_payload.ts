/**
 * Deterministic node_exporter-like exposition for parser benchmarks: counters and gauges
 * with 3–6 labels plus classic histograms with 10 buckets, about 10k samples in all.
 * @module
 */

/** Builds the payload in the text format, or in OpenMetrics when `openMetrics` is set. */
export function buildPayload(openMetrics: boolean, targetSamples = 10_000): string {
  const out: string[] = [];
  let n = 0;
  const family = (name: string, type: string, help: string) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  const instance = 'instance="node-17.example.org:9100",job="node"';
  // Per CPU: mode counters (4 labels).
  family('node_cpu_seconds', 'counter', 'Seconds the CPUs spent in each mode.');
  for (let cpu = 0; cpu < 64; cpu++) {
    for (const mode of ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']) {
      out.push(
        `node_cpu_seconds_total{cpu="${cpu}",${instance},mode="${mode}"} ${
          (cpu * 1234.56 + mode.length * 77.7).toFixed(2)
        }`,
      );
      n++;
    }
  }
  // Filesystems: gauges with 5–6 labels.
  for (const metric of ['avail_bytes', 'free_bytes', 'size_bytes', 'files', 'files_free']) {
    family(`node_filesystem_${metric}`, 'gauge', `Filesystem ${metric}.`);
    for (let d = 0; d < 60; d++) {
      out.push(
        `node_filesystem_${metric}{device="/dev/nvme${d >> 3}n1p${
          d & 7
        }",fstype="ext4",${instance},mountpoint="/mnt/disk${d}"} ${(d + 1) * 1.073741824e9}`,
      );
      n++;
    }
  }
  // Network counters per device (3 labels).
  for (const metric of ['receive_bytes', 'transmit_bytes', 'receive_packets', 'transmit_packets']) {
    family(`node_network_${metric}`, 'counter', `Network device statistic ${metric}.`);
    for (let d = 0; d < 100; d++) {
      out.push(
        `node_network_${metric}_total{device="veth${d.toString(16)}a9f",${instance}} ${
          d * 98765 + 3
        }`,
      );
      n++;
    }
  }
  // Classic histograms: 10 buckets + +Inf + sum + count, 5–6 labels.
  const les = [
    '0.005',
    '0.01',
    '0.025',
    '0.05',
    '0.1',
    '0.25',
    '0.5',
    '1',
    '2.5',
    '5',
    '10',
    '+Inf',
  ];
  family('http_request_duration_seconds', 'histogram', 'Request latency.');
  let h = 0;
  while (n < targetSamples - 14) {
    const base = `code="${200 + (h % 5)}",handler="/api/v1/items/${h >> 2}",${instance},method="${
      ['GET', 'POST', 'PUT', 'DELETE'][h & 3]
    }"`;
    let c = 0;
    for (const le of les) {
      c += (h * 7 + le.length) % 13;
      out.push(`http_request_duration_seconds_bucket{${base},le="${le}"} ${c}`);
    }
    out.push(`http_request_duration_seconds_sum{${base}} ${(c * 0.137).toFixed(3)}`);
    out.push(`http_request_duration_seconds_count{${base}} ${c}`);
    n += les.length + 2;
    h++;
  }
  while (n < targetSamples) {
    family(`beacon_padding_${n}`, 'gauge', 'Padding.');
    out.push(`beacon_padding_${n}{${instance},slot="${n}"} ${n}`);
    n++;
  }
  if (openMetrics) out.push('# EOF');
  return out.join('\n') + '\n';
}

/** Number of sample lines in a payload. */
export function countSamples(payload: string): number {
  let n = 0;
  for (const line of payload.split('\n')) if (line !== '' && line[0] !== '#') n++;
  return n;
}
