import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cachedRegex,
  compileRegex,
  newRegexMatcher,
  RegexSyntaxError,
  translateRegex,
} from '../../../core/model/regex.ts';

// [RE2 source, inputs that match in full, inputs that do not]
const MATCHES: [string, string[], string[]][] = [
  // Anchoring, and `.` matching newline as in Prometheus 3.
  ['foo', ['foo'], ['foobar', 'xfoo', '', 'FOO']],
  ['.*', ['', 'a', 'a\nb', '\n'], []],
  ['.+', ['a', '\n'], ['']],
  ['a.c', ['abc', 'a\nc'], ['ac']],
  ['(?-s).*', ['abc', ''], ['a\nb']],
  ['(?-s:a.c)', ['abc'], ['a\nc']],
  ['foo|bar', ['foo', 'bar'], ['foobar', 'fo', '']],
  ['foo.*', ['foo', 'foobar', 'foo\n'], ['afoo']],
  ['.*foo', ['foo', 'xfoo'], ['foox']],
  ['.*foo.*', ['foo', 'xfoox'], ['fo']],
  // Empty alternatives and groups.
  ['a|', ['a', ''], ['b']],
  ['|a', ['a', ''], ['b']],
  ['()', [''], ['a']],
  ['(|a)b', ['b', 'ab'], ['a']],
  ['', [''], ['a']],
  // Case folding, global and in spans; Unicode simple folding as RE2 does it.
  ['(?i)foo', ['foo', 'FOO', 'fOo'], ['fo', 'foox']],
  ['(?i)k', ['k', 'K', '\u212a'], ['x']],
  ['(?i)s', ['s', 'S', '\u017f'], ['x']],
  ['(?i)σ', ['σ', 'Σ', 'ς'], ['s']],
  ['foo(?i)bar', ['fooBAR', 'foobar'], ['FOObar']],
  ['(?i:foo)bar', ['FOObar'], ['FOOBAR']],
  ['(?i)foo(?-i)bar', ['FOObar'], ['FOOBAR']],
  ['a(?i:b|c)d', ['aBd', 'aCd'], ['ABd', 'aBD']],
  ['(?i)[a-c]+', ['aBc', 'ABC'], ['d']],
  ['x(?i)i', ['xi', 'xI'], ['x\u0131', 'x\u0130', 'Xi']],
  ['x(?i)ǆ', ['xǄ', 'xǅ', 'xǆ'], ['xd']],
  ['x(?i)[k]', ['xk', 'xK', 'x\u212a'], ['Xk']],
  ['(?i)\\p{Lu}', ['A', 'a'], ['1']],
  ['(?i)\\P{Lu}', ['1'], ['A', 'a']],
  ['(?i)[^k]', ['x'], ['k', 'K', '\u212a']],
  // Perl classes are ASCII in RE2.
  ['\\d+', ['0123456789'], ['٣', 'a']],
  ['\\w+', ['az_AZ09'], ['é', '-']],
  ['\\s+', [' \t\n\f\r'], ['\v', '\u00a0', '\u2028']],
  ['\\D', ['a', '\n'], ['5']],
  ['\\W', ['é', '\n'], ['a']],
  ['\\S', ['\v', 'a'], [' ']],
  ['[\\d\\s]+', ['1 2'], ['a']],
  ['[^\\D]', ['7'], ['a']],
  ['[^a]', ['\n', 'b'], ['a']],
  // Unicode classes.
  ['\\pL+', ['héllo', 'Ωμέγα'], ['1', '']],
  ['\\p{L}', ['x'], ['1']],
  ['\\pLu', ['xu', 'Xu'], ['X', '1u']],
  ['\\p{ASCII}+', ['a~\u0000'], ['é']],
  ['\\PL', ['1', ' '], ['x']],
  ['\\p{^L}', ['1'], ['x']],
  ['\\P{^L}', ['x'], ['1']],
  ['\\p{Greek}+', ['αβγ'], ['abc']],
  ['\\p{greek}', ['α'], ['a']],
  ['\\p{Old_Italic}', ['\u{10300}'], ['a']],
  ['\\p{Letter}', ['a'], ['1']],
  ['\\p{Lu}', ['A', 'Ω'], ['a']],
  ['\\pN', ['5', '٣'], ['a']],
  ['\\p{Any}', ['a', '\n', '\u{10ffff}'], ['', 'ab']],
  ['[\\p{Greek}\\d]+', ['α1'], ['a']],
  ['[^\\p{L}\\d]', ['-'], ['a', '1']],
  ['[\\P{L}]', ['1'], ['a']],
  ['\\pC', ['\u0000', '\u00ad'], ['a']],
  // POSIX classes.
  ['[[:alpha:]]+', ['abcXYZ'], ['1']],
  ['[[:^alpha:]]', ['1', '\n'], ['a']],
  ['[[:digit:][:upper:]]+', ['A1'], ['a']],
  ['[[:space:]]+', [' \t\n\v\f\r'], ['a']],
  ['[[:punct:]]+', ['!/:@[`{~'], ['a']],
  ['[[:word:]]+', ['a_1'], ['-']],
  ['[[:xdigit:]]+', ['09afAF'], ['g']],
  // Brackets.
  ['[]a]+', [']a'], ['b']],
  ['[^]a]', ['b'], [']', 'a']],
  ['[a-]+', ['a-'], ['b']],
  ['[-a]+', ['a-'], ['b']],
  ['[a-c-e]+', ['ab-e'], ['d']],
  ['[\\-\\]\\\\]+', ['-]\\'], ['a']],
  ['[.*+?(){}|$^/]+', ['.*+?(){}|$^/'], ['a']],
  ['[\\x{41}-\\x{43}]+', ['ABC'], ['D']],
  // Escapes.
  ['\\Qa.b*c\\E', ['a.b*c'], ['axbbc']],
  ['\\Qa.b', ['a.b'], ['axb']],
  ['x\\Q\\Ey', ['xy'], []],
  ['\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-', ['.*+?()[]{}|^$\\/-'], []],
  ['\\_\\!\\"\\#\\%\\&\\\'\\,\\:\\;\\<\\=\\>\\@\\`\\~', ['_!"#%&\',:;<=>@`~'], []],
  ['\\x41\\x{42}\\x{1F600}', ['AB\u{1F600}'], []],
  ['\\101\\0\\12\\07', ['A\u0000\n\u0007'], []],
  ['\\1234', ['S4'], []],
  ['\\a\\f\\t\\n\\r\\v', ['\u0007\f\t\n\r\v'], []],
  ['/', ['/'], []],
  ['-', ['-'], []],
  ['a\\z', ['a'], ['a\n']],
  ['\\Aa', ['a'], []],
  ['a$', ['a'], ['a\n']],
  ['(?m)a$\\nb', ['a\nb'], []],
  ['(?m)^a$', ['a'], []],
  ['a\\b', ['a'], []],
  ['a\\b.', [], ['ab']],
  ['a\\B.', ['ab'], ['a-']],
  ['^*a', ['a'], []],
  // Repetition.
  ['a{2}', ['aa'], ['a', 'aaa']],
  ['a{2,}', ['aa', 'aaaa'], ['a']],
  ['a{2,3}', ['aa', 'aaa'], ['aaaa']],
  ['a{0}', [''], ['a']],
  ['a{1000}', ['a'.repeat(1000)], ['a'.repeat(999)]],
  ['a{,2}', ['a{,2}'], ['aa', '']],
  ['a{', ['a{'], []],
  ['a{x}', ['a{x}'], []],
  ['a{01}', ['a{01}'], ['a']],
  ['a{1,2', ['a{1,2'], []],
  ['{', ['{'], []],
  ['}', ['}'], []],
  ['a*?', ['', 'aaa'], []],
  ['(?U)a+', ['aa'], ['']],
  ['(?:ab)+', ['abab'], ['aba']],
  ['(a*)*', ['', 'aaa'], ['b']],
  ['a\\Q\\E*', ['', 'aaa'], []],
  // Named groups.
  ['(?P<first>a)(?<second>b)', ['ab'], ['a']],
  ['(?P<1x>a)(?P<1x>b)', ['ab'], []],
];

