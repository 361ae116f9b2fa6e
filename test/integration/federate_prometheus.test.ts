/**
 * Real Prometheus 2.42 federates from Beacon: a scrape job with `metrics_path: /federate`,
 * `honor_labels: true` and `match[]` scrapes a Beacon whose series arrived through its
 * remote-write receiver; Prometheus's /api/v1/query then holds exactly the matched series,
 * with their own labels and Beacon's external labels. Skips when /usr/bin/prometheus is
 * absent, except under CI=true.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { Labels } from '../../core/model/mod.ts';
import { snappyCompress, WriteRequestEncoder } from '../../core/remote/mod.ts';
import { tempDir } from '../helpers/host.ts';
import { type BeaconProcess, eventually, freePort, startBeacon } from '../helpers/process.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS)
  ? false
  : `${PROMETHEUS} not installed (apt-get install prometheus); skipping the federation test`;
if (skip && process.env.CI === 'true') throw new Error(`${skip}; CI=true requires it`);
if (skip) console.log(skip);

// deno-lint-ignore no-explicit-any
type Json = any;

describe('real Prometheus federating from Beacon', { skip }, () => {
  const dir = tempDir();
  let prom: ChildProcess | undefined;
  let beacon: BeaconProcess | undefined;
  after(async () => {
    if (prom && prom.exitCode === null && prom.signalCode === null) {
      const closed = new Promise((r) => prom!.on('close', r));
      prom.kill('SIGTERM');
      await closed;
    }
    if (beacon) {
      beacon.signal('SIGTERM');
      await beacon.exited;
    }
    dir.remove();
  });

  test('match[] selects job="x"; labels are honoured and external labels added', async () => {
    const beaconConfig = dir.write(
      'beacon.yml',
      'global:\n  scrape_interval: 1h\n  external_labels: { beacon_site: b1, region: eu }\n',
    );
    beacon = await startBeacon([
      `--config.file=${beaconConfig}`,
      '--web.enable-remote-write-receiver',
    ]);
    const now = Date.now();
    const ts = [now - 20_000, now - 10_000, now - 2_000];
    const enc = new WriteRequestEncoder();
    const add = (labels: Record<string, string>, values: number[]) =>
      enc.addSeries(Labels.from(labels), ts, values, []);
    add({ __name__: 'fed_metric', job: 'x', instance: 'i1', k: 'a' }, [1, 2, 3.25]);
    add({ __name__: 'fed_metric', job: 'x', k: 'b' }, [5, 6, -7.5]);
    add({ __name__: 'fed_other', job: 'x', region: 'us' }, [0, 0, 42]);
    add({ __name__: 'fed_metric', job: 'y', k: 'a' }, [9, 9, 9]);
    const wrote = await fetch(`${beacon.url}/api/v1/write`, {
      method: 'POST',
      body: snappyCompress(enc.finish()),
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
      },
    });
    assert.equal(wrote.status, 204, await wrote.text());

    const port = await freePort();
    const promUrl = `http://127.0.0.1:${port}`;
    const target = new URL(beacon.url).host;
    const config = dir.write(
      'prometheus.yml',
      `global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: federate
    metrics_path: /federate
    honor_labels: true
    params:
      'match[]': ['{job="x"}']
    static_configs: [{ targets: ['${target}'] }]
`,
    );
    let logs = '';
    prom = spawn(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir.dir}/prom-data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => (logs += d));
    prom.stderr!.on('data', (d) => (logs += d));

    const query = async (q: string): Promise<Json[]> => {
      const r = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: q })}`);
      const body: Json = await r.json();
      return body.status === 'success' ? body.data.result : [];
    };
    await eventually(async () => {
      try {
        return (await query('fed_metric')).length > 0 && (await query('fed_other')).length > 0;
      } catch {
        return false;
      }
    }, 15_000).catch((e) => {
      throw new Error(`${e.message}; prometheus logs:\n${logs.slice(-3000)}`);
    });

    // The federation scrape itself succeeded, with the target's job on `up`.
    const up = await query('up');
    assert.deepEqual(up.map((r) => [r.metric.job, r.value[1]]), [['federate', '1']]);

    const got = (await query('{job=~".+", __name__=~"fed_.*"}'))
      .map((r) => ({ metric: r.metric, value: r.value[1] }))
      .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)));
    assert.deepEqual(got, [
      {
        // honor_labels: the series' own job and instance stand; external labels are added.
        metric: {
          __name__: 'fed_metric',
          beacon_site: 'b1',
          instance: 'i1',
          job: 'x',
          k: 'a',
          region: 'eu',
        },
        value: '3.25',
      },
      {
        // No instance of its own: Beacon writes instance="", so Prometheus adds none.
        metric: { __name__: 'fed_metric', beacon_site: 'b1', job: 'x', k: 'b', region: 'eu' },
        value: '-7.5',
      },
      {
        // The series' own region wins over the external one.
        metric: { __name__: 'fed_other', beacon_site: 'b1', job: 'x', region: 'us' },
        value: '42',
      },
    ]);

    // The samples keep Beacon's timestamps.
    const [withTime] = await query('timestamp(fed_metric{k="a"})');
    assert.equal(Number(withTime.value[1]) * 1000, ts[2]);
  });
});
