// Loading rule files from `rule_files` globs through the real host of the runtime: matches
// are read in order, errors of every file are collected, missing matches are fine.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  findDuplicateRules,
  loadRuleFiles,
  type RuleFileOptions,
} from '../../../core/rules/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';

const opts: RuleFileOptions = { parseExpr: (t) => parseExpr(t) };

describe('loadRuleFiles', () => {
  test('globs, reads and validates every matching file', async () => {
    const tmp = tempDir();
    try {
      tmp.write('b.rules.yml', 'groups: [{name: b, rules: [{record: b, expr: up}]}]\n');
      tmp.write('a.rules.yml', 'groups: [{name: a, rules: [{alert: A, expr: up == 0}]}]\n');
      tmp.write('other.txt', 'not yaml: [');
      const r = await loadRuleFiles(
        [path.join(tmp.dir, '*.rules.yml'), path.join(tmp.dir, 'a.*'), path.join(tmp.dir, 'x*')],
        host,
        opts,
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.files, [
        path.join(tmp.dir, 'a.rules.yml'),
        path.join(tmp.dir, 'b.rules.yml'),
      ]);
      assert.deepEqual(r.groups.map((g) => [path.basename(g.file), g.name]), [
        ['a.rules.yml', 'a'],
        ['b.rules.yml', 'b'],
      ]);
    } finally {
      tmp.remove();
    }
  });

  test('collects the errors of all files', async () => {
    const tmp = tempDir();
    try {
      const bad1 = tmp.write('1.yml', 'groups:\n  - name: g\n    rules:\n      - record: x\n');
      const bad2 = tmp.write(
        '2.yml',
        'groups:\n  - name: g\n    rules:\n      - alert: Y\n        expr: "up +"\n',
      );
      tmp.write('3.yml', 'groups: [{name: g, rules: []}]\n');
      const r = await loadRuleFiles([path.join(tmp.dir, '*.yml')], host, opts);
      assert.deepEqual(r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.path}`), [
        `${bad1}:4:9: groups[0].rules[0].expr`,
        `${bad2}:5:15: groups[0].rules[0].expr`,
      ]);
      // Same group name in different files is fine.
      assert.equal(r.groups.length, 3);
    } finally {
      tmp.remove();
    }
  });

  test('unreadable files become errors instead of throwing', async () => {
    const fs = {
      expandGlob: (p: string) => Promise.resolve(p === '/r/*.yml' ? ['/r/a.yml'] : []),
      readTextFile: () => Promise.reject(new Error('permission denied')),
    };
    const r = await loadRuleFiles(['/r/*.yml'], fs, opts);
    assert.deepEqual(r.errors.map(String), [
      '/r/a.yml:1:1: cannot read rule file: permission denied',
    ]);
    assert.deepEqual(r.groups, []);
  });
});

describe('findDuplicateRules', () => {
  test('compares names with group labels overlaid by rule labels', async () => {
    const fs = {
      expandGlob: () => Promise.resolve(['/r.yml']),
      readTextFile: () =>
        Promise.resolve(`groups:
  - name: a
    labels: { team: x }
    rules:
      - { record: m, expr: up }
      - { record: m, expr: up, labels: { team: y } }
      - { alert: m, expr: up, labels: { team: x } }
  - name: b
    rules:
      - { record: m, expr: up, labels: { team: y } }
      - { record: m, expr: up, labels: { team: y } }
      - { record: n, expr: up }
`),
    };
    const r = await loadRuleFiles(['/r.yml'], fs, opts);
    assert.deepEqual(r.errors, []);
    const dups = findDuplicateRules(r.groups).map((d) => `${d.metric}${d.labels}`);
    assert.deepEqual(dups, ['m{team="x"}', 'm{team="y"}']);
  });
});