describe('compileRegex matching', () => {
  for (const [re, yes, no] of MATCHES) {
    test(JSON.stringify(re), () => {
      const r = compileRegex(re);
      const m = newRegexMatcher(re);
      for (const s of yes) {
        assert.ok(r.test(s), `${re} should match ${JSON.stringify(s)}`);
        assert.ok(m.matches(s), `matcher ${re} should match ${JSON.stringify(s)}`);
      }
      for (const s of no) {
        assert.ok(!r.test(s), `${re} should not match ${JSON.stringify(s)}`);
        assert.ok(!m.matches(s), `matcher ${re} should not match ${JSON.stringify(s)}`);
      }
    });
  }
});

describe('case folding by expansion (engines without modifier groups)', () => {
  for (const [re, yes, no] of MATCHES.filter(([re]) => re.includes('(?i') || re.includes('(?-i'))) {
    test(JSON.stringify(re), () => {
      const t = translateRegex(re, { expandCaseFolding: true });
      assert.ok(!t.source.includes('(?i:'));
      const r = new RegExp(t.source, t.flags);
      for (const s of yes) assert.ok(r.test(s), `${re} should match ${JSON.stringify(s)}`);
      // Unicode property classes are not folded by expansion; skip those negative cases.
      if (!re.includes('\\p') && !re.includes('\\P')) {
        for (const s of no) assert.ok(!r.test(s), `${re} should not match ${JSON.stringify(s)}`);
      }
    });
  }
});

