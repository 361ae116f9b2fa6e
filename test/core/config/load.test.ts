import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import {
  ConfigError,
  ConfigLoadError,
  DEFAULT_STORAGE_ENGINE,
  loadConfig,
  parseConfig,
  validateBlock,
} from '../../../core/config/mod.ts';
import { memoryConfigFS } from './fs_helper.ts';

function errorsOf(text: string, file = 'beacon.yml'): string[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    assert.ok(e instanceof ConfigLoadError, String(e));
    return e.errors.map(String);
  }
  assert.fail('config was accepted');
}

describe('parseConfig errors', () => {
  test('every error is reported, each with file, line, column and key path', () => {
    const text = [
      'global:',
      '  scrape_interval: 15s',
      '  bogus: 1',
      'scrape_configs:',
      '  - job_name: a',
      '    scrape_interval: 10x',
      '    relabel_configs:',
      '      - action: hashmod',
      '        target_label: t',
      'remote_write:',
      '  - name: x',
      'unknown_top: true',
      '',
    ].join('\n');
    assert.deepEqual(errorsOf(text), [
      'beacon.yml:3:3: global.bogus: field bogus not found in type global_config',
      'beacon.yml:6:22: scrape_configs[0].scrape_interval: invalid duration "10x"',
      'beacon.yml:8:9: scrape_configs[0].relabel_configs[0].modulus: relabel configuration for hashmod requires non-zero modulus',
      'beacon.yml:11:5: remote_write[0]: url for remote_write is empty',
      'beacon.yml:12:1: unknown_top: field unknown_top not found in type config',
    ]);
  });

  test('ConfigError carries its parts and prints file:line:col: path: message', () => {
    try {
      parseConfig('global:\n  scrape_timeout: 5x\n', 'x.yml');
      assert.fail('accepted');
    } catch (e) {
      const err = (e as ConfigLoadError).errors[0];
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(
        { file: err.file, line: err.line, column: err.column, path: err.path },
        { file: 'x.yml', line: 2, column: 19, path: 'global.scrape_timeout' },
      );
      assert.equal(err.message, 'invalid duration "5x"');
      assert.equal(
        (e as Error).message,
        'x.yml:2:19: global.scrape_timeout: invalid duration "5x"',
      );
    }
  });

  test('one bad job does not hide the errors of the others', () => {
    const text =
      'scrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_timeout: 2m\n  - job_name: a\n';
    assert.deepEqual(errorsOf(text), [
      'beacon.yml:4:21: scrape_configs[1].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "b"',
      'beacon.yml:5:15: scrape_configs[2].job_name: found multiple scrape configs with job name "a"',
    ]);
  });

  test('a timeout above the interval inherited from global is an error', () => {
    const text =
      'global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n    scrape_timeout: 6s\n';
    assert.deepEqual(errorsOf(text), [
      'beacon.yml:5:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "a"',
    ]);
  });

  test('YAML syntax errors have positions', () => {
    const [err] = errorsOf('global:\n  scrape_interval: [1\n');
    assert.match(err, /^beacon\.yml:3:1: yaml: /);
  });

  test('duplicate keys are reported at the second key', () => {
    assert.deepEqual(errorsOf('rule_files: []\nrule_files: []\n'), [
      'beacon.yml:2:1: rule_files: field rule_files already set in this mapping',
    ]);
  });

  test('!!binary keys with invalid UTF-8 print like Go', () => {
    assert.deepEqual(errorsOf('global:\n  external_labels:\n    !!binary "/w==": v\n'), [
      'beacon.yml:3:14: global.external_labels["\\xff"]: "\\xff" is not a valid label name',
    ]);
  });

  test('a document that is not a mapping', () => {
    assert.deepEqual(errorsOf('- a\n'), ['beacon.yml:1:1: the config must be a mapping']);
  });

  test('null list items use Prometheus wording', () => {
    assert.deepEqual(errorsOf('scrape_configs:\n  -\n'), [
      'beacon.yml:2:4: scrape_configs[0]: empty or null scrape config section',
    ]);
  });
});

