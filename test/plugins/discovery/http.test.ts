import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { httpSDSchema } from '../../../core/config/mod.ts';
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { HttpDiscoverer } from '../../../plugins/discovery/http/mod.ts';
import { host, recordingLogger } from '../../helpers/host.ts';
import { eventually } from '../../helpers/process.ts';

interface Reply {
  status?: number;
  type?: string;
  body: string;
}

async function serve(reply: () => Reply, seen: http.IncomingHttpHeaders[]) {
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const r = reply();
    res.statusCode = r.status ?? 200;
    res.setHeader('content-type', r.type ?? 'application/json');
    res.end(r.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

function discoverer(raw: Record<string, unknown>, registry?: Registry) {
  const cfg = v.parse(httpSDSchema, raw);
  return new HttpDiscoverer(cfg, {
    logger: recordingLogger().logger,
    host,
    registry,
    index: 0,
    setName: 'job',
  });
}

describe('http_sd_configs', () => {
  test('groups get __meta_url and <url>:<i> sources; auth and Prometheus headers are sent', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const s = await serve(() => ({
      body: JSON.stringify([
        { targets: ['a:1', 'b:1'], labels: { env: 'prod' } },
        { targets: ['c:1'] },
      ]),
    }), seen);
    try {
      const d = discoverer({ url: s.url, basic_auth: { username: 'u', password: 'p' } });
      assert.deepEqual(await d.refresh(), [
        {
          targets: [{ __address__: 'a:1' }, { __address__: 'b:1' }],
          labels: { env: 'prod', __meta_url: s.url },
          source: `${s.url}:0`,
        },
        { targets: [{ __address__: 'c:1' }], labels: { __meta_url: s.url }, source: `${s.url}:1` },
      ]);
      assert.equal(seen[0].authorization, `Basic ${btoa('u:p')}`);
      assert.equal(seen[0].accept, 'application/json');
      assert.equal(seen[0]['x-prometheus-refresh-interval-seconds'], '60');
    } finally {
      await s.close();
    }
  });

  test('failures (status, content type, bad JSON, nil group) count and keep the last groups', async () => {
    let reply: Reply = { body: JSON.stringify([{ targets: ['a:1'] }, { targets: ['b:1'] }]) };
    const s = await serve(() => reply, []);
    const registry = new Registry();
    try {
      const d = discoverer({ url: s.url, refresh_interval: '1h' }, registry);
      assert.equal((await d.refresh()).length, 2);
      const bad: [Reply, RegExp][] = [
        [{ status: 500, body: '[]' }, /server returned HTTP status 500/],
        [{ type: 'text/plain', body: '[]' }, /unsupported content type "text\/plain"/],
        [{ body: '[{"targets": [' }, /JSON|Unexpected|Unterminated|Expected/i],
        [{ body: '[null]' }, /nil target group item found/],
      ];
      for (const [r, msg] of bad) {
        reply = r;
        await assert.rejects(d.refresh(), msg);
      }
      assert.match(await registry.metrics(), /prometheus_sd_http_failures_total 4/);
      // Through run(): a failure reports nothing (the manager keeps the last groups).
      const updates: TargetGroup[][] = [];
      const ac = new AbortController();
      const done = d.run(ac.signal, (g) => updates.push(g));
      const failed = /prometheus_sd_refresh_failures_total\{mechanism="http"\} 1/;
      await eventually(async () => failed.test(await registry.metrics()), 10_000);
      ac.abort();
      await done;
      assert.deepEqual(updates, []);
      reply = {
        type: 'application/json; charset=utf-8',
        body: JSON.stringify([{ targets: ['z:1'] }]),
      };
      const shrunk = await d.refresh();
      assert.deepEqual(shrunk.map((g) => [g.source, g.targets.length]), [
        [`${s.url}:0`, 1],
        [`${s.url}:1`, 0],
      ]);
    } finally {
      await s.close();
    }
  });
});
