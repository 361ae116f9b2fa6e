import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatMatcher,
  fromApiMatcher,
  MatcherParseError,
  parseMatcher,
  parseMatchers,
  toApiMatcher,
} from '../../../core/notify/mod.ts';

describe('Alertmanager matchers', () => {
  test('quoted, bare, regex and negative forms', () => {
    const ms = parseMatchers('{severity="critical", team=~"db|web",env!=prod, x!~"a.*"}');
    assert.deepEqual(ms.map(formatMatcher), [
      'severity="critical"',
      'team=~"db|web"',
      'env!="prod"',
      'x!~"a.*"',
    ]);
    assert.equal(ms[1].matches('db'), true);
    assert.equal(ms[1].matches('dbx'), false, 'regexes are anchored');
  });

  test('escapes and commas inside quotes', () => {
    const m = parseMatcher('msg="a, \\"b\\"\\n"');
    assert.equal(m.value, 'a, "b"\n');
    assert.equal(parseMatchers('a="x,y"').length, 1);
  });

  test('errors', () => {
    assert.throws(() => parseMatcher('severity'), MatcherParseError);
    assert.throws(() => parseMatcher('9a="b"'), MatcherParseError);
    assert.throws(() => parseMatchers('{a="b"'), MatcherParseError);
    assert.throws(() => parseMatcher('a=~"("'), MatcherParseError);
  });

  test('API form round trip', () => {
    const m = fromApiMatcher({ name: 'a', value: 'b.*', isRegex: true, isEqual: false });
    assert.equal(m.type, '!~');
    assert.deepEqual(toApiMatcher(m), { name: 'a', value: 'b.*', isRegex: true, isEqual: false });
    assert.equal(fromApiMatcher({ name: 'a', value: 'b', isRegex: false }).type, '=');
  });
});
