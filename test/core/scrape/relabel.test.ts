import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Labels } from '../../../core/model/mod.ts';
import type { RelabelConfig } from '../../../core/config/mod.ts';
import { expandTemplate, hashMod, md5, relabelLabels } from '../../../core/scrape/mod.ts';

/** A rule with Prometheus's defaults for what is omitted. */
function rule(r: Partial<RelabelConfig>): RelabelConfig {
  return {
    separator: ';',
    regex: '(.*)',
    modulus: 0,
    target_label: '',
    replacement: '$1',
    action: 'replace',
    ...r,
  };
}

interface Case {
  name: string;
  input: Record<string, string>;
  rules: Partial<RelabelConfig>[];
  /** `undefined` means dropped. */
  output: Record<string, string> | undefined;
}

const cases: Case[] = [
  {
    name: 'replace with a capture group',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{
      source_labels: ['a'],
      regex: 'f(.*)',
      target_label: 'd',
      replacement: 'ch${1}-ch${1}',
    }],
    output: { a: 'foo', b: 'bar', c: 'baz', d: 'choo-choo' },
  },
  {
    name: 'replace joins sources with the separator, and rules chain',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [
      {
        source_labels: ['a', 'b'],
        regex: 'f(.*);(.*)r',
        target_label: 'a',
        replacement: 'b${1}${2}m',
      },
      {
        source_labels: ['c', 'a'],
        regex: '(b).*b(.*)ba(.*)',
        target_label: 'd',
        replacement: '$1$2$2$3',
      },
    ],
    output: { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' },
  },
  {
    name: 'regex is anchored: a partial match does not replace',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'o+', target_label: 'b', replacement: 'x' }],
    output: { a: 'foo' },
  },
  {
    name: 'no match leaves the set alone',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'bar', target_label: 'a', replacement: 'x' }],
    output: { a: 'foo' },
  },
  {
    name: 'empty replacement deletes the target label',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: 'foo', target_label: 'b', replacement: '' }],
    output: { a: 'foo' },
  },
  {
    name: 'a missing source with the default regex sets the replacement (fast path)',
    input: { a: 'foo' },
    rules: [{ source_labels: ['missing'], target_label: 'env', replacement: 'prod' }],
    output: { a: 'foo', env: 'prod' },
  },
  {
    name: 'default replacement $1 of an empty match deletes',
    input: { a: 'foo', b: 'x' },
    rules: [{ source_labels: ['missing'], target_label: 'b' }],
    output: { a: 'foo' },
  },
  {
    name: 'target label from a template',
    input: { a: 'some-name-value' },
    rules: [{
      source_labels: ['a'],
      regex: 'some-([^-]+)-([^,]+)',
      target_label: '${1}',
      replacement: '${2}',
    }],
    output: { a: 'some-name-value', name: 'value' },
  },
  {
    name: 'an invalid expanded target label is skipped',
    input: { a: 'some-name-value' },
    rules: [{
      source_labels: ['a'],
      regex: 'some-([^-]+)-([^,]+)',
      target_label: '${3}',
      replacement: '${1}',
    }],
    output: { a: 'some-name-value' },
  },
  {
    name: '$1x is the group named 1x, i.e. empty',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: '(f)oo', target_label: 'b', replacement: '$1x-${1}x' }],
    output: { a: 'foo', b: '-fx' },
  },
  {
    name: 'named groups and $$',
    input: { a: 'host:9100' },
    rules: [{
      source_labels: ['a'],
      regex: '(?P<host>[^:]+):(?P<port>\\d+)',
      target_label: 'b',
      replacement: '$host/$$${port}',
    }],
    output: { a: 'host:9100', b: 'host/$9100' },
  },
  {
    name: 'dot matches newline',
    input: { a: 'line1\nline2' },
    rules: [{ source_labels: ['a'], regex: 'line1.(.*)', target_label: 'b' }],
    output: { a: 'line1\nline2', b: 'line2' },
  },
  {
    name: 'keep keeps a matching set',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }],
    output: { a: 'foo' },
  },
  {
    name: 'keep drops a set that does not match',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'b.*', action: 'keep' }],
    output: undefined,
  },
  {
    name: 'keep on a missing label matches against the empty string',
    input: { a: 'foo' },
    rules: [{ source_labels: ['missing'], regex: '', action: 'keep' }],
    output: { a: 'foo' },
  },
  {
    name: 'drop drops a matching set',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }],
    output: undefined,
  },
  {
    name: 'drop keeps a set that does not match',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: 'no', action: 'drop' }],
    output: { a: 'foo', b: 'bar' },
  },
  {
    name: 'keepequal keeps when the target label equals the source',
    input: { a: 'x', b: 'x' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }],
    output: { a: 'x', b: 'x' },
  },
  {
    name: 'keepequal drops otherwise',
    input: { a: 'x', b: 'y' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }],
    output: undefined,
  },
  {
    name: 'dropequal drops when equal',
    input: { a: 'x', b: 'x' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }],
    output: undefined,
  },
  {
    name: 'dropequal keeps otherwise',
    input: { a: 'x', b: 'y' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }],
    output: { a: 'x', b: 'y' },
  },
  {
    name: 'labelmap copies matching names',
    input: { __meta_kubernetes_pod_label_app: 'web', __meta_x: 'y', job: 'j' },
    rules: [{ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }],
    output: { __meta_kubernetes_pod_label_app: 'web', __meta_x: 'y', app: 'web', job: 'j' },
  },
  {
    name: 'labelmap with a replacement template',
    input: { foo_a: '1', foo_b: '2', other: '3' },
    rules: [{ regex: 'foo_(.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    output: { foo_a: '1', foo_b: '2', bar_a: '1', bar_b: '2', other: '3' },
  },
  {
    name: 'labeldrop removes matching names',
    input: { a: '1', b: '2', c: '3' },
    rules: [{ regex: '[ab]', action: 'labeldrop' }],
    output: { c: '3' },
  },
  {
    name: 'labelkeep keeps only matching names',
    input: { a: '1', b: '2', c: '3' },
    rules: [{ regex: '[ab]', action: 'labelkeep' }],
    output: { a: '1', b: '2' },
  },
  {
    name: 'labelkeep can empty the set',
    input: { a: '1' },
    rules: [{ regex: 'zzz', action: 'labelkeep' }],
    output: {},
  },
  {
    name: 'lowercase',
    input: { a: 'AbC', b: 'DeF' },
    rules: [{ source_labels: ['a', 'b'], target_label: 'l', action: 'lowercase' }],
    output: { a: 'AbC', b: 'DeF', l: 'abc;def' },
  },
  {
    name: 'uppercase',
    input: { a: 'AbC' },
    rules: [{ source_labels: ['a'], target_label: 'u', action: 'uppercase' }],
    output: { a: 'AbC', u: 'ABC' },
  },
  {
    name: 'replace then keep on the new label',
    input: { __address__: 'node1:9100' },
    rules: [
      { source_labels: ['__address__'], regex: '([^:]+):.*', target_label: 'host' },
      { source_labels: ['host'], regex: 'node1', action: 'keep' },
    ],
    output: { __address__: 'node1:9100', host: 'node1' },
  },
  {
    name: 'case-insensitive regex flag',
    input: { a: 'FOO' },
    rules: [{ source_labels: ['a'], regex: '(?i)foo', action: 'keep' }],
    output: { a: 'FOO' },
  },
];

describe('relabelLabels', () => {
  for (const c of cases) {
    test(c.name, () => {
      const out = relabelLabels(Labels.from(c.input), c.rules.map(rule));
      if (c.output === undefined) assert.equal(out, undefined);
      else {
        assert.ok(out, 'expected the set to be kept');
        assert.deepEqual(out.toRecord(), Labels.from(c.output).toRecord());
      }
    });
  }

  test('hashmod agrees with an independent MD5 (last 8 bytes, big-endian)', () => {
    for (
      const [value, modulus] of [['foo', 1000], ['node-7:9100', 3], ['', 2], [
        'a;b',
        2 ** 40,
      ]] as const
    ) {
      const digest = createHash('md5').update(value).digest();
      const expected = Number(digest.readBigUInt64BE(8) % BigInt(modulus));
      const out = relabelLabels(Labels.from({ a: value === '' ? 'x' : value }), [
        rule({
          source_labels: value === '' ? ['missing'] : ['a'],
          target_label: 'shard',
          modulus,
          action: 'hashmod',
        }),
      ]);
      assert.equal(out?.get('shard'), String(expected), `value ${JSON.stringify(value)}`);
      assert.equal(hashMod(value, modulus), expected);
    }
  });

  test('hashmod joins source labels with the separator', () => {
    const digest = createHash('md5').update('x|y').digest();
    const expected = Number(digest.readBigUInt64BE(8) % 7n);
    const out = relabelLabels(Labels.from({ a: 'x', b: 'y' }), [
      rule({
        source_labels: ['a', 'b'],
        separator: '|',
        target_label: 's',
        modulus: 7,
        action: 'hashmod',
      }),
    ]);
    assert.equal(out?.get('s'), String(expected));
  });
});

describe('md5', () => {
  test('matches node:crypto on lengths around the block boundaries', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const s = 'abcdefghij'.repeat(100).slice(0, n) + (n > 5 ? 'é€' : '');
      const hex = [...md5(s)].map((b) => b.toString(16).padStart(2, '0')).join('');
      assert.equal(hex, createHash('md5').update(s).digest('hex'), `length ${n}`);
    }
  });

  test('known vector', () => {
    const hex = [...md5('abc')].map((b) => b.toString(16).padStart(2, '0')).join('');
    assert.equal(hex, '900150983cd24fb0d6963f7d28e17f72');
  });
});

describe('expandTemplate', () => {
  const m = /^(?<first>a)(b)?(c)$/.exec('ac')!;
  const names = ['', 'first', '', ''];
  for (
    const [tpl, want] of [
      ['$1', 'a'],
      ['${1}', 'a'],
      ['$first', 'a'],
      ['${first}z', 'az'],
      ['$2', ''],
      ['$3', 'c'],
      ['$9', ''],
      ['$$1', '$1'],
      ['$', '$'],
      ['x$-y', 'x$-y'],
      ['${1', '${1'],
      ['$01', ''],
      ['plain', 'plain'],
    ] as const
  ) {
    test(`${tpl} → ${want}`, () => assert.equal(expandTemplate(tpl, m, names), want));
  }
});
