import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEdgeHost } from '../../../adapters/edge/mod.ts';

const host = createEdgeHost({
  runtime: { name: 'test', version: '0' },
  files: {
    '/etc/beacon/prometheus.yml': 'global: {}\n',
    'etc/beacon/rules/a.yml': 'a',
    '/etc/beacon/rules/b.yml': 'b',
    '/etc/beacon/rules/c.yaml': 'c',
  },
  env: { TOKEN: 'x' },
  write: () => {},
});

describe('edge host', () => {
  test('reads files from the map, with paths normalised', async () => {
    assert.equal(await host.readTextFile('/etc/beacon/prometheus.yml'), 'global: {}\n');
    assert.equal(await host.readTextFile('/etc/beacon/./rules/../rules/a.yml'), 'a');
    await assert.rejects(host.readTextFile('/etc/passwd'), /no such file/);
  });

  test('expands globs within one path element', async () => {
    assert.deepEqual(await host.expandGlob('/etc/beacon/rules/*.yml'), [
      '/etc/beacon/rules/a.yml',
      '/etc/beacon/rules/b.yml',
    ]);
    assert.deepEqual(await host.expandGlob('/etc/beacon/*.yml'), ['/etc/beacon/prometheus.yml']);
    assert.deepEqual(await host.expandGlob('/etc/beacon/rules/[ac].y*'), [
      '/etc/beacon/rules/a.yml',
      '/etc/beacon/rules/c.yaml',
    ]);
  });

  test('has an environment but no server, signals or exit', async () => {
    assert.equal(host.env('TOKEN'), 'x');
    assert.equal(host.env('NONE'), undefined);
    assert.equal(host.resolvePath('rules.yml'), '/rules.yml');
    await assert.rejects(
      host.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() }),
      /serves requests itself/,
    );
    assert.throws(() => host.exit(1), /not possible/);
  });
});
