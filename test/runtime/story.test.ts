// The runtime story: Beacon started as a process under Deno, Bun and Node.js (the esbuild
// bundle), each with DuckDB storage and the same end-to-end story — scrape a real node_exporter,
// answer queries, fire a rule, deliver the alert to a local webhook and to a third-party
// notifier plugin (examples/plugin-ntfy, installed with npm or bun from a file path), reload on
// SIGHUP, stop on SIGTERM and find the data again after a restart. Test names carry the
// runtime: `story [bun]: …`. Each runner runs its share (see storyRuntimes) so that `npm test`
// runs every runtime's story once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { freePort } from '../helpers/process.ts';
import { type Installer, installPluginProject } from './story_project.ts';
import {
  apiGet,
  beaconArgv,
  buildNodeBundle,
  NODE_EXPORTER,
  query,
  type Recorder,
  startNodeExporter,
  startProcess,
  startRecorder,
  stopProcess,
  type StoryProcess,
  type StoryRuntime,
  storyRuntimes,
  unavailable,
  waitFor,
} from './story_helpers.ts';

if (!NODE_EXPORTER && process.env.CI === 'true') {
  throw new Error('prometheus-node-exporter is not installed, and CI=true requires it');
}

/** Bun's story installs the plugin with `bun add`; the others with `npm install`. */
const INSTALLER: Record<StoryRuntime, Installer> = { deno: 'npm', bun: 'bun', node: 'npm' };

interface ConfigParts {
  nodeExporter: string;
  webhook: string;
  ntfy: string;
  /** After the reload: an external label and a second job scraping Beacon itself. */
  reloaded?: { self: string };
}

function configText(p: ConfigParts): string {
  const external = p.reloaded ? '\n  external_labels: { story: reloaded }' : '';
  const selfJob = p.reloaded
    ? `\n  - job_name: beacon\n    static_configs: [{ targets: ['${p.reloaded.self}'] }]`
    : '';
  return `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s${external}
storage:
  engine: duckdb
rule_files: [rules.yml]
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ['${p.nodeExporter}'] }]${selfJob}
plugins:
  - use: beacon-plugin-ntfy
route:
  receiver: story
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: story
    webhook_configs:
      - url: ${p.webhook}/alerts
    ntfy_configs:
      - server: ${p.ntfy}
        topic: beacon-story
        priority: high
        tags: [computer]
`;
}

const RULES = `groups:
  - name: story
    interval: 1s
    rules:
      - alert: NodeExporterUp
        expr: up{job="node"} == 1
        for: 0s
        labels: { severity: info }
        annotations: { summary: '{{ $labels.instance }} answers' }
      - record: story:node_memory_total:bytes
        expr: node_memory_MemTotal_bytes
`;

