// Built-in routing state in the data directory: silences made through the API survive a
// restart (SIGTERM, and SIGKILL once the API answered); the notification log keeps a restarted
// Beacon from notifying a group again within repeat_interval.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/host.ts';
import { eventually, startBeacon } from '../helpers/process.ts';
import { startRecorder } from '../core/notify/recorder.ts';

const tmp = tempDir();
after(() => tmp.remove());

interface Webhook {
  groupLabels: Record<string, string>;
}

async function postJSON(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function silenceIds(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v2/silences`);
  return ((await res.json()) as { id: string }[]).map((s) => s.id).sort();
}

describe('routing state survives restarts (duckdb state store)', () => {
  test('silences and the notification log', async () => {
    const hook = await startRecorder();
    const data = path.join(tmp.dir, 'data');
    const config = path.join(tmp.dir, 'route.yml');
    writeFileSync(
      config,
      `scrape_configs: []
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 100ms
  group_interval: 100ms
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook.url}/hook
        send_resolved: false
`,
    );
    const args = [`--config.file=${config}`, `--storage.tsdb.path=${data}`];
    const now = Date.now();
    const silence = (name: string) => ({
      matchers: [{ name: 'alertname', value: name, isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: `mute ${name}`,
    });
    const alert = (name: string) => ({
      labels: { alertname: name },
      startsAt: new Date(now).toISOString(),
    });
    const notified = (name: string) =>
      hook.requests.filter((r) => (r.body as Webhook).groupLabels?.alertname === name).length;
    try {
      // 1. A silence, and a notification for the group "Down".
      let b = await startBeacon(args);
      const first = await postJSON(`${b.url}/api/v2/silences`, silence('Muted'));
      assert.equal(first.status, 200);
      const { silenceID: id1 } = await first.json() as { silenceID: string };
      assert.equal((await postJSON(`${b.url}/api/v2/alerts`, [alert('Down')])).status, 200);
      await eventually(() => Promise.resolve(notified('Down') === 1));
      b.signal('SIGTERM');
      assert.equal(await b.exited, 0);

      // 2. After a clean restart: the silence is listed; "Down" is not notified again, while
      //    a new group posted after it is (so the first had its chance to go out).
      b = await startBeacon(args);
      assert.deepEqual(await silenceIds(b.url), [id1]);
      await postJSON(`${b.url}/api/v2/alerts`, [alert('Down')]);
      await postJSON(`${b.url}/api/v2/alerts`, [alert('Fresh')]);
      await eventually(() => Promise.resolve(notified('Fresh') === 1));
      assert.equal(notified('Down'), 1);

      // 3. Killed right after the API answered: the silence is there on the next start.
      const second = await postJSON(`${b.url}/api/v2/silences`, silence('AlsoMuted'));
      assert.equal(second.status, 200);
      const { silenceID: id2 } = await second.json() as { silenceID: string };
      b.signal('SIGKILL');
      await b.exited;
      b = await startBeacon(args);
      assert.deepEqual(await silenceIds(b.url), [id1, id2].sort());
      // Expiring is persisted too.
      assert.equal(
        (await fetch(`${b.url}/api/v2/silence/${id1}`, { method: 'DELETE' })).status,
        200,
      );
      b.signal('SIGKILL');
      await b.exited;
      b = await startBeacon(args);
      const listed = await (await fetch(`${b.url}/api/v2/silence/${id1}`)).json() as {
        status: { state: string };
      };
      assert.equal(listed.status.state, 'expired');
      b.signal('SIGTERM');
      assert.equal(await b.exited, 0);
    } finally {
      await hook.close();
    }
  });
});
