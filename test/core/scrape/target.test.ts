import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duration, type RelabelConfig } from '../../../core/config/mod.ts';
import { Labels } from '../../../core/model/mod.ts';
import {
  populateLabels,
  Target,
  type TargetConfig,
  targetsFromGroup,
} from '../../../core/scrape/mod.ts';

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

function cfg(over: Partial<TargetConfig> = {}): TargetConfig {
  return {
    job_name: 'job',
    scrape_interval: new Duration(60_000),
    scrape_timeout: new Duration(10_000),
    metrics_path: '/metrics',
    scheme: 'http',
    params: undefined,
    relabel_configs: [],
    ...over,
  };
}

interface Case {
  name: string;
  target: Record<string, string>;
  group?: Record<string, string>;
  cfg?: Partial<TargetConfig>;
  /** Labels after relabelling (all, `__` ones included), or 'dropped', or an error. */
  want: Record<string, string> | 'dropped' | { error: string };
  discovered?: Record<string, string>;
}

const base = {
  __metrics_path__: '/metrics',
  __scheme__: 'http',
  __scrape_interval__: '1m',
  __scrape_timeout__: '10s',
  job: 'job',
};

const cases: Case[] = [
  {
    name: 'defaults are filled and instance defaults to the address',
    target: { __address__: '1.2.3.4:1000' },
    want: { ...base, __address__: '1.2.3.4:1000', instance: '1.2.3.4:1000' },
    discovered: { ...base, __address__: '1.2.3.4:1000' },
  },
  {
    name: 'target labels override group labels and the job defaults',
    target: { __address__: 'a:1', __scheme__: 'https', job: 'custom', custom: 'x' },
    group: { custom: 'group', env: 'prod' },
    want: {
      ...base,
      __address__: 'a:1',
      __scheme__: 'https',
      job: 'custom',
      custom: 'x',
      env: 'prod',
      instance: 'a:1',
    },
  },
  {
    name: 'an explicit instance is kept',
    target: { __address__: 'a:1', instance: 'mine' },
    want: { ...base, __address__: 'a:1', instance: 'mine' },
  },
  {
    name: '__meta_ labels go after relabelling, other __ labels stay',
    target: { __address__: 'a:1', __meta_x: 'm', __tmp_y: 't' },
    cfg: {
      relabel_configs: [rule({ source_labels: ['__meta_x'], target_label: 'from_meta' })],
    },
    want: { ...base, __address__: 'a:1', __tmp_y: 't', from_meta: 'm', instance: 'a:1' },
  },
  {
    name: 'params become __param_ labels (first value)',
    target: { __address__: 'a:1' },
    cfg: { params: { module: ['icmp', 'tcp'] } },
    want: { ...base, __address__: 'a:1', __param_module: 'icmp', instance: 'a:1' },
  },
  {
    name: 'a target __param_ label wins over the config param',
    target: { __address__: 'a:1', __param_module: 'http' },
    cfg: { params: { module: ['icmp'] } },
    want: { ...base, __address__: 'a:1', __param_module: 'http', instance: 'a:1' },
  },
  {
    name: 'dropped by relabelling',
    target: { __address__: 'a:1' },
    cfg: {
      relabel_configs: [rule({ source_labels: ['__address__'], regex: 'b.*', action: 'keep' })],
    },
    want: 'dropped',
  },
  {
    name: 'an address removed by relabelling is an error',
    target: { __address__: 'a:1' },
    cfg: { relabel_configs: [rule({ regex: '__address__', action: 'labeldrop' })] },
    want: { error: 'no address' },
  },
  {
    name: 'a URL as address is an error',
    target: { __address__: 'http://a:1/x' },
    want: { error: '"http://a:1/x" is not a valid hostname' },
  },
  {
    name: 'interval from a label',
    target: { __address__: 'a:1', __scrape_interval__: '2m' },
    want: { ...base, __address__: 'a:1', __scrape_interval__: '2m', instance: 'a:1' },
  },
  {
    name: 'zero interval is an error',
    target: { __address__: 'a:1', __scrape_interval__: '0s' },
    want: { error: 'scrape interval cannot be 0' },
  },
  {
    name: 'bad timeout is an error',
    target: { __address__: 'a:1', __scrape_timeout__: 'soon' },
    want: { error: 'error parsing scrape timeout: not a valid duration string: "soon"' },
  },
  {
    name: 'timeout above interval is an error',
    target: { __address__: 'a:1', __scrape_timeout__: '2m' },
    want: { error: 'scrape timeout cannot be greater than scrape interval ("2m" > "1m")' },
  },
  {
    name: 'relabelling that sets the address and instance',
    target: { __address__: 'a:1', __meta_port: '9100' },
    cfg: {
      relabel_configs: [
        rule({
          source_labels: ['__address__', '__meta_port'],
          regex: '([^:]+):\\d+;(\\d+)',
          target_label: '__address__',
          replacement: '$1:$2',
        }),
      ],
    },
    want: { ...base, __address__: 'a:9100', instance: 'a:9100' },
  },
];