describe('parseConfig defaults', () => {
  test('an empty file gives the Prometheus defaults', () => {
    const c = parseConfig('', '/etc/beacon/beacon.yml');
    assert.equal(c.global.scrape_interval.toString(), '1m');
    assert.equal(c.global.scrape_timeout.toString(), '10s');
    assert.equal(c.global.evaluation_interval.toString(), '1m');
    assert.equal(c.global.metric_name_validation_scheme, 'utf8');
    assert.deepEqual(c.scrape_configs, []);
    assert.equal(c.storage.engine, DEFAULT_STORAGE_ENGINE);
    assert.equal(c.storage.exemplars.max_exemplars, 100000);
    assert.deepEqual(c.plugins, []);
    assert.equal(c.otlp.translation_strategy, 'UnderscoreEscapingWithSuffixes');
    assert.equal(c.tracing, undefined);
  });

  test('a job inherits from global; timeout is min(global timeout, interval)', () => {
    const c = parseConfig(
      'global:\n  scrape_interval: 5s\n  sample_limit: 7\nscrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 1m\n',
      'b.yml',
    );
    const [a, b] = c.scrape_configs;
    assert.equal(a.scrape_interval.ms, 5000);
    assert.equal(a.scrape_timeout.ms, 5000);
    assert.equal(b.scrape_timeout.ms, 5000, 'the global timeout was already capped at 5s');
    const d = parseConfig('scrape_configs:\n  - job_name: a\n    scrape_interval: 3s\n', 'b.yml');
    assert.equal(d.scrape_configs[0].scrape_timeout.ms, 3000);
    assert.equal(a.sample_limit, 7);
    assert.equal(a.metrics_path, '/metrics');
    assert.equal(a.scheme, 'http');
    assert.equal(a.honor_timestamps, true);
    assert.equal(a.enable_compression, true);
    assert.deepEqual(a.scrape_protocols, [
      'OpenMetricsText1.0.0',
      'OpenMetricsText0.0.1',
      'PrometheusText1.0.0',
      'PrometheusText0.0.4',
    ]);
  });

  test('YAML 1.1 booleans and numeric strings are read as Prometheus reads them', () => {
    const c = parseConfig(
      'scrape_configs:\n  - job_name: 0123\n    honor_labels: yes\n    enable_compression: Off\n',
      'b.yml',
    );
    assert.equal(c.scrape_configs[0].honor_labels, true);
    assert.equal(c.scrape_configs[0].enable_compression, false);
    assert.equal(typeof c.scrape_configs[0].job_name, 'string');
  });

  test('anchors and merge keys work', () => {
    const c = parseConfig(
      'scrape_configs:\n  - &j\n    job_name: a\n    scrape_interval: 30s\n  - <<: *j\n    job_name: b\n',
      'b.yml',
    );
    assert.deepEqual(c.scrape_configs.map((j) => `${j.job_name} ${j.scrape_interval}`), [
      'a 30s',
      'b 30s',
    ]);
  });

  test('native histograms put protobuf first', () => {
    const c = parseConfig(
      'scrape_configs:\n  - job_name: a\n    scrape_native_histograms: true\n',
      'b.yml',
    );
    assert.equal(c.scrape_configs[0].scrape_protocols[0], 'PrometheusProto');
  });

  test('relabel defaults', () => {
    const c = parseConfig(
      'scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - target_label: x\n      - regex:\n        target_label: y\n',
      'b.yml',
    );
    const [r0, r1] = c.scrape_configs[0].relabel_configs;
    assert.deepEqual(r0, {
      separator: ';',
      regex: '(.*)',
      modulus: 0,
      target_label: 'x',
      replacement: '$1',
      action: 'replace',
    });
    assert.equal(r1.regex, '', 'a null regex is the empty regex, as in Prometheus');
  });

  test('alerting, remote write and remote read defaults', () => {
    const c = parseConfig(
      'alerting:\n  alertmanagers:\n    - static_configs: [{targets: ["a:9093"]}]\nremote_write:\n  - url: http://r/w\nremote_read:\n  - url: http://r/r\n',
      'b.yml',
    );
    const am = c.alerting.alertmanagers[0];
    assert.equal(am.timeout.toString(), '10s');
    assert.equal(am.api_version, 'v2');
    assert.equal(am.scheme, 'http');
    const rw = c.remote_write[0];
    assert.equal(rw.remote_timeout.toString(), '30s');
    assert.equal(rw.queue_config.capacity, 10000);
    assert.equal(rw.queue_config.max_shards, 50);
    assert.equal(rw.queue_config.min_backoff.toString(), '30ms');
    assert.equal(rw.metadata_config.send_interval.toString(), '1m');
    assert.equal(rw.protobuf_message, 'prometheus.WriteRequest');
    assert.equal(rw.enable_http2, false);
    assert.equal(c.remote_read[0].remote_timeout.toString(), '1m');
    assert.equal(c.remote_read[0].filter_external_labels, true);
  });

  test('rule_files and file paths become absolute against the config directory', () => {
    const c = parseConfig(
      'rule_files: [a.rules, "r/*.rules", /abs/x.rules]\nglobal:\n  query_log_file: q.log\n',
      '/etc/beacon/beacon.yml',
    );
    assert.deepEqual(c.rule_files, [
      '/etc/beacon/a.rules',
      '/etc/beacon/r/*.rules',
      '/abs/x.rules',
    ]);
    assert.equal(c.global.query_log_file, '/etc/beacon/q.log');
  });

  test('a rule file glob may only be in the last segment', () => {
    assert.deepEqual(errorsOf('rule_files: ["a/*/b"]\n'), [
      'beacon.yml:1:14: rule_files[0]: invalid rule file path "a/*/b"',
    ]);
  });
});