// [RE2 source, Go's error message]
const REJECTS: [string, string][] = [
  ['\\1', 'invalid escape sequence: `\\1`'],
  ['(a)\\1', 'invalid escape sequence: `\\1`'],
  ['\\8', 'invalid escape sequence: `\\8`'],
  ['a\\7', 'invalid escape sequence: `\\7`'],
  ['\\18', 'invalid escape sequence: `\\1`'],
  ['\\C', 'invalid escape sequence: `\\C`'],
  ['\\q', 'invalid escape sequence: `\\q`'],
  ['\\é', 'invalid escape sequence: `\\é`'],
  ['[\\b]', 'invalid escape sequence: `\\b`'],
  ['[\\Qa\\E]', 'invalid escape sequence: `\\Q`'],
  ['\\x', 'invalid escape sequence: `\\x`'],
  ['\\xZZ', 'invalid escape sequence: `\\xZZ`'],
  ['\\x{', 'invalid escape sequence: `\\x{`'],
  ['\\x{}', 'invalid escape sequence: `\\x{}`'],
  ['\\x{12', 'invalid escape sequence: `\\x{12`'],
  ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
  ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
  ['(?!a)', 'invalid or unsupported Perl syntax: `(?!`'],
  ['(?>a)', 'invalid or unsupported Perl syntax: `(?>`'],
  ['(?#c)', 'invalid or unsupported Perl syntax: `(?#`'],
  ['(?x)a', 'invalid or unsupported Perl syntax: `(?x`'],
  ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
  ['(?i-)a', 'invalid or unsupported Perl syntax: `(?i-)`'],
  ['(?--i)a', 'invalid or unsupported Perl syntax: `(?--`'],
  ['(?', 'invalid or unsupported Perl syntax: `(?`'],
  ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
  ['(?<!a)b', 'invalid named capture: `(?<!a)b`'],
  ['(?P<>a)', 'invalid named capture: `(?P<>`'],
  ['(?P<x y>a)', 'invalid named capture: `(?P<x y>`'],
  ['(?P<name', 'invalid named capture: `(?P<name`'],
  ['(?P<name>a', 'missing closing ): `(?P<name>a`'],
  ['(', 'missing closing ): `(`'],
  ['(a|b', 'missing closing ): `(a|b`'],
  ['((a)', 'missing closing ): `((a)`'],
  [')', 'unexpected ): `)`'],
  ['a)', 'unexpected ): `a)`'],
  ['(a))', 'unexpected ): `(a))`'],
  ['[a', 'missing closing ]: `[a`'],
  ['[a-z', 'missing closing ]: `[a-z`'],
  ['x[a-z', 'missing closing ]: `[a-z`'],
  ['[]', 'missing closing ]: `[]`'],
  ['[^]', 'missing closing ]: `[^]`'],
  ['[z-a]', 'invalid character class range: `z-a`'],
  ['[a-Z]', 'invalid character class range: `a-Z`'],
  ['(?i)[a-Z]', 'invalid character class range: `a-Z`'],
  ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
  ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
  ['\\pX', 'invalid character class range: `\\pX`'],
  ['\\p', 'invalid character class range: `\\p`'],
  ['\\p{L', 'invalid character class range: `\\p{L`'],
  ['a{1001}', 'invalid repeat count: `{1001}`'],
  ['a{1001,}', 'invalid repeat count: `{1001,}`'],
  ['a{2,1}', 'invalid repeat count: `{2,1}`'],
  ['a{0,1001}', 'invalid repeat count: `{0,1001}`'],
  ['a{100000000}', 'invalid repeat count: `{100000000}`'],
  ['x{1,9876543210}', 'invalid repeat count: `{1,9876543210}`'],
  ['(a{500}){3}', 'invalid repeat count: `{3}`'],
  ['(((x{7}){11}){13})', 'invalid repeat count: `{13}`'],
  ['a**', 'invalid nested repetition operator: `**`'],
  ['a*+', 'invalid nested repetition operator: `*+`'],
  ['a+?*', 'invalid nested repetition operator: `+?*`'],
  ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
  ['*', 'missing argument to repetition operator: `*`'],
  ['+a', 'missing argument to repetition operator: `+`'],
  ['a|*', 'missing argument to repetition operator: `*`'],
  ['(*)', 'missing argument to repetition operator: `*`'],
  ['(?i)*', 'missing argument to repetition operator: `*`'],
  ['??', 'missing argument to repetition operator: `??`'],
  ['{2}', 'missing argument to repetition operator: `{2}`'],
  ['\\Q\\E*', 'missing argument to repetition operator: `*`'],
  ['a\\', 'trailing backslash at end of expression: ``'],
  ['\ud800', 'invalid UTF-8: `\ud800`'],
  [
    '('.repeat(1100) + ')'.repeat(1100),
    'expression nests too deeply: `' + '('.repeat(1100) + ')'.repeat(1100) + '`',
  ],
];

