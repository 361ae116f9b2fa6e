// `storage.options`: engine-specific keys reach the engine (DuckDB's memory limit, seen through
// SQL), and a bad or misplaced key is a config error naming file, line and column.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/host.ts';
import { runBeacon, startBeacon } from '../helpers/process.ts';

const tmp = tempDir();
after(() => tmp.remove());

describe('storage.options', () => {
  test('DuckDB takes memory_limit from storage.options', async () => {
    const cfg = tmp.write(
      'options.yml',
      'storage:\n  options:\n    memory_limit: 64MB\n    wal_fsync: none\n',
    );
    const beacon = await startBeacon([`--config.file=${cfg}`, '--web.enable-sql']);
    try {
      const res = await fetch(`${beacon.url}/api/v1/sql`, {
        method: 'POST',
        body: new URLSearchParams({ query: "SELECT current_setting('memory_limit') AS m" }),
      });
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.deepEqual(body.data.rows, [['61.0 MiB']]);
    } finally {
      beacon.signal('SIGTERM');
      await beacon.exited;
    }
  });

  test('a value the engine rejects, or a key the runtime owns, names its place', async () => {
    const bad = tmp.write('bad.yml', 'storage:\n  options:\n    memory_limit: lots\n');
    const r1 = await runBeacon([`--config.file=${bad}`, `--storage.tsdb.path=${tmp.dir}/d1`]);
    assert.notEqual(r1.code, 0);
    assert.match(r1.stderr, /bad\.yml:3:19.*storage\.options\.memory_limit/s);
    const owned = tmp.write('owned.yml', 'storage:\n  options:\n    path: /elsewhere\n');
    const r2 = await runBeacon([`--config.file=${owned}`, `--storage.tsdb.path=${tmp.dir}/d2`]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /owned\.yml:3:11.*--storage\.tsdb\.path/s);
  });
});
