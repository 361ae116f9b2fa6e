import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/labels.ts';
import {
  goQuote,
  isMatchType,
  Matcher,
  matchLabels,
  type MatchType,
  newMatcher,
} from '../../../core/model/matcher.ts';
import { RegexSyntaxError } from '../../../core/model/regex.ts';

// [type, value, matching inputs, non-matching inputs]
const CASES: [MatchType, string, string[], string[]][] = [
  ['=', 'bar', ['bar'], ['', 'Bar', 'barx']],
  ['=', '', [''], ['x']],
  ['!=', 'bar', ['', 'baz', 'barx'], ['bar']],
  ['!=', '', ['x'], ['']],
  ['=~', 'ba.', ['bar', 'baz', 'ba\n'], ['', 'ba', 'xbar', 'barx']],
  ['=~', '.*', ['', 'x', 'a\nb'], []],
  ['=~', '.+', ['x'], ['']],
  ['=~', 'a|b', ['a', 'b'], ['', 'ab']],
  ['=~', '(?i)foo', ['FOO', 'foo'], ['fooo']],
  ['=~', '', [''], ['x']],
  ['!~', 'ba.', ['', 'ba', 'xbar', 'barx'], ['bar', 'baz']],
  ['!~', '.*', [], ['', 'x']],
  ['!~', '.+', [''], ['x']],
];

describe('Matcher.matches', () => {
  for (const [type, value, yes, no] of CASES) {
    test(`${type} ${JSON.stringify(value)}`, () => {
      const m = Matcher.create(type, 'a', value);
      for (const s of yes) assert.ok(m.matches(s), `should match ${JSON.stringify(s)}`);
      for (const s of no) assert.ok(!m.matches(s), `should not match ${JSON.stringify(s)}`);
      assert.equal(m.matchesEmpty, m.matches(''));
    });
  }
});

describe('Matcher.matchesEmpty', () => {
  const table: [MatchType, string, boolean][] = [
    ['=', '', true],
    ['=', 'x', false],
    ['!=', '', false],
    ['!=', 'x', true],
    ['=~', '.*', true],
    ['=~', 'x|', true],
    ['=~', '.+', false],
    ['=~', 'x*', true],
    ['!~', '.*', false],
    ['!~', '.+', true],
    ['!~', 'x', true],
  ];
  for (const [type, value, want] of table) {
    test(`${type}${JSON.stringify(value)} → ${want}`, () => {
      assert.equal(newMatcher(type, 'a', value).matchesEmpty, want);
    });
  }
});

describe('Matcher construction', () => {
  test('fields and isRegex', () => {
    const m = newMatcher('=~', 'job', 'api|web');
    assert.equal(m.type, '=~');
    assert.equal(m.name, 'job');
    assert.equal(m.value, 'api|web');
    assert.ok(m.isRegex);
    assert.ok(m.regex);
    assert.ok(!newMatcher('=', 'job', 'x').isRegex);
    assert.equal(newMatcher('!=', 'job', 'x').regex, undefined);
  });

  test('invalid regexes throw RegexSyntaxError with Go message', () => {
    assert.throws(
      () => newMatcher('=~', 'a', '(?=x)'),
      (e: unknown) =>
        e instanceof RegexSyntaxError &&
        e.message === 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
    assert.throws(() => newMatcher('!~', 'a', '['), RegexSyntaxError);
  });

  test('equality matchers do not parse their value as a regex', () => {
    assert.ok(newMatcher('=', 'a', '(').matches('('));
    assert.ok(newMatcher('!=', 'a', '[').matches('x'));
  });

  test('unknown operator', () => {
    assert.throws(() => Matcher.create('==' as MatchType, 'a', 'b'), TypeError);
    assert.ok(isMatchType('!~'));
    assert.ok(!isMatchType('~'));
  });

  test('inverse', () => {
    const pairs: [MatchType, MatchType][] = [['=', '!='], ['!=', '='], ['=~', '!~'], ['!~', '=~']];
    for (const [a, b] of pairs) {
      const m = newMatcher(a, 'x', 'v.*');
      const inv = m.inverse();
      assert.equal(inv.type, b);
      for (const s of ['', 'v', 'vx', 'v.*', 'w']) assert.equal(inv.matches(s), !m.matches(s));
    }
  });

  test('setMatches', () => {
    assert.deepEqual(newMatcher('=', 'a', 'x').setMatches(), ['x']);
    assert.deepEqual(newMatcher('=~', 'a', 'x|y').setMatches(), ['x', 'y']);
    assert.equal(newMatcher('=~', 'a', 'x.').setMatches(), undefined);
    assert.equal(newMatcher('!~', 'a', 'x|y').setMatches(), undefined);
    assert.equal(newMatcher('!=', 'a', 'x').setMatches(), undefined);
  });
});

describe('Matcher.toString', () => {
  const table: [MatchType, string, string, string][] = [
    ['=', 'job', 'api', 'job="api"'],
    ['!=', 'job', '', 'job!=""'],
    ['=~', 'job', 'a.*|b\\.c', 'job=~"a.*|b\\\\.c"'],
    ['!~', '__name__', 'up', '__name__!~"up"'],
    ['=', 'service.name', 'x', '"service.name"="x"'],
    ['=', 'a:b', 'x', '"a:b"="x"'],
    ['=', '1a', 'x', '"1a"="x"'],
    ['=', '', 'x', '""="x"'],
    ['=', 'a', 'say "hi"\n\tnow\\', 'a="say \\"hi\\"\\n\\tnow\\\\"'],
    ['=', 'a', 'héllo ✓ 😀', 'a="héllo ✓ 😀"'],
    [
      '=',
      'a',
      '\u0000\u0007\u007f\u00a0\u200b\u{e0001}',
      'a="\\x00\\a\\x7f\\u00a0\\u200b\\U000e0001"',
    ],
  ];
  for (const [type, name, value, want] of table) {
    test(want, () => assert.equal(newMatcher(type, name, value).toString(), want));
  }

  test('goQuote of a lone surrogate prints its bytes', () => {
    assert.equal(goQuote('\ud800'), '"\\xed\\xa0\\x80"');
  });
});

describe('matchLabels', () => {
  const labels = Labels.from({ __name__: 'up', job: 'api', instance: 'h:9090' });

  test('all matchers must hold', () => {
    assert.ok(
      matchLabels([newMatcher('=', '__name__', 'up'), newMatcher('=~', 'job', 'api|web')], labels),
    );
    assert.ok(
      !matchLabels([newMatcher('=', '__name__', 'up'), newMatcher('!=', 'job', 'api')], labels),
    );
    assert.ok(matchLabels([], labels));
  });

  test('a missing label has the empty value', () => {
    assert.ok(matchLabels([newMatcher('=~', 'env', '.*')], labels));
    assert.ok(matchLabels([newMatcher('=', 'env', '')], labels));
    assert.ok(!matchLabels([newMatcher('=~', 'env', '.+')], labels));
    assert.ok(!matchLabels([newMatcher('!=', 'env', '')], labels));
    assert.ok(matchLabels([newMatcher('!~', 'env', 'prod')], labels));
  });

  test('regex matchers are anchored against label values', () => {
    assert.ok(!matchLabels([newMatcher('=~', 'instance', 'h')], labels));
    assert.ok(matchLabels([newMatcher('=~', 'instance', 'h:.*')], labels));
    assert.ok(matchLabels([newMatcher('!~', 'instance', 'h')], labels));
  });
});
