/**
 * Property tests of the config loader: damaged and random YAML ends in a config or in a
 * `ConfigLoadError` whose every error names a line and column.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigLoadError, parseConfig } from '../../core/config/mod.ts';
import { mutatedText, onlyThrows, params } from './fuzz_helpers.ts';

const REALISTIC = `global:
  scrape_interval: 15s
  evaluation_interval: 30s
  scrape_timeout: 10s
  external_labels:
    region: eu-west
    replica: "1"
rule_files:
  - rules/*.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['alertmanager:9093']
remote_write:
  - url: http://receiver:9201/api/v1/write
    queue_config:
      max_samples_per_send: 500
    write_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_.*'
        action: drop
scrape_configs:
  - job_name: beacon
    static_configs:
      - targets: ['localhost:9090']
        labels:
          team: infra
  - job_name: node
    scrape_interval: 5s
    metrics_path: /metrics
    scheme: https
    basic_auth:
      username: scraper
      password: hunter2
    tls_config:
      insecure_skip_verify: true
    file_sd_configs:
      - files: ['targets/*.json']
        refresh_interval: 1m
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):9100'
        target_label: host
        replacement: '\${1}'
      - action: labeldrop
        regex: 'tmp_.*'
    metric_relabel_configs:
      - source_labels: [__name__, job]
        separator: ';'
        regex: 'node_(.+);node'
        action: keep
    sample_limit: 1000
`;

function clean(text: string): void {
  const e = onlyThrows(() => parseConfig(text, 'fuzz.yml'), ConfigLoadError) as
    | ConfigLoadError
    | undefined;
  if (!e) return;
  assert.ok(e.errors.length >= 1, 'a ConfigLoadError without errors');
  for (const err of e.errors) {
    assert.ok(
      Number.isInteger(err.line) && err.line >= 1 && Number.isInteger(err.column) &&
        err.column >= 1,
      `bad position in ${err}`,
    );
    assert.equal(err.file, 'fuzz.yml');
  }
}

const yamlChunk = fc.oneof(
  fc.constantFrom(
    ':',
    ': ',
    '- ',
    '\n',
    '\n  ',
    '  ',
    '"',
    "'",
    '{',
    '}',
    '[',
    ']',
    ',',
    '#',
    '&a ',
    '*a',
    '!!str ',
    '!!binary ',
    '<<: *a',
    '|',
    '>-',
    '~',
    'null',
    'true',
    '10s',
    '-1',
    '1e309',
    '0x1F',
    '5MB',
    '%YAML 1.2\n---\n',
    '---\n',
    '...\n',
    '\t',
    'job_name: x',
    'scrape_configs:',
    'regex: (',
    '${X}',
    '\u0000',
    '\ufeff',
  ),
  fc.string({ maxLength: 5 }),
);

/** Loose YAML: nested maps and lists of config-ish keys and scalars. */
const randomYaml = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('15s', '1m', 'x', '', 'http://a', 'localhost:9090', '(.*)', 'keep', 'drop'),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'global',
        'scrape_configs',
        'job_name',
        'static_configs',
        'targets',
        'labels',
        'scrape_interval',
        'scrape_timeout',
        'relabel_configs',
        'action',
        'regex',
        'source_labels',
        'external_labels',
        'remote_write',
        'url',
        'alerting',
        'rule_files',
        'basic_auth',
        'tls_config',
        'storage',
        'plugins',
        'x',
      ),
      tie('node'),
      { maxKeys: 4 },
    ),
  ),
})).node.map((n) => toYaml(n, 0));

function toYaml(n: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(n)) {
    if (n.length === 0) return '[]';
    return n.map((x) => `\n${pad}- ${toYaml(x, indent + 2).trimStart()}`).join('');
  }
  if (n !== null && typeof n === 'object') {
    const entries = Object.entries(n);
    if (entries.length === 0) return '{}';
    return entries.map(([k, v]) => `\n${pad}${k}: ${toYaml(v, indent + 2)}`).join('');
  }
  return typeof n === 'string' ? JSON.stringify(n) : String(n);
}

/** Layers of anchors, each a list aliasing the previous layer `fanout` times. */
const aliasLayers = fc.tuple(
  fc.integer({ min: 1, max: 9 }),
  fc.integer({ min: 1, max: 9 }),
  fc.constantFrom('global', 'x', 'scrape_configs'),
).map(([layers, fanout, top]) => {
  let out = `l0: &l0 [{job_name: a, static_configs: [{targets: ['h:1']}]}]\n`;
  for (let i = 1; i <= layers; i++) {
    out += `l${i}: &l${i} [${Array(fanout).fill(`*l${i - 1}`).join(', ')}]\n`;
  }
  return `${out}${top}: *l${layers}\n`;
});

describe('config loader (fuzz)', () => {
  test('an alias bomb is refused, not expanded', () => {
    const layers = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const n of 'bcdefgh') {
      const prev = String.fromCharCode(n.charCodeAt(0) - 1);
      layers.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    assert.throws(
      () => parseConfig(layers.join('\n') + '\n', 'fuzz.yml'),
      (e) => e instanceof ConfigLoadError && /excessive aliasing/.test(e.message),
    );
  });

  test('nested aliases', () => {
    // Each run may expand up to the loader's alias budget (~0.1 s), so the count stays small.
    const p = params(20);
    fc.assert(fc.property(aliasLayers, clean), { ...p, numRuns: Math.min(p.numRuns!, 60) });
  });

  test('the realistic config loads', () => {
    assert.equal(parseConfig(REALISTIC, 'fuzz.yml').scrape_configs.length, 2);
  });

  test('mutated realistic configs', () => {
    fc.assert(fc.property(mutatedText(REALISTIC, yamlChunk), clean), params(2));
  });

  test('random config-shaped YAML', () => {
    fc.assert(fc.property(randomYaml, clean), params(2));
  });

  test('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), clean), params(2));
  });
});
