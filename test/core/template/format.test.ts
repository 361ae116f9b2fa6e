// Go's fmt as templates use it: printf verbs and flags, float formatting (shortest %v,
// correctly rounded precisions with ties to even), quoting and Duration strings.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatFloat,
  formatGoDuration,
  goQuote,
  sprint,
  sprintf,
} from '../../../core/template/mod.ts';

const PRINTF: [string, unknown[], string][] = [
  ['%d %s %q %v', [3n, 'a', 'b', 1e6], '3 a "b" 1e+06'],
  [
    '%5.1f|%-5s|%05d|%x|%X|%o|%b|%#x',
    [3.14159, 'ab', 42n, 255n, 255n, 8n, 5n, 255n],
    '  3.1|ab   |00042|ff|FF|10|101|0xff',
  ],
  ['%t %v', [true, false], 'true false'],
  ['%e %E %.3e', [1234.5678, 1234.5678, 123456], '1.234568e+03 1.234568E+03 1.235e+05'],
  ['%g %g %g %G', [1e-7, 100000, 1e6, 1e-7], '1e-07 100000 1e+06 1E-07'],
  [
    '%.3g %.10g %.4g %.4g',
    [1234567, 1 / 3, 0.0001234, 0.00001234],
    '1.23e+06 0.3333333333 0.0001234 1.234e-05',
  ],
  ['%.2f %.0f %.0f %.0f %.1f', [2.675, 2.5, 3.5, 0.5, 0.25], '2.67 2 4 0 0.2'],
  [
    '%8.3f|%-8.3f|%08.3f|%+.2f|% .1f',
    [3.14159, 3.14159, 3.14159, 1, 1],
    '   3.142|3.142   |0003.142|+1.00| 1.0',
  ],
  ['%6.2f|%06.2f', [-1.5, -1.5], ' -1.50|-01.50'],
  ['%f %v %v %5.1f', [Infinity, -Infinity, NaN, Infinity], '+Inf -Inf NaN  +Inf'],
  ['%+d % d %d %x', [5n, 5n, -7n, -255n], '+5  5 -7 -ff'],
  ['%.3d|%3d|%-3d|', [7n, 7n, 7n], '007|  7|7  |'],
  ['%c %q %U %#U', [65n, 97n, 0x1f600n, 65n], "A 'a' U+1F600 U+0041 'A'"],
  ['%5s|%-5s|%.2s|%5.1s|', ['ab', 'ab', 'abcdef', 'xyz'], '   ab|ab   |ab|    x|'],
  ['%x % x %X', ['hi', 'hi', 'hi'], '6869 68 69 6869'],
  ['%q', ['a"b\n\u0001é'], '"a\\"b\\n\\x01é"'],
  ['%T %T %T %T %T', [1n, 1.5, 's', true, null], 'int float64 string bool <nil>'],
  ['%v %d', [[1n, 2n], [1n, 2n]], '[1 2] [1 2]'],
  ['%v', [{ b: 1, a: 'x' }], 'map[a:x b:1]'],
  ['%d', ['x'], '%!d(string=x)'],
  ['%d', [3], '%!d(float64=3)'],
  ['%s', [1.5], '%!s(float64=1.5)'],
  ['%d %d', [1n], '1 %!d(MISSING)'],
  ['%d', [1n, 2n, 'x'], '1%!(EXTRA int=2, string=x)'],
  ['%', [], '%!(NOVERB)'],
  ['100%%', [], '100%'],
  ['%*d|%-*d|%.*f', [4n, 1n, 3n, 2n, 2n, 3.14159], '   1|2  |3.14'],
  ['%v %s', [null, null], '<nil> %!s(<nil>)'],
  ['no verbs', [], 'no verbs'],
];

describe('sprintf', () => {
  for (const [fmt, args, want] of PRINTF) {
    test(`${fmt} ${JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`, () => {
      assert.equal(sprintf(fmt, args), want);
    });
  }
});

describe('formatFloat', () => {
  const CASES: [number, 'e' | 'f' | 'g', number, string][] = [
    [0, 'g', -1, '0'],
    [-0, 'g', -1, '-0'],
    [1, 'g', -1, '1'],
    [0.1, 'g', -1, '0.1'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [123456, 'g', -1, '123456'],
    [1234567, 'g', -1, '1.234567e+06'],
    [5e-324, 'g', -1, '5e-324'],
    [1.7976931348623157e308, 'g', -1, '1.7976931348623157e+308'],
    [1 / 3, 'g', -1, '0.3333333333333333'],
    [100, 'g', 4, '100'],
    [1234.5, 'g', 4, '1234'],
    [1235.5, 'g', 4, '1236'],
    [12345, 'g', 4, '1.234e+04'],
    [0.5, 'g', 0, '0.5'],
    [
      1e100,
      'f',
      0,
      '10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104',
    ],
    [0.125, 'f', 2, '0.12'],
    [0.375, 'f', 2, '0.38'],
    [1.005, 'f', 2, '1.00'],
    [9.995, 'f', 2, '9.99'],
    [99.5, 'e', 1, '1.0e+02'],
    [98.5, 'e', 1, '9.8e+01'],
    [0, 'e', 2, '0.00e+00'],
    [1e-300, 'e', -1, '1e-300'],
  ];
  for (const [x, fmt, prec, want] of CASES) {
    test(`${x} ${fmt} ${prec}`, () => assert.equal(formatFloat(x, fmt, prec), want));
  }
});

describe('helpers', () => {
  test('Sprint spaces operands unless one side is a string', () => {
    assert.equal(sprint([1n, 2n, 'a', 'b', 3n, 4.5]), '1 2ab3 4.5');
  });
  test('Go quoting', () => {
    assert.equal(
      goQuote('tab\there "q" \\ \u007f \u2028 😀'),
      '"tab\\there \\"q\\" \\\\ \\x7f \\u2028 😀"',
    );
  });
  test('Duration strings', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [1n, '1ns'],
      [1500n, '1.5µs'],
      [1_500_000n, '1.5ms'],
      [1_000_000_000n, '1s'],
      [90_000_000_000n, '1m30s'],
      [3_600_000_000_000n, '1h0m0s'],
      [3_720_010_000_000n, '1h2m0.01s'],
      [-90_000_000_000n, '-1m30s'],
    ];
    for (const [ns, want] of cases) assert.equal(formatGoDuration(ns), want);
  });
});