for (const rt of storyRuntimes()) {
  const skip = unavailable(rt) ||
    (NODE_EXPORTER ? false : 'prometheus-node-exporter is not installed');
  if (skip) console.log(`story [${rt}]: skipped: ${skip}`);

  describe(`story [${rt}]`, { skip }, () => {
    const name = (what: string) => `story [${rt}]: ${what}`;
    let dir = '';
    let dataDir = '';
    let configFile = '';
    let port = 0;
    let base = '';
    let beacon: StoryProcess | undefined;
    let exporter: Awaited<ReturnType<typeof startNodeExporter>> | undefined;
    let hook: Recorder | undefined;
    let ntfy: Recorder | undefined;
    let parts: ConfigParts;
    let beforeStop: { time: number; count: number } | undefined;

    const start = () => {
      const args = [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=debug',
      ];
      const p = startProcess(beaconArgv(rt, args), dir);
      return p;
    };
    const ready = (p: StoryProcess) =>
      waitFor(`${rt}: /-/ready`, async () => {
        const res = await fetch(`${base}/-/ready`);
        await res.body?.cancel();
        return res.status === 200;
      }, { ms: 40_000, logs: p.logs, alive: p.running });
    const logs = () => beacon?.logs() ?? '';

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), `beacon-story-${rt}-`));
      dataDir = path.join(dir, 'data');
      mkdirSync(dataDir);
      if (rt === 'node') buildNodeBundle();
      installPluginProject(dir, INSTALLER[rt]);
      [exporter, hook, ntfy] = await Promise.all([
        startNodeExporter(),
        startRecorder(),
        startRecorder(),
      ]);
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      parts = { nodeExporter: exporter.address, webhook: hook.url, ntfy: ntfy.url };
      configFile = path.join(dir, 'beacon.yml');
      writeFileSync(configFile, configText(parts));
      writeFileSync(path.join(dir, 'rules.yml'), RULES);
      beacon = start();
      await ready(beacon);
    });

    after(async () => {
      if (beacon?.running()) await stopProcess(beacon);
      await exporter?.stop();
      await hook?.close();
      await ntfy?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test(name('runs on its runtime with DuckDB storage'), async () => {
      const info = await apiGet<{ runtime: string }>(`${base}/api/v1/status/runtimeinfo`);
      assert.equal(info.runtime, rt);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, new RegExp(`^beacon_build_info\\{.*runtime="${rt}".*\\} 1$`, 'm'));
      // Only the DuckDB engine has a write-ahead log.
      assert.match(metrics, /^# TYPE beacon_tsdb_wal_fsync_duration_seconds /m, 'DuckDB engine');
    });

    test(name('scrapes a real node_exporter'), async () => {
      const target = await waitFor('node target up', async () => {
        const data = await apiGet<
          { activeTargets: { labels: Record<string, string>; health: string }[] }
        >(
          `${base}/api/v1/targets`,
        );
        return data.activeTargets.find((t) => t.labels.job === 'node' && t.health === 'up');
      }, { logs, alive: beacon!.running });
      assert.equal(target.labels.instance, parts.nodeExporter);
    });

    test(name('answers queries'), async () => {
      const up = await waitFor('up{job="node"} == 1', async () => {
        const r = await query(base, 'up{job="node"}');
        return r.length === 1 && r[0].value[1] === '1' ? r : undefined;
      }, { logs });
      assert.equal(up[0].metric.instance, parts.nodeExporter);
      const mem = await query(base, 'node_memory_MemTotal_bytes');
      assert.equal(mem.length, 1);
      assert.ok(Number(mem[0].value[1]) > 0, 'MemTotal is positive');
      // The recording rule's output is queryable too.
      await waitFor('recorded series', async () => {
        const r = await query(base, 'story:node_memory_total:bytes');
        return r.length === 1 && r[0].value[1] === mem[0].value[1];
      }, { logs });
      const names = await apiGet<string[]>(`${base}/api/v1/label/__name__/values`);
      assert.ok(names.includes('node_load1'), 'node_load1 is among the metric names');
    });

    test(name('fires a rule'), async () => {
      const alert = await waitFor('NodeExporterUp firing', async () => {
        const data = await apiGet<{ alerts: { labels: Record<string, string>; state: string }[] }>(
          `${base}/api/v1/alerts`,
        );
        return data.alerts.find((a) =>
          a.labels.alertname === 'NodeExporterUp' && a.state === 'firing'
        );
      }, { logs });
      assert.equal(alert.labels.severity, 'info');
      assert.equal(alert.labels.instance, parts.nodeExporter);
    });

    test(name('delivers the alert to a local webhook'), async () => {
      const req = await waitFor(
        'webhook POST',
        () => Promise.resolve(hook!.requests.find((r) => r.path === '/alerts')),
        { logs },
      );
      assert.equal(req.method, 'POST');
      const msg = JSON.parse(req.body);
      assert.equal(msg.version, '4');
      assert.equal(msg.receiver, 'story');
      assert.equal(msg.status, 'firing');
      assert.equal(msg.alerts[0].labels.alertname, 'NodeExporterUp');
      assert.equal(msg.alerts[0].annotations.summary, `${parts.nodeExporter} answers`);
    });

    test(name(`delivers it through the ntfy plugin installed with ${INSTALLER[rt]}`), async () => {
      const req = await waitFor(
        'ntfy POST',
        () => Promise.resolve(ntfy!.requests.find((r) => r.path === '/beacon-story')),
        { logs },
      );
      assert.equal(req.method, 'POST');
      assert.equal(req.headers.title, '[FIRING:1] NodeExporterUp');
      assert.equal(req.headers.priority, 'high');
      assert.equal(req.headers.tags, 'firing,computer');
      assert.match(req.body, /alertname="NodeExporterUp"/);
      assert.match(req.body, new RegExp(`: ${parts.nodeExporter.replace(/\./g, '\\.')} answers$`));
    });

    test(name('reloads the config on SIGHUP'), async () => {
      writeFileSync(configFile, configText({ ...parts, reloaded: { self: `127.0.0.1:${port}` } }));
      beacon!.signal('SIGHUP');
      await waitFor('job beacon up after the reload', async () => {
        const r = await query(base, 'up{job="beacon"}');
        return r.length === 1 && r[0].value[1] === '1';
      }, { logs, alive: beacon!.running });
      const cfg = await apiGet<{ yaml: string }>(`${base}/api/v1/status/config`);
      assert.match(cfg.yaml, /story: reloaded/);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /^beacon_config_last_reload_successful 1$/m);
      // The node job kept scraping through the reload.
      const up = await query(base, 'up{job="node"}');
      assert.equal(up[0]?.value[1], '1');
    });

    test(name('stops on SIGTERM and keeps its samples across a restart'), async () => {
      // A point in the past that every sample up to it has surely been appended by.
      await new Promise((r) => setTimeout(r, 1_500));
      const time = Math.floor(Date.now() / 1000) - 1;
      const expr = 'count_over_time(up{job="node"}[10m])';
      const before = await query(base, expr, time);
      assert.equal(before.length, 1);
      const count = Number(before[0].value[1]);
      assert.ok(count >= 2, `several scrapes stored (got ${count})`);
      beforeStop = { time, count };

      const code = await stopProcess(beacon!);
      assert.equal(code, 0, `exit code 0 on SIGTERM\n${beacon!.logs().slice(-3000)}`);

      beacon = start();
      await ready(beacon);
      const again = await query(base, expr, beforeStop.time);
      assert.equal(again.length, 1, 'the series is back after the restart');
      assert.equal(Number(again[0].value[1]), beforeStop.count, 'no sample was lost');
      const mem = await query(base, 'node_memory_MemTotal_bytes', beforeStop.time);
      assert.equal(mem.length, 1);
    });
  });
}