describe('populateLabels', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = populateLabels(c.target, c.group ?? {}, cfg(c.cfg));
      if (c.want === 'dropped') assert.equal(r.kind, 'dropped');
      else if ('error' in c.want) {
        assert.equal(r.kind, 'error');
        assert.equal((r as { error: string }).error, c.want.error);
      } else {
        assert.equal(r.kind, 'target');
        assert.deepEqual(
          (r as { labels: Labels }).labels.toRecord(),
          Labels.from(c.want).toRecord(),
        );
      }
      if (c.discovered) {
        assert.deepEqual(r.discovered.toRecord(), Labels.from(c.discovered).toRecord());
      }
    });
  }
});

describe('targetsFromGroup', () => {
  test('splits targets into active, dropped and failed', () => {
    const r = targetsFromGroup(
      {
        source: 'g',
        labels: { env: 'a' },
        targets: [{ __address__: 'keep:1' }, { __address__: 'drop:1' }, { __address__: 'x/y' }],
      },
      cfg({
        relabel_configs: [
          rule({ source_labels: ['__address__'], regex: 'drop.*', action: 'drop' }),
        ],
      }),
    );
    assert.equal(r.targets.length, 1);
    assert.equal(r.dropped.length, 1);
    assert.equal(r.dropped[0].discoveredLabels.get('__address__'), 'drop:1');
    assert.deepEqual(r.errors, ['instance 2 in group g: "x/y" is not a valid hostname']);
    assert.deepEqual(r.targets[0].publicLabels().toRecord(), {
      env: 'a',
      instance: 'keep:1',
      job: 'job',
    });
  });
});

describe('Target', () => {
  const make = (labels: Record<string, string>, params?: Record<string, string[]>) =>
    new Target(Labels.from({ ...base, ...labels }), Labels.EMPTY, params);

  test('url: scheme, address, path and sorted, escaped params', () => {
    const t = make({ __address__: 'h:9', __param_b: 'x y', __param_a: 'é&' }, {
      b: ['1', '2'],
      c: ['3'],
    });
    assert.equal(t.url(), 'http://h:9/metrics?a=%C3%A9%26&b=x+y&b=2&c=3');
  });

  test('url: a path without a leading slash gets one', () => {
    assert.equal(make({ __address__: 'h:9', __metrics_path__: 'probe' }).url(), 'http://h:9/probe');
  });

  test('offset is stable, within the interval, and depends on the seed', () => {
    const t = make({ __address__: 'h:9' });
    const a = t.offset(15_000, 'seed', 1_000_000);
    assert.equal(t.offset(15_000, 'seed', 1_000_000), a);
    assert.ok(a >= 0 && a <= 15_000);
    // Pinned to absolute time: an offset computed later points at the same phase.
    const b = t.offset(15_000, 'seed', 1_000_000 + 4_000);
    assert.equal((1_000_000 + a) % 15_000, (1_004_000 + b) % 15_000);
    const phases = new Set(
      ['s1', 's2', 's3', 's4'].map((s) => (1_000_000 + t.offset(15_000, s, 1_000_000)) % 15_000),
    );
    assert.ok(phases.size > 1);
  });

  test('hash differs by labels and URL', () => {
    assert.notEqual(make({ __address__: 'h:9' }).hash(), make({ __address__: 'h:10' }).hash());
    assert.equal(make({ __address__: 'h:9' }).hash(), make({ __address__: 'h:9' }).hash());
  });
});
