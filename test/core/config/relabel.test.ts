import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { RELABEL_ACTIONS, relabelConfigSchema, relabelRegex } from '../../../core/config/mod.ts';

const schema = relabelConfigSchema('empty or null relabeling rule');

function problem(rule: unknown): string | undefined {
  const r = v.safeParse(schema, rule);
  return r.success ? undefined : r.issues.map((i) => i.message).join('; ');
}

describe('relabel rules', () => {
  test('valid rules for every action', () => {
    const ok: Record<string, unknown> = {
      replace: { target_label: 'x' },
      keep: { source_labels: ['a'], regex: 'b' },
      drop: { source_labels: ['a'], regex: 'b' },
      keepequal: { source_labels: ['a'], target_label: 'b' },
      dropequal: { source_labels: ['a'], target_label: 'b' },
      hashmod: { source_labels: ['a'], target_label: 'h', modulus: 4 },
      labelmap: { regex: '__meta_(.+)' },
      labeldrop: { regex: 'tmp_.*' },
      labelkeep: { regex: 'keep_.*' },
      lowercase: { source_labels: ['a'], target_label: 'b' },
      uppercase: { source_labels: ['a'], target_label: 'b' },
    };
    assert.deepEqual(Object.keys(ok).sort(), [...RELABEL_ACTIONS].sort());
    for (const [action, rule] of Object.entries(ok)) {
      assert.equal(problem({ ...(rule as object), action }), undefined, action);
    }
  });

  test('Prometheus rule messages', () => {
    const cases: [unknown, string][] = [
      [null, 'empty or null relabeling rule'],
      [{ action: null }, 'relabel action cannot be empty'],
      [{ action: 'frobnicate' }, 'unknown relabel action "frobnicate"'],
      [{ regex: 'a(b', target_label: 'x' }, 'error parsing regexp: missing closing ): `a(b`'],
      [
        { action: 'hashmod', target_label: 'h' },
        'relabel configuration for hashmod requires non-zero modulus',
      ],
      [
        { action: 'hashmod', modulus: 2 },
        "relabel configuration for hashmod action requires 'target_label' value",
      ],
      [{}, "relabel configuration for replace action requires 'target_label' value"],
      [{ target_label: '1$x' }, `"1$x" is invalid 'target_label' for replace action`],
      [
        { action: 'lowercase', target_label: 'a', replacement: 'b' },
        "'replacement' can not be set for lowercase action",
      ],
      [
        { action: 'labelmap', replacement: '$$' },
        `"$$" is invalid 'replacement' for labelmap action`,
      ],
      [
        { action: 'keepequal', target_label: 'a', regex: 'x' },
        "keepequal action requires only 'source_labels' and `target_label`, and no other fields",
      ],
      [
        { action: 'labeldrop', source_labels: ['a'] },
        "labeldrop action requires only 'regex', and no other fields",
      ],
      [
        { action: 'labelkeep', separator: ',' },
        "labelkeep action requires only 'regex', and no other fields",
      ],
      [{ target_label: 'x', bogus: 1 }, 'field bogus not found in type relabel_config'],
    ];
    for (const [rule, message] of cases) assert.equal(problem(rule), message, JSON.stringify(rule));
  });

  test('actions are case-insensitive and the regex is anchored', () => {
    const rule = v.parse(schema, { action: 'DROP', source_labels: ['a'], regex: 'ab|cd' });
    assert.equal(rule.action, 'drop');
    assert.equal(rule.regex, 'ab|cd');
    const re = relabelRegex(rule);
    assert.ok(re.test('cd'));
    assert.ok(!re.test('abcd'));
    assert.equal(relabelRegex(rule), re, 'compiled once per rule');
  });
});
