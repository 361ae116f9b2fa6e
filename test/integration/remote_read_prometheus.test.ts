/**
 * Real Prometheus 2.42 as the remote-read server: samples written to it through its
 * remote-write receiver are answered by Beacon (started with `remote_read` pointing at
 * Prometheus's `/api/v1/read`, local storage empty) through `/api/v1/query` and
 * `/api/v1/query_range`, with the values Prometheus itself returns. Skips when
 * /usr/bin/prometheus is absent, except under CI=true.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { Labels } from '../../core/model/mod.ts';
import { snappyCompress, WriteRequestEncoder } from '../../core/remote/mod.ts';
import { ReadClient } from '../../core/remote/read/mod.ts';
import { tempDir } from '../helpers/host.ts';
import { type BeaconProcess, eventually, freePort, startBeacon } from '../helpers/process.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS)
  ? false
  : `${PROMETHEUS} not installed (apt-get install prometheus); skipping the remote_read test`;
if (skip && process.env.CI === 'true') throw new Error(`${skip}; CI=true requires it`);
if (skip) console.log(skip);

// deno-lint-ignore no-explicit-any
type Json = any;

describe('Beacon remote_read from real Prometheus', { skip }, () => {
  const dir = tempDir();
  const now = Math.floor(Date.now() / 1000) * 1000;
  let prom: ChildProcess | undefined;
  let promLogs = '';
  let promUrl = '';
  let beacon: BeaconProcess | undefined;

  before(async () => {
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = dir.write('prometheus.yml', 'global: { scrape_interval: 1h }\n');
    prom = spawn(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir.dir}/prom-data`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => (promLogs += d));
    prom.stderr!.on('data', (d) => (promLogs += d));
    await eventually(async () => {
      try {
        const r = await fetch(`${promUrl}/-/ready`);
        await r.body?.cancel();
        return r.ok;
      } catch {
        return false;
      }
    }, 20_000).catch((e) => {
      throw new Error(`${e.message}; prometheus logs:\n${promLogs.slice(-3000)}`);
    });
    // Ten minutes of samples at 15 s for two series, plus one the query must not touch.
    const enc = new WriteRequestEncoder();
    const ts = Array.from({ length: 41 }, (_, i) => now - (40 - i) * 15_000);
    enc.addSeries(
      Labels.from({ __name__: 'rr_requests_total', job: 'api', instance: 'a' }),
      ts,
      ts.map((_, i) => i * 3 + (i % 5) * 0.25),
      [],
    );
    enc.addSeries(
      Labels.from({ __name__: 'rr_requests_total', job: 'api', instance: 'b' }),
      ts,
      ts.map((_, i) => i * 1.5),
      [],
    );
    enc.addSeries(Labels.from({ __name__: 'rr_other', job: 'x' }), ts, ts.map(() => 9), []);
    // Irregular times and values (every XOR encoding case) ending in a stale marker.
    const irregular = Array.from(
      { length: 300 },
      (_, i) => now - 3_000_000 + i * 1000 + (i % 7) * 13,
    );
    irregular.push(now - 1000);
    enc.addSeries(
      Labels.from({ __name__: 'rr_irregular', job: 'x' }),
      irregular,
      irregular.map((_, i) => (i % 11 === 0 ? i : Math.sin(i) * 10 ** (i % 9))),
      irregular.map((_, i) => (i === irregular.length - 1 ? 1 : 0)),
    );
    const wrote = await fetch(`${promUrl}/api/v1/write`, {
      method: 'POST',
      body: snappyCompress(enc.finish()),
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
      },
    });
    assert.equal(wrote.status, 204, await wrote.text());
    const beaconConfig = dir.write(
      'beacon.yml',
      `global: { scrape_interval: 1h }
remote_read:
  - url: ${promUrl}/api/v1/read
    name: prom
`,
    );
    beacon = await startBeacon([`--config.file=${beaconConfig}`]);
  });

  after(async () => {
    if (beacon) {
      beacon.signal('SIGTERM');
      await beacon.exited;
    }
    if (prom && prom.exitCode === null && prom.signalCode === null) {
      const closed = new Promise((r) => prom!.on('close', r));
      prom.kill('SIGTERM');
      await closed;
    }
    dir.remove();
  });

  const get = async (base: string, path: string, params: Record<string, string>) => {
    const r = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
    const body: Json = await r.json();
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body;
  };
  const both = async (path: string, params: Record<string, string>) => {
    const [b, p] = await Promise.all([get(beacon!.url, path, params), get(promUrl, path, params)]);
    return { b, p };
  };
  const byLabels = (r: Json[]) =>
    [...r].sort((x, y) => JSON.stringify(x.metric).localeCompare(JSON.stringify(y.metric)));

  // Off the sample grid: Prometheus 2.42's closed range windows and Beacon's left-open ones
  // (Prometheus 3) then hold the same samples.
  const at = now - 7_000;

  test('instant queries answer with Prometheus values', async () => {
    for (
      const query of [
        'rr_requests_total',
        'rr_requests_total{instance="b"}',
        'sum by (job) (rate(rr_requests_total[5m]))',
        'rr_requests_total[1m]',
      ]
    ) {
      const { b, p } = await both('/api/v1/query', { query, time: String(at / 1000) });
      assert.ok(p.data.result.length > 0, query);
      assert.equal(b.warnings, undefined, JSON.stringify(b.warnings));
      assert.equal(b.data.resultType, p.data.resultType, query);
      assert.deepEqual(byLabels(b.data.result), byLabels(p.data.result), query);
    }
  });

  test('range queries answer with Prometheus values', async () => {
    for (const query of ['rr_requests_total', 'increase(rr_requests_total[2m])']) {
      const { b, p } = await both('/api/v1/query_range', {
        query,
        start: String((at - 540_000) / 1000),
        end: String(at / 1000),
        step: '30',
      });
      assert.equal(p.data.result.length, 2, query);
      assert.deepEqual(byLabels(b.data.result), byLabels(p.data.result), query);
    }
  });

  test('streamed XOR chunks and sampled answers from Prometheus decode to the same samples', async () => {
    const answers: string[] = [];
    const read = async (streamed: boolean) => {
      const client = new ReadClient({
        url: `${promUrl}/api/v1/read`,
        timeoutMs: 10_000,
        streamed,
        fetch: async (u, init) => {
          const r = await fetch(u, init);
          answers.push(r.headers.get('content-type') ?? '');
          return r;
        },
      });
      const [s] = await client.read({
        startTimestampMs: now - 3_600_000,
        endTimestampMs: now,
        matchers: [{ type: '=', name: '__name__', value: 'rr_irregular' }],
      });
      return {
        labels: s.labels,
        t: [...s.samples.t],
        v: [...s.samples.v].map((x) => Object.is(x, NaN) ? 'NaN' : x),
        stale: [...(s.samples.stale ?? [])].flatMap((x, i) => (x ? [i] : [])),
      };
    };
    const chunked = await read(true), sampled = await read(false);
    assert.match(
      answers[0],
      /^application\/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse/,
    );
    assert.equal(answers[1], 'application/x-protobuf');
    assert.equal(chunked.t.length, 301);
    assert.deepEqual(chunked.stale, [300]);
    assert.deepEqual(chunked, sampled);
  });

  test('/api/v1/series includes the remote series', async () => {
    const body = await get(beacon!.url, '/api/v1/series', {
      'match[]': 'rr_requests_total',
      start: String((now - 600_000) / 1000),
      end: String(now / 1000),
    });
    assert.deepEqual(body.data.map((m: Json) => m.instance).sort(), ['a', 'b']);
  });

  test('a Prometheus that is gone leaves a warning, not an error', async () => {
    const closed = new Promise((r) => prom!.on('close', r));
    prom!.kill('SIGTERM');
    await closed;
    const body = await get(beacon!.url, '/api/v1/query', {
      query: 'rr_requests_total',
      time: String(now / 1000),
    });
    assert.deepEqual(body.data.result, []);
    assert.match(body.warnings?.[0] ?? '', /^remote_read: error sending request/);
  });
});
