import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { dnsSDSchema } from '../../../core/config/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { DnsDiscoverer } from '../../../plugins/discovery/dns/mod.ts';
import { host, recordingLogger } from '../../helpers/host.ts';
import { startDnsServer, type Zone } from './dns_server.ts';

const zone: Zone = {
  '_node._tcp.example.test': {
    SRV: [
      { priority: 10, weight: 5, port: 9100, target: 'node1.example.test' },
      { priority: 10, weight: 5, port: 9101, target: 'node2.example.test' },
    ],
  },
  'db.example.test': { A: ['10.0.0.7', '10.0.0.8'], AAAA: ['2001:db8::7'] },
  'mail.example.test': { MX: [{ preference: 10, exchange: 'mx1.example.test' }] },
  'example.test': { NS: ['ns1.example.test'] },
  'broken.example.test': { fail: true },
};

async function withServer(fn: (port: number) => Promise<void>) {
  const s = await startDnsServer(zone);
  try {
    await fn(s.port);
  } finally {
    await s.close();
  }
}

function discoverer(port: number, raw: Record<string, unknown>, registry?: Registry) {
  if (!host.resolveDns) throw new Error('host has no resolver');
  const resolve = host.resolveDns.bind(host);
  return new DnsDiscoverer(v.parse(dnsSDSchema, raw), {
    logger: recordingLogger().logger,
    host,
    registry,
    index: 0,
    setName: 'job',
  }, { resolve: (n, t) => resolve(n, t, { nameServer: { ipAddr: '127.0.0.1', port } }) });
}

const empty = {
  __meta_dns_srv_record_target: '',
  __meta_dns_srv_record_port: '',
  __meta_dns_mx_record_target: '',
};

describe('dns_sd_configs through the runtime resolver and a local DNS server', () => {
  test('SRV (the default type): target:port and the SRV labels', () =>
    withServer(async (port) => {
      const groups = await discoverer(port, { names: ['_node._tcp.example.test'] }).refresh();
      assert.deepEqual(groups, [{
        source: '_node._tcp.example.test',
        labels: {},
        targets: [9100, 9101].map((p, i) => ({
          ...empty,
          __address__: `node${i + 1}.example.test:${p}`,
          __meta_dns_name: '_node._tcp.example.test',
          __meta_dns_srv_record_target: `node${i + 1}.example.test.`,
          __meta_dns_srv_record_port: String(p),
        })),
      }]);
    }));

  test('A and AAAA use the configured port', () =>
    withServer(async (port) => {
      const a = await discoverer(port, { names: ['db.example.test'], type: 'A', port: 9187 })
        .refresh();
      assert.deepEqual(a[0].targets.map((t) => t.__address__).sort(), [
        '10.0.0.7:9187',
        '10.0.0.8:9187',
      ]);
      assert.deepEqual(a[0].targets[0], {
        ...empty,
        __address__: a[0].targets[0].__address__,
        __meta_dns_name: 'db.example.test',
      });
      const aaaa = await discoverer(port, { names: ['db.example.test'], type: 'AAAA', port: 9 })
        .refresh();
      assert.deepEqual(aaaa[0].targets.map((t) => t.__address__), ['[2001:db8::7]:9']);
    }));

  test('MX and NS', () =>
    withServer(async (port) => {
      const mx = await discoverer(port, { names: ['mail.example.test'], type: 'MX', port: 25 })
        .refresh();
      assert.deepEqual(mx[0].targets, [{
        ...empty,
        __address__: 'mx1.example.test:25',
        __meta_dns_name: 'mail.example.test',
        __meta_dns_mx_record_target: 'mx1.example.test.',
      }]);
      const ns = await discoverer(port, { names: ['example.test'], type: 'NS', port: 53 })
        .refresh();
      assert.deepEqual(ns[0].targets, [{
        ...empty,
        __address__: 'ns1.example.test:53',
        __meta_dns_name: 'example.test',
        __meta_dns_ns_record_target: 'ns1.example.test.',
      }]);
    }));

  test('an unknown name (NXDOMAIN) empties its group', () =>
    withServer(async (port) => {
      const groups = await discoverer(port, {
        names: ['nothing.example.test', 'db.example.test'],
        type: 'A',
        port: 80,
      }).refresh();
      assert.deepEqual(groups.map((g) => [g.source, g.targets.length]), [
        ['nothing.example.test', 0],
        ['db.example.test', 2],
      ]);
    }));

  test("SERVFAIL is a failed lookup under Bun (Deno's resolver reports it as no records)", () =>
    withServer(async (port) => {
      const groups = await discoverer(port, { names: ['broken.example.test'], type: 'A', port: 1 })
        .refresh();
      if ('Bun' in globalThis) assert.deepEqual(groups, []);
      else assert.deepEqual(groups, [{ source: 'broken.example.test', labels: {}, targets: [] }]);
    }));
});

describe('dns_sd_configs lookup failures', () => {
  test('a failed name is left out (keeping its targets) and counted; others still report', async () => {
    const registry = new Registry();
    const d = new DnsDiscoverer(
      v.parse(dnsSDSchema, { names: ['a.test', 'b.test'], type: 'A', port: 80 }),
      { logger: recordingLogger().logger, registry, index: 0, setName: 'job' },
      {
        resolve: (name) =>
          name === 'a.test'
            ? Promise.reject(new Error('SERVFAIL'))
            : Promise.resolve([{ type: 'A', address: '10.1.1.1' }]),
      },
    );
    const groups = await d.refresh();
    assert.deepEqual(groups.map((g) => [g.source, g.targets.map((t) => t.__address__)]), [
      ['b.test', ['10.1.1.1:80']],
    ]);
    const text = await registry.metrics();
    assert.match(text, /prometheus_sd_dns_lookups_total 2/);
    assert.match(text, /prometheus_sd_dns_lookup_failures_total 1/);
  });
});
