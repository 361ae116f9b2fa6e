// Mutated inputs must end in 'eof' or a ParseError: no other exception, no hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from '../../../core/exposition/parser.ts';
import { ParseError } from '../../../core/exposition/parse_error.ts';

const SEED = [
  '# HELP a_seconds h\\n\n# TYPE a_seconds histogram\n# UNIT a_seconds seconds\n',
  'a_seconds_bucket{le="1",x="y\\"z"} 1 1.5 # {t="1"} 0.5 2\n',
  'a_seconds_bucket{le="+Inf",x="y\\"z"} 2\na_seconds_count{x="y\\"z"} 2\n',
  'a_seconds_sum{x="y\\"z"} 3\n{"u.v","w.x"="1",} NaN -12\n# comment\n\n# EOF\n',
].join('');
const ALPHABET = '#{}="\\ \t\n,.-+eE0123456789aINf_:\u2603\0';

test('no exception other than ParseError, no hang', () => {
  let seed = 42;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  let errors = 0;
  for (let round = 0; round < 3000; round++) {
    const chars = [...SEED];
    for (let m = 1 + rnd(4); m > 0; m--) {
      const at = rnd(chars.length);
      const op = rnd(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, ALPHABET[rnd(ALPHABET.length)]);
      else chars[at] = ALPHABET[rnd(ALPHABET.length)];
    }
    const body = chars.join('');
    for (const ct of ['text/plain', 'application/openmetrics-text']) {
      for (const strict of [false, true]) {
        try {
          const p = createParser(body, ct, { strict });
          let n = 0;
          for (let k = p.next(); k !== 'eof'; k = p.next()) {
            if (k === 'series') {
              p.labels();
              p.exemplar();
              p.seriesText();
            } else if (k === 'help') p.helpText();
            assert.ok(++n < 1000, 'too many entries: hang?');
          }
        } catch (e) {
          if (!(e instanceof ParseError)) throw new Error(`${e} for ${JSON.stringify(body)}`);
          errors++;
        }
      }
    }
  }
  assert.ok(errors > 0);
});