describe('compileRegex rejects what RE2 rejects', () => {
  for (const [re, message] of REJECTS) {
    test(JSON.stringify(re.length > 40 ? re.slice(0, 40) + '…' : re), () => {
      assert.throws(
        () => compileRegex(re),
        (e: unknown) => {
          assert.ok(e instanceof RegexSyntaxError);
          assert.ok(e instanceof Error);
          assert.equal(e.message, `error parsing regexp: ${message}`);
          return true;
        },
      );
    });
  }

  test('expression too large', () => {
    const re = `(${'abcdefghij'.repeat(400)}){1000}`;
    assert.throws(() => compileRegex(re), /expression too large/);
  });

  test('error exposes code and fragment', () => {
    try {
      compileRegex('a(?=b)');
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof RegexSyntaxError);
      assert.equal(e.code, 'invalid or unsupported Perl syntax');
      assert.equal(e.expr, '(?=');
    }
  });
});

describe('translateRegex', () => {
  test('anchors and uses the v flag', () => {
    const t = translateRegex('a|b');
    assert.equal(t.source, '^(?:a|b)$');
    assert.equal(t.flags, 'v');
  });

  test('unanchored and without dotAll: Go regexp.Compile semantics', () => {
    const r = compileRegex('b.', { anchored: false, dotAll: false });
    assert.ok(r.test('abc'));
    assert.ok(!r.test('ab\n'));
  });

  test('a wholly case-insensitive regex uses the i flag', () => {
    assert.equal(translateRegex('(?i)foo|bar').flags, 'iv');
    assert.equal(translateRegex('(?i)123').flags, 'v');
  });

  test('RE2 $ is end of text, not before a final newline', () => {
    assert.ok(!compileRegex('a$', { anchored: false }).test('a\n'));
    assert.ok(compileRegex('(?m)a$', { anchored: false }).test('a\n'));
  });

  test('multi-line anchors only treat \\n as a line end', () => {
    const r = compileRegex('(?m)^b', { anchored: false });
    assert.ok(r.test('a\nb'));
    assert.ok(!r.test('a\rb'));
    assert.ok(!r.test('a\u2028b'));
  });

  test('capture groups keep RE2 numbering and names', () => {
    const t = translateRegex('(?:x)(a)(?P<n>b)(?i:c)(d)');
    assert.deepEqual(t.groupNames, ['', '', 'n', '']);
    const m = new RegExp(t.source, t.flags).exec('xabCd');
    assert.deepEqual(m?.slice(1), ['a', 'b', 'd']);
    assert.equal(m?.groups?.n, 'b');
  });

  test('non-identifier and duplicate group names still capture', () => {
    const t = translateRegex('(?P<1a>x)(?P<b>y)(?P<b>z)');
    assert.deepEqual(t.groupNames, ['', '1a', 'b', 'b']);
    const m = new RegExp(t.source, t.flags).exec('xyz');
    assert.deepEqual(m?.slice(1), ['x', 'y', 'z']);
  });

  test('ungreedy flag swaps greediness', () => {
    const greedy = compileRegex('(a+)(a*)').exec('aaa');
    const lazy = compileRegex('(?U)(a+)(a*)').exec('aaa');
    const lazyBack = compileRegex('(?U)(a+?)(a*)').exec('aaa');
    assert.deepEqual(greedy?.slice(1), ['aaa', '']);
    assert.deepEqual(lazy?.slice(1), ['a', 'aa']);
    assert.deepEqual(lazyBack?.slice(1), ['aaa', '']);
  });

  test('leftmost-first alternation like RE2', () => {
    assert.deepEqual(compileRegex('(a|ab)(c|bcd)(d*)').exec('abcd')?.slice(1), ['a', 'bcd', '']);
  });
});

