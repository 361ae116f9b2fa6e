import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration, seriesName, timeAgo } from '../../ui/src/format.ts';
import { defaultPanel, panelsFromParams, panelsToParams } from '../../ui/src/query/state.ts';
import { parseMatchers } from '../../ui/src/pages/silences.ts';
import { alignSeries, isolated, stack } from '../../ui/src/query/graph.ts';
import { autoStep } from '../../ui/src/query/panel.ts';

describe('ui formatting', () => {
  test('durations round-trip in Prometheus notation', () => {
    assert.equal(formatDuration(5400), '1h30m');
    assert.equal(formatDuration(0.25), '250ms');
    assert.equal(formatDuration(86400 * 8), '1w1d');
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('250ms'), 0.25);
    assert.equal(parseDuration('15'), 15);
    assert.ok(Number.isNaN(parseDuration('1x')));
    assert.ok(Number.isNaN(parseDuration('h')));
  });

  test('series names put the metric name outside the braces', () => {
    assert.equal(
      seriesName({ __name__: 'up', job: 'a', instance: 'x"y' }),
      'up{instance="x\\"y", job="a"}',
    );
    assert.equal(seriesName({ __name__: 'up' }), 'up');
    assert.equal(seriesName({}), '{}');
  });

  test('Go zero time reads as never', () => {
    assert.equal(timeAgo('0001-01-01T00:00:00Z'), 'never');
    assert.equal(timeAgo('2020-01-01T00:00:10Z', Date.parse('2020-01-01T00:00:12.5Z')), '2.5s ago');
  });
});

describe('query panel URL state', () => {
  test('round-trips through URL parameters', () => {
    const panels = [
      {
        ...defaultPanel('up'),
        tab: 'graph' as const,
        range: '6h',
        end: '2024-01-02T03:04:05',
        mode: 'stacked' as const,
        step: '30',
      },
      { ...defaultPanel('sum(x)'), moment: '2024-01-02T00:00:00' },
    ];
    const params = panelsToParams(panels);
    assert.equal(params.get('g0.end_input'), '2024-01-02 03:04:05');
    assert.deepEqual(panelsFromParams(new URLSearchParams(params.toString())), panels);
  });

  test('reads Prometheus 2 links and defaults to one empty panel', () => {
    const [p] = panelsFromParams(
      new URLSearchParams('g0.expr=up&g0.tab=0&g0.stacked=1&g0.range_input=1d'),
    );
    assert.equal(p.tab, 'graph');
    assert.equal(p.mode, 'stacked');
    assert.equal(p.range, '1d');
    assert.deepEqual(panelsFromParams(new URLSearchParams()), [defaultPanel()]);
  });

  test('the automatic resolution gives about 250 points and at least a second', () => {
    assert.equal(autoStep(3600), 14);
    assert.equal(autoStep(60), 1);
  });
});

describe('graph data', () => {
  test('aligns samples on the step grid with gaps as null', () => {
    const { xs, ys } = alignSeries(
      [{ metric: {}, values: [[100, '1'], [120, '+Inf'], [130, '3']] }, {
        metric: {},
        values: [[110, 'NaN']],
      }],
      100,
      130,
      10,
    );
    assert.deepEqual(xs, [100, 110, 120, 130]);
    assert.deepEqual(ys, [[1, null, null, 3], [null, null, null, null]]);
  });

  test('stacks cumulatively and finds isolated points', () => {
    assert.deepEqual(stack([[1, null, 2], [1, 1, null]]), [[1, null, 2], [2, 1, null]]);
    assert.deepEqual(isolated([1, null, 2, 3, null, 4]), [0, 5]);
  });
});

describe('silence matchers', () => {
  test('parses the four operators with and without braces', () => {
    assert.deepEqual(parseMatchers('{a="1", b!="2", c=~"x.*", d!~"y"}'), [
      { name: 'a', value: '1', isRegex: false, isEqual: true },
      { name: 'b', value: '2', isRegex: false, isEqual: false },
      { name: 'c', value: 'x.*', isRegex: true, isEqual: true },
      { name: 'd', value: 'y', isRegex: true, isEqual: false },
    ]);
    assert.deepEqual(parseMatchers('alertname="A \\"q\\""'), [
      { name: 'alertname', value: 'A "q"', isRegex: false, isEqual: true },
    ]);
  });

  test('rejects what it cannot read', () => {
    assert.throws(() => parseMatchers(''), /at least one matcher/);
    assert.throws(() => parseMatchers('a=1'), /cannot parse/);
    assert.throws(() => parseMatchers('a="1" b="2"'), /cannot parse/);
  });
});
