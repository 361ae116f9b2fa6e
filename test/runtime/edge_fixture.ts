// What the edge tests (Workers on workerd, Deno Deploy on Deno) run against: a target serving
// metrics, a webhook receiver and a remote-write receiver, all on 127.0.0.1, plus the config
// and rule file that point at them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWriteRequest, snappyDecompress, type WriteRequest } from '../../core/remote/mod.ts';

/** The local services and the Beacon config that uses them. */
export interface EdgeFixture {
  /** `prometheus.yml` text: one job scraping the target, the rule file, a webhook route. */
  config: string;
  /** The rule file's text (named `/etc/beacon/rules.yml` in the config). */
  rules: string;
  /** How many times the target was scraped. */
  scrapes(): number;
  /** Bodies the webhook receiver got, parsed. */
  webhooks(): WebhookPayload[];
  /** Decoded remote-write requests. */
  writes(): WriteRequest[];
  close(): Promise<void>;
}

/** The parts of Alertmanager's webhook payload the tests read. */
export interface WebhookPayload {
  version: string;
  status: string;
  receiver: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** The rule file's path in the config. */
export const RULES_PATH = '/etc/beacon/rules.yml';

function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

function body(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => parts.push(c));
    req.on('end', () => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      resolve(out);
    });
    req.on('error', reject);
  });
}

/** Starts the three services. */
export async function startEdgeFixture(): Promise<EdgeFixture> {
  let scrapes = 0;
  const webhooks: WebhookPayload[] = [];
  const writes: WriteRequest[] = [];
  const target = await listen((_req, res) => {
    scrapes++;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# TYPE edge_test_value gauge\nedge_test_value{kind="probe"} 42\n');
  });
  const hook = await listen(async (req, res) => {
    webhooks.push(JSON.parse(new TextDecoder().decode(await body(req))));
    res.writeHead(200).end();
  });
  const rw = await listen(async (req, res) => {
    try {
      writes.push(decodeWriteRequest(snappyDecompress(await body(req))));
      res.writeHead(204).end();
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
  });
  const targetHost = new URL(target.url).host;
  const config = `global:
  scrape_interval: 1m
  evaluation_interval: 1m
  external_labels:
    site: edge-test
rule_files:
  - ${RULES_PATH}
scrape_configs:
  - job_name: edge-target
    static_configs:
      - targets: ['${targetHost}']
remote_write:
  - url: ${rw.url}/api/v1/write
route:
  receiver: hook
  group_wait: 0s
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook.url}/hook
`;
  const rules = `groups:
  - name: edge
    rules:
      - record: edge:value:doubled
        expr: edge_test_value * 2
      - alert: EdgeValueHigh
        expr: edge_test_value > 10
        for: 0s
        labels:
          severity: page
`;
  return {
    config,
    rules,
    scrapes: () => scrapes,
    webhooks: () => webhooks,
    writes: () => writes,
    close: async () => {
      for (const s of [target.server, hook.server, rw.server]) {
        s.closeAllConnections?.();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
