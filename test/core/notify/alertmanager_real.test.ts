/**
 * The Alertmanager client against a real Alertmanager (Debian's `prometheus-alertmanager`):
 * alerts posted by Beacon are read back from Alertmanager's API with the same labels,
 * annotations, times, generator URL and fingerprint; Alertmanager then forwards them to a
 * local webhook, and a resolved alert resolves there. Skips when the binary is absent, except
 * under CI=true, where that is a failure.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Labels } from '../../../core/model/mod.ts';
import { parseConfig } from '../../../core/config/mod.ts';
import { AlertmanagerClient, fingerprint, newAlert } from '../../../core/notify/mod.ts';
import { tempDir } from '../../helpers/host.ts';
import { eventually, freePort } from '../../helpers/process.ts';
import { startRecorder } from './recorder.ts';

const BINARY = ['/usr/bin/prometheus-alertmanager', '/usr/bin/alertmanager'].find(existsSync);
const missing = BINARY
  ? false
  : 'prometheus-alertmanager not installed (apt-get install prometheus-alertmanager); skipping the real-Alertmanager test';
if (missing && process.env.CI !== 'true') console.log(missing);

describe('Alertmanager client with a real Alertmanager', () => {
  test('binary present under CI', { skip: process.env.CI === 'true' ? false : 'not CI' }, () => {
    assert.ok(BINARY, 'CI must install prometheus-alertmanager');
  });

  test('alerts arrive intact, are forwarded, and resolve', {
    skip: missing && process.env.CI !== 'true' ? missing : false,
  }, async () => {
    const hook = await startRecorder();
    const dir = tempDir();
    const port = await freePort();
    const config = dir.write(
      'alertmanager.yml',
      `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs: [{ url: '${hook.url}/hook', send_resolved: true }]
`,
    );
    let logs = '';
    const child: ChildProcess = spawn(BINARY!, [
      `--config.file=${config}`,
      `--storage.path=${dir.dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    const client = new AlertmanagerClient();
    const base = `http://127.0.0.1:${port}`;
    try {
      await eventually(async () => {
        try {
          return (await fetch(`${base}/-/ready`)).ok;
        } catch {
          return false;
        }
      });
      client.applyConfig({
        alerting: parseConfig(
          `alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${port}'] }] }] }`,
          '/tmp/prometheus.yml',
        ).alerting,
        externalLabels: { replica: 'r1' },
      });
      const startsAt = Date.now() - 60_000;
      const alert = newAlert({
        labels: { alertname: 'BeaconTest', severity: 'page' },
        annotations: { summary: 'it fires' },
        startsAt,
        endsAt: Date.now() + 10 * 60_000,
        generatorURL: 'http://beacon:9090/graph?g0.expr=up',
      });
      client.send([alert]);
      await client.idle();

      type Got = {
        labels: Record<string, string>;
        annotations: Record<string, string>;
        startsAt: string;
        generatorURL: string;
        fingerprint: string;
        status: { state: string };
      };
      let got: Got[] = [];
      await eventually(async () => {
        got = await (await fetch(`${base}/api/v2/alerts`)).json();
        return got.length === 1;
      });
      const expected = { alertname: 'BeaconTest', severity: 'page', replica: 'r1' };
      assert.deepEqual(got[0].labels, expected);
      assert.deepEqual(got[0].annotations, { summary: 'it fires' });
      assert.equal(Date.parse(got[0].startsAt), startsAt);
      assert.equal(got[0].generatorURL, 'http://beacon:9090/graph?g0.expr=up');
      assert.equal(got[0].fingerprint, fingerprint(Labels.from(expected)));
      assert.equal(got[0].status.state, 'active');

      // Alertmanager forwards it to the webhook.
      type Hook = { status: string; alerts: { status: string; fingerprint: string }[] };
      await eventually(() => Promise.resolve(hook.requests.length >= 1));
      const first = hook.requests[0].body as Hook & { version: string; groupKey: string };
      assert.equal(first.version, '4');
      assert.equal(first.status, 'firing');
      assert.equal(first.groupKey, '{}:{alertname="BeaconTest"}');
      assert.equal(first.alerts[0].fingerprint, got[0].fingerprint);

      // Resolving: Prometheus sends the alert again with an end in the past.
      client.send([{ ...alert, endsAt: Date.now() - 1000 }]);
      await client.idle();
      await eventually(() =>
        Promise.resolve(hook.requests.some((r) => (r.body as Hook).status === 'resolved'))
      );
      const active = await (await fetch(`${base}/api/v2/alerts?active=true`)).json();
      assert.equal(active.length, 0);
    } catch (e) {
      console.log(logs);
      throw e;
    } finally {
      await client.stop();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await hook.close();
      dir.remove();
    }
  });
});
