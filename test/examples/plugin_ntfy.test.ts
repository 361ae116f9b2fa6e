// examples/plugin-ntfy, the third-party notifier: its request format, and its path through
// Beacon in-process — named under `plugins`, used as `ntfy_configs` in a receiver, reached by
// an alert posted to /api/v2/alerts. (The runtime story installs it as a package.)
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Labels } from '../../core/model/mod.ts';
import { PluginRegistry } from '../../core/plugin.ts';
import { Runtime, type RuntimeOptions } from '../../core/runtime/mod.ts';
import { createImporter } from '../../adapters/shared/importer.ts';
import { BUILTIN_DISCOVERY, BUILTIN_PLUGINS, parsePromQL } from '../../plugins/mod.ts';
import { host, nativeNpm, recordingLogger, repoRoot, tempDir } from '../helpers/host.ts';
import { eventually } from '../helpers/process.ts';

const tmp = tempDir();
after(() => tmp.remove());

const pluginFile = path.join(repoRoot, 'examples', 'plugin-ntfy', 'mod.ts');
// Imported by URL: the module's `beacon` type import is the package's business, not this test's.
const mod = await import(pathToFileURL(pluginFile).href) as {
  default: { kind: string; name: string };
  ntfyRequest: (
    config: Record<string, unknown>,
    ctx: { now: number; receiver: string },
    alerts: unknown[],
  ) => { url: string; headers: Record<string, string>; body: string };
};

const alert = (name: string, endsAt = 0) => ({
  labels: Labels.from({ alertname: name, instance: 'a:9100' }),
  annotations: Labels.from({ summary: `${name} happened` }),
  startsAt: 1_000,
  endsAt,
  generatorURL: '',
});

describe('ntfy plugin', () => {
  const config = {
    server: 'http://ntfy.local/',
    topic: 'alerts',
    priority: 'urgent',
    tags: ['warning'],
    token: 'tk',
    send_resolved: true,
  };

  test('is a notifier named ntfy', () => {
    assert.equal(mod.default.kind, 'notifier');
    assert.equal(mod.default.name, 'ntfy');
  });

  test('firing: title with the count, configured priority and tags, one line per alert', () => {
    const req = mod.ntfyRequest(config, { now: 5_000, receiver: 'r' }, [alert('A'), alert('B')]);
    assert.equal(req.url, 'http://ntfy.local/alerts');
    assert.equal(req.headers.title, '[FIRING:2] A, B');
    assert.equal(req.headers.priority, 'urgent');
    assert.equal(req.headers.tags, 'firing,warning');
    assert.equal(req.headers.authorization, 'Bearer tk');
    assert.equal(
      req.body,
      '{alertname="A", instance="a:9100"}: A happened\n{alertname="B", instance="a:9100"}: B happened',
    );
  });

  test('resolved: low priority and the resolved tag', () => {
    const req = mod.ntfyRequest(config, { now: 5_000, receiver: 'r' }, [alert('A', 4_000)]);
    assert.equal(req.headers.title, '[RESOLVED:1] A');
    assert.equal(req.headers.priority, 'low');
    assert.equal(req.headers.tags, 'resolved,warning');
  });
});

describe('ntfy plugin in Beacon', () => {
  let dataDirs = 0;
  const runtime = (file: string) => {
    const { logger } = recordingLogger();
    const opts: RuntimeOptions = {
      host,
      logger,
      plugins: new PluginRegistry(createImporter(nativeNpm), BUILTIN_PLUGINS),
      configFile: file,
      flags: {
        'config.file': file,
        'storage.tsdb.path': path.join(tmp.dir, `data-${++dataDirs}`),
      },
      routePrefix: '',
      enableLifecycle: true,
      enableAdminApi: false,
      discoveryMechanisms: BUILTIN_DISCOVERY,
      parseExpr: parsePromQL,
    };
    return Runtime.create(opts);
  };
  const rel = path.relative(tmp.dir, pluginFile);
  const config = (server: string, pluginEntry: string) =>
    `storage: { engine: memory }
plugins:
${pluginEntry}
route:
  receiver: phone
  group_wait: 0s
receivers:
  - name: phone
    ntfy_configs:
      - server: ${server}
        topic: beacon
`;

  test('listed under plugins, it is a receiver type and receives alerts', async () => {
    const received: { path: string; title: string | null; body: string }[] = [];
    const server = await host.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (req) => {
        received.push({
          path: new URL(req.url).pathname,
          title: req.headers.get('title'),
          body: await req.text(),
        });
        return new Response('{}');
      },
    });
    const rt = await runtime(
      tmp.write('ntfy.yml', config(`http://${server.address}`, `  - use: ./${rel}`)),
    );
    await rt.start();
    try {
      const res = await rt.app.request('/api/v2/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: { alertname: 'DiskFull' } }]),
      });
      assert.equal(res.status, 200);
      await eventually(() => Promise.resolve(received.length > 0), 10_000);
      assert.equal(received[0].path, '/beacon');
      assert.equal(received[0].title, '[FIRING:1] DiskFull');
      assert.match(received[0].body, /alertname="DiskFull"/);
    } finally {
      await rt.stop();
      await server.close();
    }
  });

  test('not listed: the receiver names the missing plugin; a config block is refused', async () => {
    const missing = await runtime(tmp.write('missing.yml', config('http://x', '  - use: memory')));
    // `memory` is a storage engine, so that entry fails too; both errors are positioned.
    await assert.rejects(missing.start(), /plugins\[0\]\.use: "memory" is a storage engine/);

    const unlisted = await runtime(tmp.write('unlisted.yml', config('http://x', '  []')));
    await assert.rejects(
      unlisted.start(),
      /receivers\[0\]\.ntfy_configs\[0\]: no notifier plugin named "ntfy"/,
    );

    const withBlock = await runtime(
      tmp.write(
        'block.yml',
        config('http://x', `  - use: ./${rel}\n    config: { topic: x }`),
      ),
    );
    await assert.rejects(
      withBlock.start(),
      /block\.yml:\d+:\d+: plugins\[0\]\.config: .* is a notifier: configure it in a receiver's ntfy_configs/,
    );
  });
});
