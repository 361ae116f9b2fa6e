// The host exporter: its /proc parsers on fixtures, then its page against the real
// node_exporter on this machine (same names, types, HELP, label names; values in agreement),
// then served and scraped by a Runtime. The comparison skips when node_exporter or /proc is
// absent, except under CI=true (.ci/run installs node_exporter): then it fails.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import * as v from 'valibot';
import { createLogger } from '../../../core/log/logger.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { PluginRegistry } from '../../../core/plugin.ts';
import { Runtime } from '../../../core/runtime/mod.ts';
import { createImporter } from '../../../adapters/shared/importer.ts';
import {
  BUILTIN_DISCOVERY,
  BUILTIN_PLUGINS,
  parsePromQL,
  parseSeriesSelector,
} from '../../../plugins/mod.ts';
import {
  HostCollector,
  hostExporterPlugin,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseStat,
} from '../../../plugins/exporters/host/mod.ts';
import { host, nativeNpm, tempDir } from '../../helpers/host.ts';
import { eventually, freePort } from '../../helpers/process.ts';

const NODE_EXPORTER = ['/usr/bin/prometheus-node-exporter', '/usr/bin/node_exporter'].find((p) =>
  existsSync(p)
);
if (!NODE_EXPORTER && process.env.CI === 'true') {
  throw new Error('prometheus-node-exporter is not installed, and CI=true requires it');
}
const HAS_PROC = existsSync('/proc/stat');
const quiet = createLogger({ level: 'error', write: () => {} });
const tmp = tempDir();
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  tmp.remove();
});

describe('procfs parsers', () => {
  test('/proc/stat', () => {
    const s = parseStat(
      'cpu  10 0 0 0 0 0 0 0 0 0\ncpu0 150 2 30 4000 5 0 7 8 9 10\ncpu1 1 1 1 1 1 1 1 1 0 0\n' +
        'intr 1234 0 5\nctxt 99\nbtime 1700000000\nprocesses 5\nprocs_running 3\nprocs_blocked 1\n',
    );
    assert.deepEqual(s.cpus.map((c) => c.cpu), ['0', '1']);
    assert.deepEqual(s.cpus[0].seconds, [1.5, 0.02, 0.3, 40, 0.05, 0, 0.07, 0.08]);
    assert.deepEqual(
      [s.bootTime, s.contextSwitches, s.interrupts, s.procsRunning, s.procsBlocked],
      [1700000000, 99, 1234, 3, 1],
    );
  });

  test('/proc/meminfo names as node_exporter', () => {
    const m = parseMeminfo(
      'MemTotal:       16000 kB\nActive(anon):     12 kB\nHugePages_Total:       0\nHugepagesize:    2048 kB\n',
    );
    assert.deepEqual([...m], [
      ['MemTotal_bytes', 16000 * 1024],
      ['Active_anon_bytes', 12 * 1024],
      ['HugePages_Total', 0],
      ['Hugepagesize_bytes', 2048 * 1024],
    ]);
  });

  test('/proc/diskstats, /proc/net/dev, /proc/loadavg, mounts', () => {
    const [d] = parseDiskstats(
      ' 253       0 vda 100 1 2000 50 200 3 4000 60 0 1500 110 0 0 0 0 0 0\n',
    );
    assert.deepEqual(d, {
      device: 'vda',
      readsCompleted: 100,
      readBytes: 2000 * 512,
      writesCompleted: 200,
      writtenBytes: 4000 * 512,
      ioTimeSeconds: 1.5,
    });
    const nd = parseNetDev(
      'Inter-|   Receive\n face |bytes\n  eth0: 1 2 3 4 0 0 0 0 5 6 7 8 0 0 0 0\n',
    );
    assert.deepEqual(nd, [{ device: 'eth0', receive: [1, 2, 3, 4], transmit: [5, 6, 7, 8] }]);
    assert.deepEqual(parseLoadavg('0.50 1.00 2.5 1/100 42\n'), [0.5, 1, 2.5]);
    assert.deepEqual(parseMounts('/dev/sda1 /mnt/my\\040disk ext4 ro,relatime 0 0\n'), [
      { device: '/dev/sda1', mountpoint: '/mnt/my disk', fstype: 'ext4', readonly: true },
    ]);
  });

  test('without /proc the exporter says so once and serves an empty page', async () => {
    const lines: string[] = [];
    const cfg = v.parse(hostExporterPlugin.schema, { procfs: path.join(tmp.dir, 'no-proc') });
    const inst = await hostExporterPlugin.create(cfg, {
      logger: createLogger({ level: 'info', write: (l) => lines.push(l) }),
      host,
      registry: new Registry(),
      capabilities: new Map(),
    });
    await inst.start?.();
    const res = await inst.routes![0].fetch(new Request('http://x/exporters/host/metrics'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.equal(lines.filter((l) => l.includes('No procfs')).length, 1);
  });
});

interface Family {
  type: string;
  help: string;
  samples: { labels: Record<string, string>; value: number }[];
}

/** Enough of the text format for node_exporter's page and ours. */
function parsePage(text: string): Map<string, Family> {
  const out = new Map<string, Family>();
  const get = (n: string) => {
    let f = out.get(n);
    if (!f) out.set(n, f = { type: '', help: '', samples: [] });
    return f;
  };
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) get(m[1]).help = m[2];
    else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) get(m[1]).type = m[2];
    else if ((m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line))) {
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
      get(m[1]).samples.push({ labels, value: Number(m[3]) });
    }
  }
  return out;
}

async function fetchText(url: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return await r.text();
      await r.body?.cancel();
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());

