/**
 * A full disk: Beacon's data directory sits on a small tmpfs that the test fills. Writes then
 * fail with 5xx, logged and counted; reads keep being served; once space is back writes succeed
 * again; and after a SIGKILL and restart every acknowledged sample is there. Needs permission
 * to mount a tmpfs (root in a container); skips with a message otherwise.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { encodeWriteRequest, snappyCompress } from '../../core/remote/mod.ts';
import { type BeaconProcess, startBeacon } from '../helpers/process.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

const SERIES = 300;
const PAD = 'x'.repeat(60);

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function batch(t: number): Uint8Array<ArrayBuffer> {
  return snappyCompress(encodeWriteRequest({
    metadata: [],
    timeseries: Array.from({ length: SERIES }, (_, s) => ({
      labels: [
        { name: '__name__', value: 'disk_rw' },
        { name: 'pad', value: PAD },
        { name: 's', value: String(s) },
      ],
      samples: [{ value: t, timestamp: t }],
      exemplars: [],
      histograms: [],
    })),
  }));
}

/** Sends one batch at a fresh timestamp; returns the status and the timestamp. */
async function send(url: string, clock: { t: number }): Promise<[number, number]> {
  const t = clock.t = Math.max(clock.t + 1, Date.now());
  const res = await fetch(`${url}/api/v1/write`, { method: 'POST', body: batch(t) });
  await res.body?.cancel();
  return [res.status, t];
}

describe('full disk', () => {
  test('writes fail loudly, reads go on, nothing acknowledged is lost', async (t) => {
    const mnt = path.join(tmp.dir, 'mnt');
    fs.mkdirSync(mnt);
    if (!mountTmpfs(mnt, '24m')) {
      t.skip('cannot mount a tmpfs here (needs root); full-disk test skipped');
      return;
    }
    let beacon: BeaconProcess | undefined;
    try {
      const args = [
        `--storage.tsdb.path=${path.join(mnt, 'data')}`,
        '--web.enable-remote-write-receiver',
      ];
      beacon = await startBeacon([`--config.file=${path.join(tmp.dir, 'none.yml')}`, ...args]);
      const clock = { t: 0 };
      const acked: number[] = [];
      const [first, t0] = await send(beacon.url, clock);
      assert.equal(first, 204);
      acked.push(t0);
      // Fill the disk, then give back a little so that a few more batches fit.
      const filler = path.join(mnt, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = new Uint8Array(64 * 1024);
      let size = 0;
      try {
        for (;;) size += fs.writeSync(fd, chunk);
      } catch { /* ENOSPC */ }
      fs.ftruncateSync(fd, Math.max(0, size - 256 * 1024));
      let failures = 0;
      for (let i = 0; i < 5000 && failures < 3; i++) {
        const [status, ts] = await send(beacon.url, clock);
        if (status === 204) acked.push(ts);
        else {
          assert.ok(status >= 500, `write answered ${status}`);
          failures++;
        }
      }
      assert.equal(failures, 3, 'the disk never filled up');
      // Reads are served, health holds, the error is logged and counted.
      const q = await fetch(`${beacon.url}/api/v1/query?query=count(disk_rw)`);
      assert.equal(q.status, 200);
      assert.equal((await q.json()).data.result[0].value[1], String(SERIES));
      assert.equal((await fetch(`${beacon.url}/-/healthy`)).status, 200);
      const metrics = await (await fetch(`${beacon.url}/metrics`)).text();
      assert.match(metrics, /^beacon_remote_write_requests_total\{code="500"\} [1-9]/m);
      assert.match(beacon.logs(), /level=ERROR.*(ENOSPC|no space)/i);
      // Space comes back: writes succeed again.
      fs.ftruncateSync(fd, 0);
      fs.closeSync(fd);
      for (let i = 0; i < 20; i++) {
        const [status, ts] = await send(beacon.url, clock);
        assert.equal(status, 204);
        acked.push(ts);
      }
      beacon.signal('SIGKILL');
      await beacon.exited;
      beacon = await startBeacon([`--config.file=${path.join(tmp.dir, 'none.yml')}`, ...args]);
      const res = await fetch(
        `${beacon.url}/api/v1/query?query=${encodeURIComponent('disk_rw{s="7"}[1d]')}&time=${
          clock.t / 1000 + 1
        }`,
      );
      const body = await res.json() as { data: { result: { values: [number, string][] }[] } };
      const have = new Set(body.data.result[0].values.map(([ts]) => Math.round(ts * 1000)));
      const lost = acked.filter((ts) => !have.has(ts));
      assert.deepEqual(
        lost,
        [],
        `lost ${lost.length} of ${acked.length} acknowledged:\n${beacon.logs()}`,
      );
    } finally {
      if (beacon) {
        beacon.signal('SIGKILL');
        await beacon.exited;
      }
      execFileSync('umount', ['-l', mnt]);
    }
  });
});
