// Scrapes a real node_exporter (Debian's prometheus-node-exporter) with Beacon and, when the
// Debian prometheus binary is there too, with Prometheus, and compares the stored series sets.
// Skips when node_exporter is absent, except under CI=true (.ci/run installs it): then it fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import process from 'node:process';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { staticMechanism } from '../../../plugins/discovery/static/mod.ts';
import { ScrapeManager } from '../../../core/scrape/mod.ts';
import { parseConfig } from '../../../core/config/mod.ts';
import { freePort } from '../../helpers/process.ts';
import { tempDir } from '../../helpers/host.ts';
import { quiet, read } from './fixtures.ts';

const NODE_EXPORTER = ['/usr/bin/prometheus-node-exporter', '/usr/bin/node_exporter'].find((p) =>
  existsSync(p)
);
const PROMETHEUS = existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : undefined;
if (!NODE_EXPORTER && process.env.CI === 'true') {
  throw new Error('prometheus-node-exporter is not installed, and CI=true requires it');
}
if (!PROMETHEUS && process.env.CI === 'true') {
  throw new Error('prometheus is not installed, and CI=true requires it');
}
const skip = NODE_EXPORTER ? false : 'prometheus-node-exporter is not installed';

const children: ChildProcess[] = [];
const tmp = tempDir();
after(() => {
  for (const c of children) c.kill('SIGKILL');
  tmp.remove();
});

async function waitHttp(url: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { stdio: 'ignore' });
  children.push(c);
  return c;
}

const JOB = (addr: string) => `
scrape_configs:
  - job_name: node
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs: [{ targets: ['${addr}'] }]
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'node_(cpu|memory|filesystem|network|load|boot_time|disk|uname).*|up|scrape_.*'
        action: keep
`;

describe('scraping node_exporter', { skip }, () => {
  let addr = '';
  before(async () => {
    const port = await freePort();
    addr = `127.0.0.1:${port}`;
    start(NODE_EXPORTER!, [`--web.listen-address=${addr}`]);
    await waitHttp(`http://${addr}/metrics`);
  });

  test('same series as Prometheus 2.42 after relabelling', async () => {
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
      const dir = tmp.dir + '/prom';
      mkdirSync(dir);
      const cfg = tmp.write('prometheus.yml', JOB(addr));
      const promPort = await freePort();
      promUrl = `http://127.0.0.1:${promPort}`;
      start(PROMETHEUS, [
        `--config.file=${cfg}`,
        `--storage.tsdb.path=${dir}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]);
      await waitHttp(`${promUrl}/-/ready`, 30_000);
    }
    try {
      await m.applyConfig(parseConfig(JOB(addr), '/tmp/prometheus.yml'));
      const deadline = Date.now() + 15_000;
      while ((await read(storage, 'up')).flatMap((s) => s.samples).length < 3) {
        if (Date.now() > deadline) throw new Error('no scrapes');
        await new Promise((r) => setTimeout(r, 100));
      }
      const ups = await read(storage, 'up');
      assert.ok(
        ups[0].samples.every(([, v]) => v === 1),
        JSON.stringify(m.targetsActive().get('node')?.[0]?.lastError),
      );
      const ours = (await read(storage)).map((s) => JSON.stringify(s.labels));
      const names = new Set((await read(storage)).map((s) => s.labels.__name__));
      for (const n of ['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_load1']) {
        assert.ok(names.has(n), n);
      }
      if (!PROMETHEUS) return;
      // Prometheus's series after it has scraped a few times too.
      let theirs: string[] = [];
      const pDeadline = Date.now() + 20_000;
      for (;;) {
        const r = await fetch(`${promUrl}/api/v1/series?match[]={job="node"}`);
        const data = (await r.json()).data as Record<string, string>[];
        theirs = data.map((l) => JSON.stringify(Object.fromEntries(Object.entries(l).sort())));
        if (theirs.some((s) => s.includes('node_cpu')) || Date.now() > pDeadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // Series present in both at the end: the sets must match (values differ, names do not).
      const a = new Set(ours), b = new Set(theirs);
      const onlyOurs = [...a].filter((x) => !b.has(x));
      const onlyTheirs = [...b].filter((x) => !a.has(x));
      assert.deepEqual({ onlyOurs, onlyTheirs }, { onlyOurs: [], onlyTheirs: [] });
    } finally {
      await m.stop();
    }
  });
});
