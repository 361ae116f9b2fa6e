import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels, Matcher, matchLabels, type MatchType } from '../../../core/model/mod.ts';
import { SeriesCatalog } from '../../../core/storage/mod.ts';

const m = (type: MatchType, name: string, value: string) => Matcher.create(type, name, value);

const SETS: Record<string, string>[] = [
  { __name__: 'up', job: 'api', instance: 'a:1' },
  { __name__: 'up', job: 'api', instance: 'b:1' },
  { __name__: 'up', job: 'db', instance: 'c:1', env: 'prod' },
  { __name__: 'http_requests_total', job: 'api', code: '200' },
  { __name__: 'http_requests_total', job: 'api', code: '500', env: '' },
  { __name__: 'x', env: 'dev' },
];

function build(): { cat: SeriesCatalog; labels: Labels[]; refs: number[] } {
  const cat = new SeriesCatalog();
  const labels = SETS.map((s) => Labels.from(s));
  const refs = labels.map((l) => cat.getOrCreate(l));
  return { cat, labels, refs };
}

describe('SeriesCatalog', () => {
  test('labels ⇄ ref, stable refs, deletion', () => {
    const { cat, labels, refs } = build();
    assert.deepEqual(refs, [1, 2, 3, 4, 5, 6]);
    assert.equal(cat.getOrCreate(Labels.from(SETS[2])), 3);
    assert.equal(cat.ref(labels[3]), 4);
    assert.ok(cat.labels(4)!.equals(labels[3]));
    assert.equal(cat.ref(Labels.from({ __name__: 'nope' })), 0);
    cat.delete(3);
    assert.equal(cat.ref(labels[2]), 0);
    assert.equal(cat.labels(3), undefined);
    assert.equal(cat.size, 5);
    assert.deepEqual(cat.labelValues('env'), ['dev']);
    // A re-added set gets a new ref; refs are never reused.
    assert.equal(cat.getOrCreate(labels[2]), 7);
  });

  test('postings agree with matching every series, for every matcher type', () => {
    const { cat, labels, refs } = build();
    const cases: Matcher[][] = [
      [m('=', '__name__', 'up')],
      [m('=', 'job', 'api'), m('!=', '__name__', 'up')],
      [m('=~', 'job', 'api|db')],
      [m('=~', 'instance', '.*:1')],
      [m('!~', 'instance', 'a.*')],
      [m('=', 'env', '')],
      [m('!=', 'env', '')],
      [m('=~', 'env', '.*')],
      [m('=~', 'env', '.+')],
      [m('=~', 'env', 'prod|')],
      [m('!~', 'env', 'prod|')],
      [m('!=', 'env', 'prod')],
      [m('=', 'missing', '')],
      [m('=', 'missing', 'x')],
      [m('!=', 'missing', 'x')],
      [m('=~', 'code', '[0-9]+'), m('=', '__name__', 'http_requests_total')],
      [m('=', '__name__', 'up'), m('=', 'job', 'nope')],
      [],
    ];
    for (const ms of cases) {
      const want = refs.filter((_, i) => matchLabels(ms, labels[i]));
      assert.deepEqual(cat.postings(ms), want, ms.map(String).join(','));
    }
  });

  test('label names and values, over all series or some, with limits', () => {
    const { cat } = build();
    assert.deepEqual(cat.labelNames(), ['__name__', 'code', 'env', 'instance', 'job']);
    assert.deepEqual(cat.labelNames(undefined, 2), ['__name__', 'code']);
    assert.deepEqual(cat.labelNames(cat.postings([m('=', '__name__', 'x')])), ['__name__', 'env']);
    assert.deepEqual(cat.labelValues('job'), ['api', 'db']);
    assert.deepEqual(cat.labelValues('instance', cat.postings([m('=', 'job', 'api')]), 1), [
      'a:1',
    ]);
    assert.deepEqual(cat.labelValues('missing'), []);
  });

  test('hash collisions are resolved by equality', () => {
    const cat = new SeriesCatalog();
    const a = Labels.from({ a: '1' });
    const b = Labels.from({ b: '2' });
    // Force both sets onto one hash.
    Object.defineProperty(b, 'hash', { value: () => a.hash() });
    const ra = cat.getOrCreate(a), rb = cat.getOrCreate(b);
    assert.notEqual(ra, rb);
    assert.equal(cat.ref(a), ra);
    assert.equal(cat.ref(b), rb);
    cat.delete(ra);
    assert.equal(cat.ref(b), rb);
    assert.equal(cat.ref(a), 0);
  });

  test('stats: top lists as /api/v1/status/tsdb', () => {
    const { cat } = build();
    const s = cat.stats(2);
    assert.equal(s.numSeries, 6);
    assert.deepEqual(s.seriesCountByMetricName, [
      { name: 'up', value: 3 },
      { name: 'http_requests_total', value: 2 },
    ]);
    assert.deepEqual(s.labelValueCountByLabelName, [
      { name: '__name__', value: 3 },
      { name: 'instance', value: 3 },
    ]);
    assert.deepEqual(s.seriesCountByLabelValuePair, [
      { name: 'job=api', value: 4 },
      { name: '__name__=up', value: 3 },
    ]);
    // __name__: 3×"up" + 2×"http_requests_total" + "x" = 6 + 38 + 1.
    assert.deepEqual(s.memoryInBytesByLabelName[0], { name: '__name__', value: 45 });
    assert.equal(s.numLabelPairs, 3 + 3 + 2 + 2 + 2);
  });
});
