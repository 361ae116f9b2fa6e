// SQL on metrics through its doors: /api/v1/sql on a started Beacon (duckdb engine) and the
// `export parquet` subcommand, read back with DuckDB.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../helpers/host.ts';
import { eventually, runBeacon, startBeacon } from '../helpers/process.ts';

const tmp = tempDir();
after(() => tmp.remove());

/** A scrape target serving one gauge. */
async function target(): Promise<{ addr: string; close: () => Promise<void> }> {
  const srv = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end('# TYPE sql_probe gauge\nsql_probe{kind="x"} 42\n');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    close: () => new Promise((r) => srv.close(() => r())),
  };
}

interface SqlAnswer {
  status: string;
  errorType?: string;
  data?: { columns: { name: string; type: string }[]; rows: unknown[][] };
}

async function sql(url: string, query: string): Promise<{ status: number; body: SqlAnswer }> {
  const res = await fetch(`${url}/api/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query }),
  });
  return { status: res.status, body: await res.json() };
}

describe('SQL on metrics (duckdb)', () => {
  test('/api/v1/sql answers over the head; export parquet refuses while Beacon runs, then writes', async () => {
    const t = await target();
    const data = path.join(tmp.dir, 'data');
    const config = path.join(tmp.dir, 'sql.yml');
    writeFileSync(
      config,
      `global: { scrape_interval: 1s }
scrape_configs:
  - job_name: probe
    static_configs: [{ targets: ['${t.addr}'] }]
`,
    );
    const b = await startBeacon([
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      '--web.enable-sql',
    ]);
    try {
      const q = `SELECT metric, labels['job'] AS job, labels['kind'] AS kind, value, t_ms
        FROM samples JOIN series USING (series_id) WHERE metric = 'sql_probe' ORDER BY t_ms`;
      await eventually(async () => ((await sql(b.url, q)).body.data?.rows.length ?? 0) > 0);
      const got = await sql(b.url, q);
      assert.equal(got.status, 200);
      assert.equal(got.body.status, 'success');
      assert.deepEqual(got.body.data!.columns.map((c) => c.name), [
        'metric',
        'job',
        'kind',
        'value',
        't_ms',
      ]);
      assert.deepEqual(got.body.data!.rows[0].slice(0, 4), ['sql_probe', 'probe', 'x', 42]);
      // GET works too; writes and file access are refused.
      const get = await fetch(`${b.url}/api/v1/sql?query=${encodeURIComponent('SELECT 1 AS one')}`);
      assert.deepEqual((await get.json()).data.rows, [[1]]);
      for (const bad of ['DELETE FROM samples', "SELECT * FROM read_csv('/etc/passwd')"]) {
        const r = await sql(b.url, bad);
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.errorType, 'bad_data', bad);
      }
      // The data directory is Beacon's while it runs.
      const out = path.join(tmp.dir, 'parquet');
      const locked = await runBeacon([
        'export',
        'parquet',
        `--storage.tsdb.path=${data}`,
        '--match={__name__="sql_probe"}',
        out,
      ]);
      assert.equal(locked.code, 1);
      assert.match(
        locked.stderr,
        /export parquet: data directory .* is locked by another running process/,
      );
    } finally {
      b.signal('SIGTERM');
      assert.equal(await b.exited, 0);
      await t.close();
    }
    const out = path.join(tmp.dir, 'parquet');
    const r = await runBeacon([
      'export',
      'parquet',
      `--storage.tsdb.path=${data}`,
      '--match={__name__="sql_probe"}',
      '--from=2020-01-01T00:00:00Z',
      `--to=${Math.ceil(Date.now() / 1000) + 60}`,
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote \d+ samples of 1 series to .*samples\.parquet/);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const rows = await c.runAndReadAll(
        `SELECT metric, labels['job'], labels['instance'] IS NOT NULL, min(value), max(value),
           count(*) > 0 FROM '${path.join(out, 'samples.parquet')}' GROUP BY ALL`,
      );
      assert.deepEqual(rows.getRows(), [['sql_probe', 'probe', true, 42, 42, true]]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  test('export parquet: bad flags are errors with the usual hint', async () => {
    const r = await runBeacon(['export', 'parquet', '--from=yesterday', tmp.dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid --from "yesterday": want RFC 3339 or unix seconds, try --help/);
    const none = await runBeacon(['export', 'parquet']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /output-directory/);
  });
});
