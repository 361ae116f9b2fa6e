// Rule-file validation on crafted files: each rule of Prometheus's format, with the file,
// line, column and key path of every error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuleFile, type RuleFileOptions } from '../../../core/rules/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';

const opts: RuleFileOptions = { parseExpr: (t) => parseExpr(t) };

function errorsOf(text: string, extra: Partial<RuleFileOptions> = {}): string[] {
  return parseRuleFile(text, 'rules.yml', { ...opts, ...extra }).errors.map((e) => e.toString());
}

describe('parseRuleFile', () => {
  test('reads groups and rules with their fields and positions', () => {
    const r = parseRuleFile(
      `groups:
  - name: g
    interval: 30s
    query_offset: 1m
    limit: 10
    labels: { team: a }
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: { tier: "1" }
      - alert: Down
        expr: up == 0
        for: 5m
        keep_firing_for: 1m
        labels: { severity: page }
        annotations: { summary: "{{ $labels.instance }} is down ({{ $value }})" }
  - name: h
    interval: 0
    rules: []
`,
      'rules.yml',
      opts,
    );
    assert.deepEqual(r.errors, []);
    const [g, h] = r.groups;
    assert.equal(g.name, 'g');
    assert.equal(g.file, 'rules.yml');
    assert.equal(g.interval?.ms, 30_000);
    assert.equal(g.query_offset?.ms, 60_000);
    assert.equal(g.limit, 10);
    assert.deepEqual(g.labels, { team: 'a' });
    assert.deepEqual(g.position, { line: 2, column: 5 });
    const [rec, alert] = g.rules;
    assert.equal(rec.kind, 'recording');
    assert.ok(rec.kind === 'recording' && rec.record === 'job:up:sum');
    assert.deepEqual(rec.labels, { tier: '1' });
    assert.deepEqual(rec.position, { line: 8, column: 9 });
    assert.ok(alert.kind === 'alerting');
    assert.equal(alert.alert, 'Down');
    assert.equal(alert.expr, 'up == 0');
    assert.equal(alert.for.ms, 300_000);
    assert.equal(alert.keep_firing_for.ms, 60_000);
    assert.deepEqual(alert.annotations, {
      summary: '{{ $labels.instance }} is down ({{ $value }})',
    });
    // interval 0 and absent query_offset mean "use the global setting".
    assert.equal(h.interval, undefined);
    assert.equal(h.query_offset, undefined);
    assert.equal(h.limit, 0);
  });

  test('expression parse errors name the expr position and carry PromQL’s message', () => {
    const text = `groups:
  - name: g
    rules:
      - record: a
        expr: up
      - record: b
        expr: sum(rate(x[5m])
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:7:15: groups[0].rules[1].expr: 1:16: parse error: unclosed left parenthesis',
    ]);
  });

  test('duplicate group names, empty group names', () => {
    const text = `groups:
  - name: g
    rules: []
  - name: g
    rules: []
  - rules: []
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:4:11: groups[1].name: groupname: "g" is repeated in the same file',
      'rules.yml:6:5: groups[2]: Groupname must not be empty',
    ]);
  });

  test('unknown keys at every level', () => {
    const text = `groups:
  - name: g
    owner: x
    rules:
      - record: a
        expr: up
        desc: y
nope: 1
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:8:1: nope: field nope not found in type rulefmt.RuleGroups',
      'rules.yml:3:5: groups[0].owner: field owner not found in type rulefmt.RuleGroup',
      'rules.yml:7:9: groups[0].rules[0].desc: field desc not found in type rulefmt.Rule',
    ]);
    assert.deepEqual(errorsOf(text, { ignoreUnknownFields: true }), []);
  });

  test('record and alert are exclusive, one is required, expr is required', () => {
    const text = `groups:
  - name: g
    rules:
      - record: a
        alert: A
        expr: up
      - expr: up
      - record: b
`;
    assert.deepEqual(errorsOf(text), [
      "rules.yml:4:17: groups[0].rules[0].record: only one of 'record' and 'alert' must be set",
      "rules.yml:7:9: groups[0].rules[1]: one of 'record' or 'alert' must be set",
      "rules.yml:8:9: groups[0].rules[2].expr: field 'expr' must be set in rule",
    ]);
  });

  test('for, keep_firing_for and annotations are not allowed on recording rules', () => {
    const text = `groups:
  - name: g
    rules:
      - record: a
        expr: up
        for: 1m
        keep_firing_for: 2m
        annotations: { x: y }
`;
    assert.deepEqual(errorsOf(text), [
      "rules.yml:4:17: groups[0].rules[0].record: invalid field 'annotations' in recording rule",
      "rules.yml:4:17: groups[0].rules[0].record: invalid field 'for' in recording rule",
      "rules.yml:4:17: groups[0].rules[0].record: invalid field 'keep_firing_for' in recording rule",
    ]);
    // Zero durations are the same as absent ones.
    assert.deepEqual(
      errorsOf('groups: [{name: g, rules: [{record: a, expr: up, for: 0s}]}]'),
      [],
    );
  });

  test('recording rule names: valid metric names without braces', () => {
    const text = `groups:
  - name: g
    rules:
      - record: 'up{job="x"}'
        expr: up
      - record: 'with.dots and spaces'
        expr: up
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:4:17: groups[0].rules[0].record: braces present in the recording rule name; ' +
      'should it be in expr?: up{job="x"}',
    ]);
    assert.deepEqual(errorsOf(text, { nameValidation: 'legacy' }), [
      'rules.yml:4:17: groups[0].rules[0].record: invalid recording rule name: up{job="x"}',
      'rules.yml:4:17: groups[0].rules[0].record: braces present in the recording rule name; ' +
      'should it be in expr?: up{job="x"}',
      'rules.yml:6:17: groups[0].rules[1].record: invalid recording rule name: ' +
      'with.dots and spaces',
    ]);
  });

  test('label and annotation names', () => {
    const text = `groups:
  - name: g
    labels: { __name__: x, "a-b": y }
    rules:
      - alert: A
        expr: up
        labels: { __name__: x, "1x": z }
        annotations: { "not valid": v }
`;
    // UTF-8 names are valid in Prometheus 3 except __name__.
    assert.deepEqual(errorsOf(text), [
      'rules.yml:3:15: groups[0].labels.__name__: invalid label name: __name__',
      'rules.yml:7:19: groups[0].rules[0].labels.__name__: invalid label name: __name__',
    ]);
    assert.deepEqual(errorsOf(text, { nameValidation: 'legacy' }), [
      'rules.yml:3:15: groups[0].labels.__name__: invalid label name: __name__',
      'rules.yml:3:28: groups[0].labels["a-b"]: invalid label name: a-b',
      'rules.yml:7:19: groups[0].rules[0].labels.__name__: invalid label name: __name__',
      'rules.yml:7:32: groups[0].rules[0].labels["1x"]: invalid label name: 1x',
      'rules.yml:8:24: groups[0].rules[0].annotations["not valid"]: ' +
      'invalid annotation name: not valid',
    ]);
  });

  test('an alertname label draws a warning, not an error', () => {
    const r = parseRuleFile(
      'groups: [{name: g, rules: [{alert: A, expr: up, labels: {alertname: B}}]}]',
      'r.yml',
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.equal(r.warnings.length, 1);
    assert.match(
      r.warnings[0].toString(),
      /^r\.yml:1:\d+: groups\[0\]\.rules\[0\]\.labels\.alertname: /,
    );
  });

  test('templates are checked on alerting rules only, with the injected checker', () => {
    const text = `groups:
  - name: g
    rules:
      - alert: A
        expr: up
        labels: { who: "{{ $labels.job }" }
        annotations: { s: "{{ $lables.job }}" }
      - record: r
        expr: up
        labels: { who: "{{ $nope }}" }
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:6:24: groups[0].rules[0].labels.who: label "who": template: __alert_A:1: ' +
      'unexpected "}" in operand',
      'rules.yml:7:27: groups[0].rules[0].annotations.s: annotation "s": template: __alert_A:1: ' +
      'undefined variable "$lables"',
    ]);
    assert.deepEqual(errorsOf(text, { checkTemplate: false }), []);
    const seen: [string, string][] = [];
    const checkTemplate = (t: string, name: string) => {
      seen.push([t, name]);
      if (t.includes('$lables')) throw { message: 'custom' };
    };
    assert.deepEqual(errorsOf(text, { checkTemplate }), [
      'rules.yml:7:27: groups[0].rules[0].annotations.s: annotation "s": custom',
    ]);
    assert.equal(seen.length, 2);
    assert.equal(seen[0][1], '__alert_A');
    assert.ok(seen[0][0].startsWith('{{$labels := .Labels}}'));
    assert.ok(seen[0][0].endsWith('{{ $labels.job }'));
  });

  test('type errors: durations, limit, lists and mappings', () => {
    const text = `groups:
  - name: g
    interval: 5
    limit: many
    labels: [a]
    rules:
      - alert: A
        expr: up
        for: 1x
  - name: h
    rules: { a: 1 }
  - just a string
`;
    assert.deepEqual(errorsOf(text), [
      'rules.yml:3:15: groups[0].interval: not a valid duration string: "5"',
      'rules.yml:4:12: groups[0].limit: cannot unmarshal string "many" into an integer',
      'rules.yml:5:13: groups[0].labels: expected a mapping, got a list',
      'rules.yml:9:14: groups[0].rules[0].for: not a valid duration string: "1x"',
      'rules.yml:11:12: groups[1].rules: expected a list of rules, got a mapping',
      'rules.yml:12:5: groups[2]: expected a mapping for a rule group, got string "just a string"',
    ]);
  });

  test('YAML scalars in string fields are taken as their text', () => {
    const r = parseRuleFile(
      'groups: [{name: 1, rules: [{record: a, expr: 1, labels: {n: 2, b: true}}]}]',
      'r.yml',
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.equal(r.groups[0].name, '1');
    assert.equal(r.groups[0].rules[0].expr, '1');
    assert.deepEqual(r.groups[0].rules[0].labels, { n: '2', b: 'true' });
  });

  test('YAML syntax errors and duplicate keys have positions', () => {
    assert.match(errorsOf('groups:\n  - name: "g\n')[0], /^rules\.yml:\d+:\d+: yaml: /);
    assert.deepEqual(errorsOf('groups:\n  - name: g\n    name: h\n    rules: []\n'), [
      'rules.yml:3:5: groups[0].name: field name already set in this mapping',
    ]);
  });

  test('empty files and files of comments have no groups and no errors', () => {
    assert.deepEqual(errorsOf(''), []);
    assert.deepEqual(errorsOf('# nothing\n'), []);
    assert.deepEqual(errorsOf('groups:\n'), []);
  });

  test('every error is collected, not just the first', () => {
    const text = `groups:
  - name: a
    rules:
      - record: x
        expr: '1 +'
  - name: b
    rules:
      - alert: Y
        expr: 'rate(x)'
`;
    const errs = errorsOf(text);
    assert.equal(errs.length, 2);
    assert.match(errs[0], /^rules\.yml:5:15: groups\[0\]\.rules\[0\]\.expr: /);
    assert.match(
      errs[1],
      /^rules\.yml:9:15: groups\[1\]\.rules\[0\]\.expr: .*expected type range vector/,
    );
  });
});

describe('multi-document files', () => {
  test('only the first document is read, with a warning, as Prometheus does', () => {
    const r = parseRuleFile(
      'groups: [{name: a, rules: []}]\n---\ngroups: [{name: b, nope: 1}]\n',
      'm.yml',
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.groups.map((g) => g.name), ['a']);
    assert.match(r.warnings[0].message, /only the first document is processed/);
  });

  test('a syntax error in the first document is still an error', () => {
    const r = parseRuleFile('groups: [\n---\ngroups: []\n', 'm.yml', opts);
    assert.ok(r.errors.length > 0);
  });
});
