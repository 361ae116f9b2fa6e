import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tempDir } from '../../helpers/host.ts';
import { eventually, runBeacon, startBeacon } from '../../helpers/process.ts';
import { Engine, QueryLogFile } from '../../../plugins/promql/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';

// deno-lint-ignore no-explicit-any
function lines(path: string): any[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

describe('query log file', () => {
  test('QueryLogFile appends one JSON line per query and stops when unset', async () => {
    const dir = tempDir();
    try {
      const engine = new Engine();
      const log = new QueryLogFile(engine);
      const path = `${dir.dir}/q.log`;
      await log.set(path);
      const storage = new MemoryStorage();
      await engine.rangeQuery(storage, 'vector(1)', 0, 90_000, 97_300);
      // Parse errors are not logged (as Prometheus); evaluation errors are, with `error`.
      await assert.rejects(engine.instantQuery(storage, 'sum(x[5m])', 1_000));
      await assert.rejects(
        engine.instantQuery(
          storage,
          'label_replace(vector(1) or label_replace(vector(2), "a", "b", "", ""), "a", "", "", "")',
          1_000,
        ),
      );
      await log.set(undefined);
      await engine.instantQuery(storage, '1', 0);
      const got = lines(path);
      assert.equal(got.length, 2);
      assert.deepEqual(Object.keys(got[0]), ['params', 'stats', 'ts']);
      assert.deepEqual(got[0].params, {
        end: '1970-01-01T00:01:30Z',
        query: 'vector(1)',
        start: '1970-01-01T00:00:00Z',
        step: 97,
      });
      assert.deepEqual(Object.keys(got[0].stats.samples), ['totalQueryableSamples', 'peakSamples']);
      assert.ok(got[0].stats.timings.execTotalTime >= 0);
      assert.ok(!Number.isNaN(Date.parse(got[0].ts)));
      assert.equal(Object.keys(got[1])[0], 'error');
      assert.equal(got[1].params.start, '1970-01-01T00:00:01Z');
    } finally {
      dir.remove();
    }
  });

  test('global.query_log_file logs API and rule queries and is reopened on reload', async () => {
    const dir = tempDir();
    const first = `${dir.dir}/first.log`, second = `${dir.dir}/second.log`;
    dir.write(
      'rules.yml',
      'groups:\n  - name: g\n    interval: 1s\n    rules:\n      - record: r\n        expr: vector(2)\n',
    );
    const config = (file: string) =>
      dir.write(
        'beacon.yml',
        `global: { query_log_file: ${file} }\nrule_files: [rules.yml]\n`,
      );
    const cfg = config('first.log');
    const beacon = await startBeacon([`--config.file=${cfg}`, '--web.enable-lifecycle']);
    try {
      const res = await fetch(`${beacon.url}/api/v1/query?query=up&time=100`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
      await eventually(() => {
        const got = lines(first);
        return Promise.resolve(
          got.some((l) => l.httpRequest) && got.some((l) => l.params.query === 'vector(2)'),
        );
      });
      const api = lines(first).find((l) => l.httpRequest)!;
      assert.deepEqual(api.params, {
        end: '1970-01-01T00:01:40Z',
        query: 'up',
        start: '1970-01-01T00:01:40Z',
        step: 0,
      });
      assert.equal(api.httpRequest.method, 'GET');
      assert.equal(api.httpRequest.path, '/api/v1/query');
      assert.deepEqual(Object.keys(api), ['httpRequest', 'params', 'stats', 'ts']);
      const rule = lines(first).find((l) => l.params.query === 'vector(2)')!;
      assert.deepEqual(rule.ruleGroup, { file: dir.dir + '/rules.yml', name: 'g' });
      assert.deepEqual(Object.keys(rule), ['params', 'ruleGroup', 'stats', 'ts']);

      config('second.log');
      const reload = await fetch(`${beacon.url}/-/reload`, { method: 'POST' });
      assert.equal(reload.status, 200, await reload.text());
      const before = lines(first).length;
      const r2 = await fetch(`${beacon.url}/api/v1/query?query=time()&time=5`);
      await r2.body?.cancel();
      await eventually(() =>
        Promise.resolve(lines(second).some((l) => l.params.query === 'time()'))
      );
      assert.ok(!lines(first).slice(before).some((l) => l.params.query === 'time()'));
    } finally {
      beacon.signal('SIGTERM');
      await beacon.exited;
      dir.remove();
    }
  });

  test('a query log file that cannot be opened fails the start and the reload, as Prometheus', async () => {
    const dir = tempDir();
    try {
      const bad = dir.write(
        'bad.yml',
        `global: { query_log_file: ${dir.dir}/missing/dir/q.log }\n`,
      );
      const r = await runBeacon([`--config.file=${bad}`, `--storage.tsdb.path=${dir.dir}/d1`]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /query log file/);

      const cfg = dir.write('ok.yml', 'global: {}\n');
      const beacon = await startBeacon([`--config.file=${cfg}`, '--web.enable-lifecycle']);
      try {
        dir.write('ok.yml', `global: { query_log_file: ${dir.dir}/missing/dir/q.log }\n`);
        const reload = await fetch(`${beacon.url}/-/reload`, { method: 'POST' });
        assert.equal(reload.status, 500, await reload.text());
        const metrics = await (await fetch(`${beacon.url}/metrics`)).text();
        assert.match(metrics, /beacon_config_last_reload_successful 0/);
      } finally {
        beacon.signal('SIGTERM');
        await beacon.exited;
      }
    } finally {
      dir.remove();
    }
  });
});
