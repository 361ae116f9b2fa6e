import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { recordingLogger, tempDir } from '../../helpers/host.ts';
import { host } from '../../helpers/host.ts';
import { WebConfigWatcher } from '../../../core/web_config/mod.ts';

// htpasswd -nbBC 4 u secret
const HASH = '$2y$04$I2wjS4m3H6cdXp8wYwvni.tniTjQhJDW8Arb3lpaEJ8Sig34aF./K';

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${btoa(`${user}:${password}`)}`,
});

function appWith(watcher: WebConfigWatcher, prefix = ''): Hono {
  const app = new Hono();
  app.use('*', watcher.guard.middleware());
  app.get(`${prefix}/-/healthy`, (c) => c.text('Healthy'));
  app.get(`${prefix}/-/ready`, (c) => c.text('Ready'));
  app.get(`${prefix}/api/v1/query`, (c) => c.json({ status: 'success' }));
  return app;
}

describe('web config guard', () => {
  test('basic auth: 401 without or with wrong credentials, 200 with the right ones', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.write(
        'web.yml',
        `basic_auth_users:\n  alice: ${HASH}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n`,
      );
      const { logger, lines } = recordingLogger();
      const watcher = await WebConfigWatcher.create({ file, fs: host, logger });
      const app = appWith(watcher);
      const none = await app.request('/api/v1/query');
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Basic');
      assert.equal(none.headers.get('x-frame-options'), 'deny');
      for (
        const h of [
          basic('alice', 'wrong'),
          basic('mallory', 'secret'),
          { Authorization: 'Bearer secret' },
          { Authorization: 'Basic !!!' },
          { Authorization: `Basic ${btoa('alice')}` },
        ]
      ) {
        assert.equal((await app.request('/api/v1/query', { headers: h })).status, 401);
      }
      // Twice: the second answer comes from the verification cache.
      for (let i = 0; i < 2; i++) {
        const ok = await app.request('/api/v1/query', { headers: basic('alice', 'secret') });
        assert.equal(ok.status, 200);
        assert.equal(ok.headers.get('x-frame-options'), 'deny');
        assert.deepEqual(await ok.json(), { status: 'success' });
      }
      // The wrong password stays wrong when cached.
      const again = await app.request('/api/v1/query', { headers: basic('alice', 'wrong') });
      assert.equal(again.status, 401);
      // Health endpoints need no credentials but still get the headers.
      for (const path of ['/-/healthy', '/-/ready']) {
        const r = await app.request(path);
        assert.equal(r.status, 200, path);
        assert.equal(r.headers.get('x-frame-options'), 'deny');
      }
      assert.ok(!lines.join('\n').includes(HASH), 'the hash is never logged');
    } finally {
      tmp.remove();
    }
  });

  test('health endpoints stay open under a route prefix; the fetch wrapper covers 404s', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.write('web.yml', `basic_auth_users:\n  alice: ${HASH}\n`);
      const watcher = await WebConfigWatcher.create({
        file,
        fs: host,
        logger: recordingLogger().logger,
        routePrefix: '/prom/',
      });
      const app = appWith(watcher, '/prom');
      assert.equal((await app.request('/prom/-/healthy')).status, 200);
      assert.equal((await app.request('/-/healthy')).status, 401);
      const fetch = watcher.guard.wrap((req) => app.fetch(req));
      assert.equal((await fetch(new Request('http://x/nothing'))).status, 401);
      const r = await fetch(new Request('http://x/nothing', { headers: basic('alice', 'secret') }));
      assert.equal(r.status, 404);
    } finally {
      tmp.remove();
    }
  });

  test('reload applies a new config; an invalid one is logged and the old one kept', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.write('web.yml', '');
      const { logger, lines } = recordingLogger();
      const watcher = await WebConfigWatcher.create({ file, fs: host, logger });
      const app = appWith(watcher);
      assert.equal((await app.request('/api/v1/query')).status, 200);
      let changes = 0;
      watcher.subscribe(() => changes++);

      tmp.write('web.yml', `basic_auth_users:\n  alice: ${HASH}\n`);
      assert.equal(await watcher.reload(), true);
      assert.equal((await app.request('/api/v1/query')).status, 401);
      assert.equal(await watcher.reload(), false, 'unchanged file: nothing to do');
      assert.equal(changes, 1);

      tmp.write('web.yml', `basic_auth_users:\n  alice: not-a-hash-SECRETVALUE\n`);
      assert.equal(await watcher.reload(), false);
      assert.equal((await app.request('/api/v1/query')).status, 401);
      const log = lines.join('\n');
      assert.match(log, /Invalid web config, keeping the previous one/);
      assert.match(log, /basic_auth_users\.alice/);
      assert.ok(!log.includes('SECRETVALUE') && !log.includes(HASH), log);
    } finally {
      tmp.remove();
    }
  });

  test('rate limit: 429 once the burst is spent, health endpoints exempt', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.write('web.yml', 'rate_limit:\n  interval: 1h\n  burst: 2\n');
      const watcher = await WebConfigWatcher.create({
        file,
        fs: host,
        logger: recordingLogger().logger,
      });
      const app = appWith(watcher);
      assert.equal((await app.request('/api/v1/query')).status, 200);
      assert.equal((await app.request('/api/v1/query')).status, 200);
      assert.equal((await app.request('/api/v1/query')).status, 429);
      assert.equal((await app.request('/-/healthy')).status, 200);
    } finally {
      tmp.remove();
    }
  });

  test('no web config file: everything open, nothing added', async () => {
    const watcher = await WebConfigWatcher.create({ fs: host, logger: recordingLogger().logger });
    const r = await appWith(watcher).request('/api/v1/query');
    assert.equal(r.status, 200);
    assert.equal(await watcher.reload(), false);
  });
});
