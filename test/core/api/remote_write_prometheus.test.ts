/**
 * A real sender: Prometheus scrapes itself and remote-writes to Beacon's receiver; every
 * sample Beacon stored must equal the one Prometheus holds for the same series and time.
 * Runs when `/usr/bin/prometheus` (Debian's package) exists; skips with a message otherwise.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { remoteWriteApi } from '../../../core/api/remote_write.ts';
import type { HostServer } from '../../../core/host.ts';
import { nopLogger } from '../../../core/log/logger.ts';
import { Matcher } from '../../../core/model/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import process from 'node:process';
import { host, tempDir } from '../../helpers/host.ts';
import { eventually, freePort } from '../../helpers/process.ts';
import { apiApp } from './api_app.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS)
  ? false
  : `${PROMETHEUS} not installed (apt-get install prometheus); skipping the real-sender test`;
if (skip && process.env.CI === 'true') throw new Error(`${skip}; CI=true requires it`);
if (skip) console.log(skip);

describe('remote write from real Prometheus', { skip }, () => {
  test('the series Prometheus sends are stored with identical values, stale markers too', async () => {
    const storage = new MemoryStorage();
    const app = apiApp([remoteWriteApi({ storage, logger: nopLogger })]);
    const server = await host.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch });
    // A target that goes away: Prometheus then writes stale markers for its series.
    let target: HostServer | undefined = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () =>
        new Response('# TYPE short_lived gauge\nshort_lived 42\n', {
          headers: { 'content-type': 'text/plain; version=0.0.4' },
        }),
    });
    const targetAddress = target.address;
    const promPort = await freePort();
    const dir = tempDir();
    const config = dir.write(
      'prometheus.yml',
      `global: { scrape_interval: 1s, external_labels: { replica: r1 } }
scrape_configs:
  - job_name: prom
    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]
  - job_name: short
    static_configs: [{ targets: ['${targetAddress}'] }]
remote_write:
  - url: http://${server.address}/api/v1/write
    queue_config: { batch_send_deadline: 200ms, max_samples_per_send: 2000, min_backoff: 50ms }
`,
    );
    let logs = '';
    const child: ChildProcess = spawn(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir.dir}/data`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    const promUrl = `http://127.0.0.1:${promPort}`;
    try {
      // Three scrapes of `up` have arrived.
      await eventually(async () => {
        const q = storage.querier(0, Date.now() + 60_000);
        const set = await q.select([
          Matcher.create('=', '__name__', 'up'),
          Matcher.create('=', 'job', 'prom'),
        ]);
        q.close();
        return set.series.length === 1 && set.series[0].samples().t.length >= 3;
      }, 30_000).catch((err) => {
        throw new Error(`${err.message}; prometheus logs:\n${logs.slice(-3000)}`);
      });

      const q = storage.querier(0, Date.now() + 60_000);
      const names = [
        'up',
        'prometheus_build_info',
        'scrape_samples_scraped',
        'prometheus_http_requests_total',
      ];
      let compared = 0;
      for (const name of names) {
        const job = Matcher.create('=', 'job', 'prom');
        for (const s of await q.select([Matcher.create('=', '__name__', name), job])) {
          assert.equal(s.labels.get('replica'), 'r1', 'external labels are sent');
          assert.equal(s.labels.get('job'), 'prom');
          const { t, v } = s.samples();
          // Prometheus's own raw samples for the same series, without the external label.
          const selector = `{${
            s.labels.without('replica').flat.reduce<string[]>(
              (acc, x, i, f) => (i % 2 === 0 ? [...acc, `${x}=${JSON.stringify(f[i + 1])}`] : acc),
              [],
            ).join(',')
          }}[10m]`;
          const url = `${promUrl}/api/v1/query?query=${encodeURIComponent(selector)}&time=${
            (t[t.length - 1] / 1000).toFixed(3)
          }`;
          const body = await (await fetch(url)).json();
          assert.equal(body.status, 'success', JSON.stringify(body));
          assert.equal(body.data.result.length, 1, selector);
          const theirs = new Map<number, string>(
            body.data.result[0].values.map((
              [ts, val]: [number, string],
            ) => [Math.round(ts * 1000), val]),
          );
          for (let i = 0; i < t.length; i++) {
            assert.ok(theirs.has(t[i]), `${selector} has no sample at ${t[i]}`);
            assert.equal(Number(theirs.get(t[i])), v[i], `${selector} @${t[i]}`);
            compared++;
          }
        }
      }
      q.close();
      assert.ok(compared >= 3, `compared ${compared} samples`);

      // Stop the short-lived target; its series must end with a stored stale marker.
      await target.close();
      target = undefined;
      const staleSeen = async () => {
        const sq = storage.querier(0, Date.now() + 60_000);
        const set = await sq.select([Matcher.create('=', '__name__', 'short_lived')]);
        sq.close();
        if (set.series.length !== 1) return false;
        const { v, stale } = set.series[0].samples();
        return stale !== undefined && stale[stale.length - 1] === 1 && v[0] === 42;
      };
      await eventually(staleSeen, 30_000);
    } finally {
      await target?.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await server.close();
      dir.remove();
    }
  });
});
