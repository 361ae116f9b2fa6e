import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Duration } from '../../../core/config/mod.ts';
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { FileDiscoverer, fileMechanism } from '../../../plugins/discovery/file/mod.ts';
import { host, recordingLogger, tempDir } from '../../helpers/host.ts';

function discoverer(files: string[], refreshMs = 300_000, registry?: Registry) {
  return new FileDiscoverer({ files, refresh_interval: new Duration(refreshMs) }, {
    logger: recordingLogger().logger,
    host,
    registry,
    index: 0,
    setName: 'job',
  });
}

describe('file_sd_configs', () => {
  test('reads JSON and YAML through a glob, tagging __meta_filepath', async () => {
    const dir = tempDir();
    try {
      const a = dir.write('a.json', JSON.stringify([{ targets: ['a:1'], labels: { env: 'x' } }]));
      const b = dir.write('b.yml', '- targets: [b:1, b:2]\n- targets: [c:1]\n');
      dir.write('c.txt', 'ignored');
      const groups = await discoverer([`${dir.dir}/*.json`, `${dir.dir}/*.yml`]).refresh();
      assert.deepEqual(groups, [
        {
          targets: [{ __address__: 'a:1' }],
          labels: { env: 'x', __meta_filepath: a },
          source: `${a}:0`,
        },
        {
          targets: [{ __address__: 'b:1' }, { __address__: 'b:2' }],
          labels: { __meta_filepath: b },
          source: `${b}:0`,
        },
        { targets: [{ __address__: 'c:1' }], labels: { __meta_filepath: b }, source: `${b}:1` },
      ]);
    } finally {
      dir.remove();
    }
  });

  test('a broken file keeps its last groups and counts an error; a removed file empties them', async () => {
    const dir = tempDir();
    try {
      const registry = new Registry();
      const f = dir.write('t.json', JSON.stringify([{ targets: ['a:1'] }, { targets: ['b:1'] }]));
      const d = discoverer([`${dir.dir}/*.json`], 300_000, registry);
      assert.equal((await d.refresh()).length, 2);
      dir.write('t.json', '[{"targets": ["a:1"]}, ');
      assert.deepEqual(await d.refresh(), []);
      assert.match(await registry.metrics(), /prometheus_sd_file_read_errors_total 1/);
      dir.write('t.json', JSON.stringify([{ targets: ['a:9'] }]));
      const shrunk = await d.refresh();
      assert.deepEqual(shrunk.map((g) => [g.source, g.targets.length]), [[`${f}:0`, 1], [
        `${f}:1`,
        0,
      ]]);
      rmSync(f);
      assert.deepEqual((await d.refresh()).map((g) => [g.source, g.targets.length]), [[
        `${f}:0`,
        0,
      ]]);
    } finally {
      dir.remove();
    }
  });

  test('an invalid target address is an error', async () => {
    const dir = tempDir();
    try {
      dir.write('t.yaml', '- targets: ["http://a:1/x"]\n');
      const { logger, lines } = recordingLogger();
      const d = new FileDiscoverer(
        { files: [`${dir.dir}/*.yaml`], refresh_interval: new Duration(300_000) },
        { logger, host, index: 0, setName: 'job' },
      );
      assert.deepEqual(await d.refresh(), []);
      assert.ok(lines.some((l) => l.includes('is not a valid hostname')), lines.join('\n'));
    } finally {
      dir.remove();
    }
  });

  test('picks up a changed file while running', async () => {
    const dir = tempDir();
    const ctl = new AbortController();
    try {
      dir.write('t.json', JSON.stringify([{ targets: ['a:1'] }]));
      const seen: TargetGroup[][] = [];
      const d = fileMechanism.create(
        { files: [`${dir.dir}/*.json`], refresh_interval: new Duration(200) },
        { logger: recordingLogger().logger, host, index: 0, setName: 'job' },
      );
      const running = d.run(ctl.signal, (g) => seen.push(g));
      const waitFor = async (addr: string) => {
        const deadline = Date.now() + 5000;
        while (!seen.some((u) => u.some((g) => g.targets.some((t) => t.__address__ === addr)))) {
          if (Date.now() > deadline) throw new Error(`never saw ${addr}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await waitFor('a:1');
      dir.write('t.json', JSON.stringify([{ targets: ['b:2'] }]));
      await waitFor('b:2');
      ctl.abort();
      await running;
    } finally {
      ctl.abort();
      dir.remove();
    }
  });
});