describe('host exporter against node_exporter', {
  skip: !NODE_EXPORTER ? 'prometheus-node-exporter is not installed' : !HAS_PROC && 'no /proc',
}, () => {
  test('same families, types, HELP and label sets; values agree', async () => {
    const port = await freePort();
    const child = spawn(NODE_EXPORTER!, [`--web.listen-address=127.0.0.1:${port}`], {
      stdio: 'ignore',
    });
    children.push(child);
    const cfg = v.parse(hostExporterPlugin.schema, {});
    const inst = await hostExporterPlugin.create(cfg, {
      logger: quiet,
      host,
      registry: new Registry(),
      capabilities: new Map(),
    });
    await inst.start?.();
    const ours = async () =>
      parsePage(
        await (await inst.routes![0].fetch(new Request('http://x/exporters/host/metrics'))).text(),
      );
    await fetchText(`http://127.0.0.1:${port}/metrics`);
    // Ours before and after theirs: every counter of theirs lies between our two readings.
    const before = await ours();
    const theirs = parsePage(await fetchText(`http://127.0.0.1:${port}/metrics`));
    const afterwards = await ours();

    const names = new HostCollector(host, {} as never).names;
    const compared = [...before.keys()].filter((n) =>
      names.includes(n) || n.startsWith('node_memory_')
    );
    assert.ok(compared.length > 40, `only ${compared.length} families`);
    for (const name of compared) {
      const a = before.get(name)!, b = theirs.get(name);
      assert.ok(b, `node_exporter has no ${name}`);
      assert.equal(a.type, b.type, `${name} type`);
      assert.equal(a.help, b.help, `${name} help`);
      if (name === 'node_time_seconds' || name.startsWith('node_memory_')) continue;
      assert.deepEqual(
        a.samples.map((s) => key(s.labels)).sort(),
        b.samples.map((s) => key(s.labels)).sort(),
        `${name} label sets`,
      );
      if (a.type !== 'counter') continue;
      const later = new Map(afterwards.get(name)!.samples.map((s) => [key(s.labels), s.value]));
      for (const s of a.samples) {
        const t = b.samples.find((x) => key(x.labels) === key(s.labels))!.value;
        const l = later.get(key(s.labels))!;
        // Rounding of float seconds allows a hair of slack.
        assert.ok(
          s.value <= t + 0.011 && t <= l + 0.011,
          `${name}${key(s.labels)}: ${s.value} ${t} ${l}`,
        );
      }
    }
    // Every meminfo field node_exporter shows, we show, and the fixed sizes agree.
    const ourMem = [...before.keys()].filter((n) => n.startsWith('node_memory_')).sort();
    const theirMem = [...theirs.keys()].filter((n) => n.startsWith('node_memory_')).sort();
    assert.deepEqual(ourMem, theirMem);
    for (const n of ['node_memory_MemTotal_bytes', 'node_memory_SwapTotal_bytes']) {
      assert.equal(before.get(n)!.samples[0].value, theirs.get(n)!.samples[0].value, n);
    }
    assert.equal(
      new Set(before.get('node_cpu_seconds_total')!.samples.map((s) => s.labels.cpu)).size,
      new Set(theirs.get('node_cpu_seconds_total')!.samples.map((s) => s.labels.cpu)).size,
    );
    assert.deepEqual(
      before.get('node_uname_info')!.samples[0].labels,
      theirs.get('node_uname_info')!.samples[0].labels,
    );
    assert.equal(
      before.get('node_boot_time_seconds')!.samples[0].value,
      theirs.get('node_boot_time_seconds')!.samples[0].value,
    );
    const fsKey = (f: Family) => f.samples.map((s) => `${key(s.labels)}=${s.value}`).sort();
    assert.deepEqual(
      fsKey(before.get('node_filesystem_size_bytes')!),
      fsKey(theirs.get('node_filesystem_size_bytes')!),
    );
  });
});

describe('host exporter in a runtime', { skip: !HAS_PROC && 'no /proc' }, () => {
  test("serves its page on Beacon's listener and a scrape config stores it", async () => {
    const file = tmp.write(
      'host.yml',
      `global: { scrape_interval: 1s, scrape_timeout: 900ms }
storage: { engine: memory }
plugins:
  - use: host
    config: { path: /custom/host }
scrape_configs:
  - job_name: node
    metrics_path: /custom/host
    static_configs: [{ targets: ['PLACEHOLDER'] }]
`,
    );
    const server = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) => rt.app.fetch(req),
    });
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('PLACEHOLDER', server.address));
    const rt: Runtime = await Runtime.create({
      host,
      logger: quiet,
      plugins: new PluginRegistry(createImporter(nativeNpm), BUILTIN_PLUGINS),
      configFile: file,
      flags: { 'config.file': file, 'storage.tsdb.path': path.join(tmp.dir, 'data-host') },
      routePrefix: '',
      enableLifecycle: false,
      enableAdminApi: false,
      discoveryMechanisms: BUILTIN_DISCOVERY,
      parseMatchers: parseSeriesSelector,
      parseExpr: parsePromQL,
    });
    await rt.start();
    try {
      const page = await rt.app.request('/custom/host');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /^node_load1 /m);
      const q = async () =>
        (await (await rt.app.request('/api/v1/query?query=node_load1')).json()).data.result;
      await eventually(async () => (await q()).length === 1);
      assert.equal((await q())[0].metric.job, 'node');
      // The exporter page is not there without the plugin.
      assert.equal((await rt.app.request('/exporters/host/metrics')).status, 404);
    } finally {
      await rt.stop();
      await server.close();
    }
  });
});
