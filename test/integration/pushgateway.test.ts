// Beacon scrapes a real Pushgateway (Debian's prometheus-pushgateway) after a metric was pushed
// to it, with and without honor_labels, and finds the same series Prometheus 2.42 stores from the
// same config (when /usr/bin/prometheus is there). Skips when the Pushgateway is absent, except
// under CI=true (.ci/run installs it): then it fails.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import process from 'node:process';
import { parseConfig } from '../../core/config/mod.ts';
import { createLogger } from '../../core/log/logger.ts';
import { newMatcher } from '../../core/model/mod.ts';
import { ScrapeManager } from '../../core/scrape/mod.ts';
import { staticMechanism } from '../../plugins/discovery/static/mod.ts';
import { MemoryStorage } from '../../plugins/storage/memory/mod.ts';
import { tempDir } from '../helpers/host.ts';
import { eventually, freePort } from '../helpers/process.ts';

const PUSHGATEWAY = ['/usr/bin/prometheus-pushgateway', '/usr/bin/pushgateway'].find((p) =>
  existsSync(p)
);
const PROMETHEUS = existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : undefined;
if (!PUSHGATEWAY && process.env.CI === 'true') {
  throw new Error('prometheus-pushgateway is not installed, and CI=true requires it');
}
if (!PROMETHEUS && process.env.CI === 'true') {
  throw new Error('prometheus is not installed, and CI=true requires it');
}

const quiet = createLogger({ level: 'error', write: () => {} });
const tmp = tempDir();
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  tmp.remove();
});

async function waitHttp(url: string): Promise<void> {
  await eventually(async () => {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      return r.ok;
    } catch {
      return false;
    }
  }, 30_000);
}

const CONFIG = (addr: string) => `
global: { scrape_interval: 1s, scrape_timeout: 900ms }
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{ targets: ['${addr}'] }]
  - job_name: pushgateway_plain
    static_configs: [{ targets: ['${addr}'] }]
`;

const PUSHED = '# TYPE batch_last_success_seconds gauge\n' +
  '# HELP batch_last_success_seconds Last time the batch job succeeded.\n' +
  'batch_last_success_seconds{stage="load"} 1700000000\n';

const WANTED = /^(batch_last_success_seconds|push_time_seconds|push_failure_time_seconds)$/;

/** Label sets of the wanted series, sorted, as JSON. */
function norm(sets: Record<string, string>[]): string[] {
  return sets
    .filter((l) => WANTED.test(l.__name__))
    .map((l) => JSON.stringify(Object.fromEntries(Object.entries(l).sort())))
    .sort();
}

describe('scraping a Pushgateway', {
  skip: PUSHGATEWAY ? false : 'prometheus-pushgateway is not installed',
}, () => {
  test('pushed series keep their job and instance with honor_labels, as in Prometheus', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    children.push(spawn(PUSHGATEWAY!, [`--web.listen-address=${addr}`], { stdio: 'ignore' }));
    await waitHttp(`http://${addr}/-/ready`);
    const push = await fetch(`http://${addr}/metrics/job/nightly_etl/instance/batch-7`, {
      method: 'PUT',
      body: PUSHED,
    });
    assert.ok(push.ok, `push answered ${push.status}`);
    await push.body?.cancel();

    const storage = new MemoryStorage();
    const m = new ScrapeManager({
      storage,
      logger: quiet,
      mechanisms: [staticMechanism],
      discoveryUpdateIntervalMs: 10,
      startImmediately: true,
    });
    let promUrl = '';
    if (PROMETHEUS) {
      const dir = `${tmp.dir}/prom`;
      mkdirSync(dir);
      const promPort = await freePort();
      promUrl = `http://127.0.0.1:${promPort}`;
      children.push(spawn(PROMETHEUS, [
        `--config.file=${tmp.write('prometheus.yml', CONFIG(addr))}`,
        `--storage.tsdb.path=${dir}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ], { stdio: 'ignore' }));
    }
    try {
      await m.applyConfig(parseConfig(CONFIG(addr), '/tmp/beacon.yml'));
      const ours = async () => {
        const q = storage.querier(0, 8.64e15);
        try {
          const set = await q.select([newMatcher('=~', '__name__', '.+')]);
          return norm(set.series.map((s) => s.labels.toRecord()));
        } finally {
          await q.close?.();
        }
      };
      await eventually(async () => (await ours()).length >= 6);
      const series = (await ours()).map((s) => JSON.parse(s) as Record<string, string>);
      const pushed = series.filter((l) => l.__name__ === 'batch_last_success_seconds');
      // honor_labels: the pushed job and instance win over the target's.
      assert.deepEqual(
        pushed.find((l) => !('exported_job' in l)),
        {
          __name__: 'batch_last_success_seconds',
          instance: 'batch-7',
          job: 'nightly_etl',
          stage: 'load',
        },
      );
      // Without it: the target's labels win and the pushed ones are kept as exported_*.
      assert.deepEqual(
        pushed.find((l) => 'exported_job' in l),
        {
          __name__: 'batch_last_success_seconds',
          exported_instance: 'batch-7',
          exported_job: 'nightly_etl',
          instance: addr,
          job: 'pushgateway_plain',
          stage: 'load',
        },
      );
      if (!PROMETHEUS) return;
      await waitHttp(`${promUrl}/-/ready`);
      let theirs: string[] = [];
      await eventually(async () => {
        const r = await fetch(
          `${promUrl}/api/v1/series?match[]={__name__=~"batch_last_success_seconds|push_.*"}`,
        );
        theirs = norm((await r.json()).data);
        return theirs.length >= 6;
      }, 30_000);
      assert.deepEqual(await ours(), theirs);
    } finally {
      await m.stop();
    }
  });
});