describe('newRegexMatcher and cachedRegex', () => {
  test('fast paths agree with the RegExp', () => {
    const sources = [
      'foo',
      'foo|bar|baz',
      '.*',
      '.+',
      'foo.*',
      '.*foo',
      '.*foo.*',
      '(foo|bar)',
      '',
    ];
    const inputs = ['', 'foo', 'bar', 'baz', 'foobar', 'xfoo', 'xfoox', 'fo', '\n', 'foo\n'];
    for (const src of sources) {
      const m = newRegexMatcher(src);
      for (const s of inputs) {
        assert.equal(m.matches(s), m.regex.test(s), `${src} on ${JSON.stringify(s)}`);
      }
    }
  });

  test('setMatches lists literal alternatives', () => {
    assert.deepEqual(newRegexMatcher('a|b|c').setMatches, ['a', 'b', 'c']);
    assert.deepEqual(newRegexMatcher('(a|b)').setMatches, ['a', 'b']);
    assert.deepEqual(newRegexMatcher('foo').setMatches, ['foo']);
    assert.deepEqual(newRegexMatcher('\\.x').setMatches, ['.x']);
    assert.equal(newRegexMatcher('a|b.').setMatches, undefined);
    assert.equal(newRegexMatcher('(?i)a|b').setMatches, undefined);
  });

  test('cache returns the same matcher and still validates', () => {
    assert.equal(cachedRegex('x+y'), cachedRegex('x+y'));
    assert.throws(() => cachedRegex('x('), RegexSyntaxError);
  });
});
