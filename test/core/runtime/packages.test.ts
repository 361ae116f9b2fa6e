import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  exportsTarget,
  findInstalledPackage,
  isBarePackage,
  runtimeConditions,
  splitPackageSpecifier,
} from '../../../core/runtime/packages.ts';
import { locatePlugin } from '../../../core/runtime/plugins.ts';
import { host, tempDir } from '../../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

function installFake(root: string, name: string, manifest: Record<string, unknown>): string {
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  return dir;
}

describe('package specifiers', () => {
  test('split into name and subpath, scoped or not', () => {
    assert.deepEqual(splitPackageSpecifier('beacon-plugin-x'), {
      name: 'beacon-plugin-x',
      subpath: '.',
    });
    assert.deepEqual(splitPackageSpecifier('@acme/beacon-x/notify'), {
      name: '@acme/beacon-x',
      subpath: './notify',
    });
    assert.equal(splitPackageSpecifier('./local.ts'), undefined);
  });

  test('bare packages are neither paths nor scheme specifiers', () => {
    assert.ok(isBarePackage('beacon-plugin-ntfy'));
    assert.ok(isBarePackage('@acme/x'));
    for (const s of ['./x.ts', '../x.ts', '/abs/x.ts', 'npm:x', 'jsr:@a/b', 'file:///x.ts']) {
      assert.equal(isBarePackage(s), false, s);
    }
  });
});

describe('exportsTarget', () => {
  const exp = {
    '.': { types: './mod.ts', deno: './mod.ts', bun: './mod.ts', default: './dist/mod.js' },
    './extra': './extra.js',
    './sub/*': { import: './lib/*.js' },
  };

  test('the package order of conditions decides, and types never match', () => {
    assert.equal(exportsTarget(exp, '.', runtimeConditions('deno')), './mod.ts');
    assert.equal(exportsTarget(exp, '.', runtimeConditions('bun')), './mod.ts');
    assert.equal(exportsTarget(exp, '.', runtimeConditions('node')), './dist/mod.js');
    // `default` listed first wins even for Deno.
    assert.equal(
      exportsTarget({ default: './a.js', deno: './b.ts' }, '.', runtimeConditions('deno')),
      './a.js',
    );
  });

  test('subpaths, patterns, strings and arrays', () => {
    assert.equal(exportsTarget(exp, './extra', ['import']), './extra.js');
    assert.equal(exportsTarget(exp, './sub/a/b', ['import']), './lib/a/b.js');
    assert.equal(exportsTarget(exp, './missing', ['import']), undefined);
    assert.equal(exportsTarget('./only.js', '.', ['import']), './only.js');
    assert.equal(exportsTarget('./only.js', './x', ['import']), undefined);
    assert.equal(exportsTarget([{ require: './c.cjs' }, './e.js'], '.', ['import']), './e.js');
  });
});

describe('findInstalledPackage', () => {
  const project = path.join(tmp.dir, 'project');
  const configDir = path.join(project, 'config', 'prod');
  mkdirSync(configDir, { recursive: true });
  const pkg = installFake(project, 'beacon-plugin-a', {
    exports: { '.': { node: './node.js', default: './mod.js' } },
  });
  const scoped = installFake(project, '@acme/beacon-b', { main: 'lib/main.js' });
  installFake(project, 'beacon-plugin-c', {});

  test('looks in node_modules from the config directory upwards', async () => {
    // Deno and Bun match `node` too, as their own resolvers do.
    assert.equal(
      await findInstalledPackage('beacon-plugin-a', configDir, host),
      path.join(pkg, 'node.js'),
    );
    assert.equal(
      await findInstalledPackage('@acme/beacon-b', configDir, host),
      path.join(scoped, 'lib/main.js'),
    );
    assert.equal(
      await findInstalledPackage('@acme/beacon-b/other.js', configDir, host),
      path.join(scoped, 'other.js'),
    );
    assert.equal(
      await findInstalledPackage('beacon-plugin-c', configDir, host),
      path.join(project, 'node_modules', 'beacon-plugin-c', 'index.js'),
    );
  });

  test('a package that is not installed is left to the runtime', async () => {
    assert.equal(await findInstalledPackage('beacon-plugin-nowhere', configDir, host), undefined);
    const env = { baseDir: configDir, host };
    assert.equal(await locatePlugin('beacon-plugin-nowhere', env), 'beacon-plugin-nowhere');
    assert.equal(await locatePlugin('memory', env), 'memory');
  });

  test('locatePlugin: relative paths, packages and npm: specifiers', async () => {
    const env = { baseDir: configDir, host };
    assert.equal(await locatePlugin('./mine.ts', env), path.join(configDir, 'mine.ts'));
    assert.equal(
      await locatePlugin('@acme/beacon-b', env),
      path.join(scoped, 'lib/main.js'),
    );
    const npm = await locatePlugin('npm:@acme/beacon-b@^1.2', env);
    if (host.runtime.name === 'deno') assert.equal(npm, 'npm:@acme/beacon-b@^1.2');
    else assert.equal(npm, path.join(scoped, 'lib/main.js'));
  });
});
