// The CLI through its real door: Beacon started as a process under the test's runtime.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/host.ts';
import { eventually, runBeacon, startBeacon } from '../helpers/process.ts';

const tmp = tempDir();
after(() => tmp.remove());

const GOOD = `global:
  scrape_interval: 15s
scrape_configs:
  - job_name: self
    static_configs:
      - targets: ['localhost:9090']
`;

describe('beacon CLI', () => {
  test('--help explains the flags and commands; --version names the runtime', async () => {
    const help = await runBeacon(['--help']);
    assert.equal(help.code, 0);
    for (
      const flag of [
        '--config.file',
        '--web.listen-address',
        '--storage.tsdb.retention.time',
        '--log.format',
      ]
    ) {
      assert.ok(help.stdout.includes(flag), flag);
    }
    assert.match(help.stdout, /check config/);
    const version = await runBeacon(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^beacon, version \d+\.\d+\.\d+/);
    assert.match(version.stdout, /runtime: +(deno|bun) /);
  });

  test('unknown flags and commands are errors', async () => {
    const r = await runBeacon(['--web.listen-adress=:1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown long flag '--web\.listen-adress'/);
    const c = await runBeacon(['frobnicate']);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /unknown command/);
  });

  test('check config: exit 0 for valid files, 1 with positioned errors for invalid ones', async () => {
    const good = tmp.write('good.yml', GOOD);
    const bad = tmp.write(
      'bad.yml',
      'scrape_configs:\n  - job_name: a\n    scrape_interval: 10x\n',
    );
    const ok = await runBeacon(['check', 'config', good]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /SUCCESS/);
    const fail = await runBeacon(['check', 'config', good, bad]);
    assert.equal(fail.code, 1);
    assert.match(
      fail.stdout,
      /bad\.yml:3:\d+: scrape_configs\[0\]\.scrape_interval: invalid duration "10x"/,
    );
  });

  test("check rules gives promtool's verdicts, positions and exit codes", async () => {
    const rules = tmp.write(
      'rules.yml',
      'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
    );
    const ok = await runBeacon(['check', 'rules', rules]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /SUCCESS: 1 rules found/);
    const bad = tmp.write(
      'bad-rules.yml',
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(up\n',
    );
    const fail = await runBeacon(['check', 'rules', bad]);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /bad-rules\.yml:5:\d+: groups\[0\]\.rules\[0\]\.expr: .*parse error/);
    const dup = tmp.write(
      'dup.yml',
      'groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n      - record: a\n        expr: up\n',
    );
    assert.equal((await runBeacon(['check', 'rules', dup])).code, 0);
    assert.equal((await runBeacon(['check', 'rules', '--lint-fatal', dup])).code, 3);
    const flag = await runBeacon(['check', 'rules', '--no-such-flag', dup]);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /unknown long flag/);
  });

  test('test rules runs promtool-format unit tests: exit 0 when they pass, 1 when they fail', async () => {
    tmp.write(
      'ut-rules.yml',
      'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 1m\n',
    );
    const test = (exp: string) =>
      `rule_files: [ut-rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="a"}'
        values: '0x5'
    alert_rule_test:
      - eval_time: 3m
        alertname: Down
        exp_alerts: ${exp}
`;
    const ok = tmp.write('ut-ok.yml', test('[{ exp_labels: { job: a } }]'));
    const bad = tmp.write('ut-bad.yml', test('[]'));
    const pass = await runBeacon(['test', 'rules', ok]);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /SUCCESS/);
    const fail = await runBeacon(['test', 'rules', bad]);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout + fail.stderr, /alertname: Down, time: 3m/);
  });

  test('check metrics reads standard input in strict mode', async () => {
    const valid = '# HELP up Up.\n# TYPE up gauge\nup 1\n';
    assert.equal((await runBeacon(['check', 'metrics'], { stdin: valid })).code, 0);
    const broken = await runBeacon(['check', 'metrics'], {
      stdin: '# TYPE a counter\na{x="1} 2\n',
    });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /line 2/);
  });

  test('a malformed config stops start-up with every error and exit 1', async () => {
    const bad = tmp.write(
      'start-bad.yml',
      'global:\n  scrape_timeout: 2m\n  scrape_interval: 1m\nfoo: 1\n',
    );
    const r = await runBeacon(['--config.file', bad, '--web.listen-address=127.0.0.1:0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /start-bad\.yml:4:1: foo/);
    assert.match(r.stderr, /nothing started/);
  });

  test('serves, reloads on SIGHUP keeping the old config when the new one is bad, stops on SIGTERM', async () => {
    const file = tmp.write('serve.yml', GOOD);
    const b = await startBeacon(['--config.file', file, '--log.format=json']);
    try {
      const build = await (await fetch(`${b.url}/api/v1/status/buildinfo`)).json();
      assert.equal(build.status, 'success');
      const metrics = async () => await (await fetch(`${b.url}/metrics`)).text();
      assert.match(await metrics(), /^beacon_config_last_reload_successful 1$/m);

      tmp.write('serve.yml', 'scrape_configs: [{job_name: x, scrape_interval: bad}]\n');
      b.signal('SIGHUP');
      await eventually(async () =>
        /^beacon_config_last_reload_successful 0$/m.test(await metrics())
      );
      const cfg = await (await fetch(`${b.url}/api/v1/status/config`)).json();
      assert.match(cfg.data.yaml, /job_name: self/, 'old config still served');

      tmp.write('serve.yml', GOOD.replace('self', 'renamed'));
      b.signal('SIGHUP');
      await eventually(async () =>
        /^beacon_config_last_reload_successful 1$/m.test(await metrics())
      );
      const cfg2 = await (await fetch(`${b.url}/api/v1/status/config`)).json();
      assert.match(cfg2.data.yaml, /job_name: renamed/);
    } finally {
      b.signal('SIGTERM');
    }
    assert.equal(await b.exited, 0);
    const lines = b.logs().trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(
      lines.some((l) => l.level === 'ERROR' && /serve\.yml:1:\d+/.test(l.err)),
      'reload error logged with its position',
    );
    assert.ok(lines.some((l) => /stopping gracefully/.test(l.msg)));
  });

  test('--web.config.file: basic auth on every endpoint except health; a bad file stops start-up', async () => {
    const web = tmp.write(
      'web.yml',
      'basic_auth_users:\n  admin: $2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a\n',
    );
    const b = await startBeacon([
      '--config.file',
      tmp.write('web-beacon.yml', GOOD),
      '--web.config.file',
      web,
    ]);
    try {
      assert.equal((await fetch(`${b.url}/-/healthy`)).status, 200);
      const denied = await fetch(`${b.url}/metrics`);
      assert.equal(denied.status, 401);
      assert.match(denied.headers.get('www-authenticate') ?? '', /^Basic/);
      const wrong = await fetch(`${b.url}/metrics`, {
        headers: { authorization: `Basic ${btoa('admin:nope')}` },
      });
      assert.equal(wrong.status, 401);
      const ok = await fetch(`${b.url}/api/v1/status/buildinfo`, {
        headers: { authorization: `Basic ${btoa('admin:secret')}` },
      });
      assert.equal(ok.status, 200);
    } finally {
      b.signal('SIGTERM');
    }
    assert.equal(await b.exited, 0);
    assert.ok(!b.logs().includes('abcdefghijklmnopqrstuu'), 'the hash never reaches the log');

    const bad = tmp.write('web-bad.yml', 'basic_auth_users:\n  admin: not-a-hash\nextra: 1\n');
    const r = await runBeacon([
      '--config.file',
      tmp.write('web-beacon2.yml', GOOD),
      '--web.config.file',
      bad,
      '--web.listen-address=127.0.0.1:0',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /web-bad\.yml:\d+:\d+/);
  });
});
