import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, isAbsolute, join, joinDir } from '../../../core/config/mod.ts';

describe('config paths', () => {
  test('dirname, join, isAbsolute', () => {
    assert.equal(dirname('/etc/beacon/beacon.yml'), '/etc/beacon');
    assert.equal(dirname('beacon.yml'), '.');
    assert.equal(dirname('/beacon.yml'), '/');
    assert.equal(join('/etc/beacon', '../rules', './a.yml'), '/etc/rules/a.yml');
    assert.equal(join('.', 'a.yml'), 'a.yml');
    assert.ok(isAbsolute('/x') && isAbsolute('c:\\x') && !isAbsolute('x/y'));
  });

  test('joinDir keeps absolute and empty paths', () => {
    assert.equal(joinDir('/etc/beacon', 'rules/*.yml'), '/etc/beacon/rules/*.yml');
    assert.equal(joinDir('/etc/beacon', '/abs.yml'), '/abs.yml');
    assert.equal(joinDir('/etc/beacon', ''), '');
  });
});
