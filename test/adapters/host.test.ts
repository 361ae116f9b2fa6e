import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { host, tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

describe(`host adapter (${host.runtime.name})`, () => {
  test('reads files and expands globs with Go filepath.Glob rules, sorted', async () => {
    tmp.write('a.yml', 'a');
    tmp.write('b.yml', 'b');
    tmp.write('c.json', 'c');
    assert.equal(await host.readTextFile(path.join(tmp.dir, 'a.yml')), 'a');
    assert.deepEqual(await host.expandGlob(path.join(tmp.dir, '*.yml')), [
      path.join(tmp.dir, 'a.yml'),
      path.join(tmp.dir, 'b.yml'),
    ]);
    assert.deepEqual(await host.expandGlob(path.join(tmp.dir, '[bc].*')), [
      path.join(tmp.dir, 'b.yml'),
      path.join(tmp.dir, 'c.json'),
    ]);
    assert.deepEqual(await host.expandGlob(path.join(tmp.dir, 'nothing-*.yml')), []);
    assert.deepEqual(await host.expandGlob(path.join(tmp.dir, 'a.yml')), [
      path.join(tmp.dir, 'a.yml'),
    ]);
    await assert.rejects(host.readTextFile(path.join(tmp.dir, 'missing')));
  });

  test('watch reports a change to a watched file and stops when asked', async () => {
    const file = tmp.write('watched.yml', 'one');
    let calls = 0;
    const changed = new Promise<void>((resolve) => {
      const stop = host.watch([file], () => {
        calls++;
        stop();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    tmp.write('watched.yml', 'two');
    await Promise.race([
      changed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no change event in 5s')), 5000)
      ),
    ]);
    assert.equal(calls, 1);
  });

  test('a path that cannot be watched is skipped, not an error', () => {
    const stop = host.watch([path.join(tmp.dir, 'does-not-exist')], () => {});
    stop();
  });

  test('process info is plausible', () => {
    const s = host.processInfo.read();
    assert.ok(host.processInfo.startTimeSeconds > 1e9);
    assert.ok((s.residentMemoryBytes ?? 0) > 0);
  });
});
