import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  codesOf,
  parseCanonicalNumber,
  parseFloatAt,
  parseIntAt,
} from '../../../core/exposition/parse_number.ts';

const f = (s: string) => parseFloatAt(codesOf(s), 0, s.length);

describe('parseFloatAt', () => {
  test('accepts the Go float grammar without hex and underscores', () => {
    assert.equal(f('1'), 1);
    assert.equal(f('-0.5'), -0.5);
    assert.equal(f('+.5'), 0.5);
    assert.equal(f('5.'), 5);
    assert.equal(f('1e3'), 1000);
    assert.equal(f('1E-3'), 0.001);
    assert.equal(f('0000000001'), 1);
    assert.equal(f('9223372036854775808'), 9223372036854775808);
    assert.equal(f('inf'), Infinity);
    assert.equal(f('-Infinity'), -Infinity);
    assert.equal(f('+Inf'), Infinity);
    assert.ok(Number.isNaN(f('NaN')!));
    assert.ok(Number.isNaN(f('nan')!));
  });

  test('rejects everything else', () => {
    for (
      const s of [
        '',
        '-',
        '.',
        'e3',
        '1e',
        '1e+',
        '0x1',
        '0x1p-3',
        '1_2',
        '1.1.1',
        '+NaN',
        'Infx',
        ' 1',
        '1 ',
        '1e999',
      ]
    ) {
      assert.equal(f(s), undefined, s);
    }
  });

  test('is correctly rounded like Number()', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 20000; i++) {
      const digits = String(Math.floor(rnd() * 1e17));
      const dot = Math.floor(rnd() * digits.length);
      const s = `${digits.slice(0, dot)}.${digits.slice(dot)}e${Math.floor(rnd() * 60) - 30}`;
      assert.equal(f(s), Number(s), s);
    }
  });
});

describe('parseIntAt and parseCanonicalNumber', () => {
  test('integers', () => {
    assert.equal(parseIntAt(codesOf('-15'), 0, 3), -15);
    assert.equal(parseIntAt(codesOf('1.5'), 0, 3), undefined);
    assert.equal(parseIntAt(codesOf('+'), 0, 1), undefined);
    assert.equal(parseIntAt(codesOf('99999999999999999999'), 0, 20), undefined);
  });
  test('canonical le/quantile spellings', () => {
    assert.equal(parseCanonicalNumber('+Inf'), Infinity);
    assert.equal(parseCanonicalNumber('0.25'), 0.25);
    assert.equal(parseCanonicalNumber('+INF'), undefined);
    assert.equal(parseCanonicalNumber('inf'), undefined);
    assert.equal(parseCanonicalNumber('foo'), undefined);
  });
});