describe('external_labels', () => {
  test('expand environment variables as Prometheus does', () => {
    const text =
      'global:\n  external_labels:\n    bar: foo\n    foo: ${TEST}\n    baz: foo${TEST}bar\n    qux: foo$${TEST}\n    xyz: foo$$bar\n';
    const env = (name: string) => (name === 'TEST' ? 'TestValue' : undefined);
    assert.deepEqual(parseConfig(text, 'b.yml', { env }).global.external_labels, {
      bar: 'foo',
      foo: 'TestValue',
      baz: 'fooTestValuebar',
      qux: 'foo${TEST}',
      xyz: 'foo$bar',
    });
    assert.equal(parseConfig(text, 'b.yml').global.external_labels.foo, '', 'unset → empty');
  });
});

describe('Beacon keys', () => {
  test('plugins and storage.engine', () => {
    const c = parseConfig(
      'storage:\n  engine: memory\nplugins:\n  - use: slack\n    config:\n      channel: "#ops"\n  - use: npm:beacon-plugin-x\n',
      'b.yml',
    );
    assert.equal(c.storage.engine, 'memory');
    assert.deepEqual(c.plugins, [
      { use: 'slack', config: { channel: '#ops' } },
      { use: 'npm:beacon-plugin-x' },
    ]);
  });

  test('plugin entries are checked', () => {
    assert.deepEqual(errorsOf('plugins:\n  - {}\n  -\n  - use: x\n    extra: 1\n'), [
      'beacon.yml:2:5: plugins[0].use: missing required field use',
      'beacon.yml:3:4: plugins[1]: empty or null plugin entry',
      'beacon.yml:5:5: plugins[2].extra: field extra not found in type plugin',
    ]);
  });

  test('validateBlock checks a sub-node with the same error form', () => {
    const c = parseConfig('plugins:\n  - use: slack\n    config:\n      channel: 5\n', 'b.yml');
    const schema = v.strictObject({ channel: v.string('channel must be a string') });
    try {
      validateBlock(schema, c.source!, ['plugins', 0, 'config']);
      assert.fail('accepted');
    } catch (e) {
      assert.deepEqual((e as ConfigLoadError).errors.map(String), [
        'b.yml:4:16: plugins[0].config.channel: channel must be a string',
      ]);
    }
    const ok = parseConfig('plugins:\n  - use: slack\n    config:\n      channel: x\n', 'b.yml');
    assert.deepEqual(validateBlock(schema, ok.source!, ['plugins', 0, 'config']), { channel: 'x' });
  });

  test('source positions are available and not enumerable', () => {
    const c = parseConfig('global:\n  scrape_interval: 1m\n', 'b.yml');
    assert.deepEqual(c.source!.positionOf(['global', 'scrape_interval']), { line: 2, column: 20 });
    assert.deepEqual(c.source!.positionOf(['global', 'scrape_interval'], true), {
      line: 2,
      column: 3,
    });
    assert.ok(!Object.keys(c).includes('source'));
  });
});

describe('loadConfig with scrape_config_files', () => {
  const main = 'scrape_config_files:\n  - jobs/*.yml\nscrape_configs:\n  - job_name: main\n';

  test('merges the jobs of matching files, resolved against global', async () => {
    const fs = memoryConfigFS({
      '/c/beacon.yml': 'global:\n  scrape_interval: 7s\n' + main,
      '/c/jobs/a.yml': 'scrape_configs:\n  - job_name: a\n    tls_config:\n      ca_file: ca.pem\n',
      '/c/jobs/b.yml': 'scrape_configs:\n  - job_name: b\n',
      '/c/jobs/c.txt': 'not yaml: [',
    });
    const c = await loadConfig('/c/beacon.yml', fs);
    assert.deepEqual(c.scrape_configs.map((j) => j.job_name), ['main', 'a', 'b']);
    assert.equal(c.scrape_configs[1].scrape_interval.ms, 7000);
    assert.equal(c.scrape_configs[1].tls_config?.ca_file, '/c/jobs/ca.pem');
    assert.deepEqual(c.scrape_config_files, ['/c/jobs/*.yml']);
  });

  test('duplicate job names across files and errors inside included files', async () => {
    const fs = memoryConfigFS({
      '/c/beacon.yml': main,
      '/c/jobs/a.yml': 'scrape_configs:\n  - job_name: main\n',
      '/c/jobs/b.yml': 'scrape_configs:\n  - job_name: b\n    scrape_interval: 1x\nglobal: {}\n',
    });
    await assert.rejects(loadConfig('/c/beacon.yml', fs), (e: ConfigLoadError) => {
      assert.deepEqual(e.errors.map(String), [
        '/c/jobs/a.yml:2:15: scrape_configs[0].job_name: found multiple scrape configs with job name "main", first found in main config file',
        '/c/jobs/b.yml:3:22: scrape_configs[0].scrape_interval: invalid duration "1x"',
        '/c/jobs/b.yml:4:1: global: field global not found in type scrape_configs_file',
      ]);
      return true;
    });
  });
});
