// The text/template language and its builtins: expected outputs follow Go's semantics.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expandTemplate,
  expandTemplateSyncOrAsync,
  parseTemplate,
  TemplateError,
} from '../../../core/template/mod.ts';
import { Labels } from '../../../core/model/mod.ts';

const DATA = {
  name: 'N',
  t: true,
  f: false,
  zero: 0,
  arr: [1, 2, 3],
  ints: [1n, 2n, 3n],
  empty: [],
  m: { b: '2', a: '1' },
  nested: { inner: { v: 'deep' } },
  labels: Labels.from({ job: 'node', instance: 'h:1' }),
  s: 'héllo',
  fn: (a: unknown, b: unknown) => `${a}+${b}`,
};

const OK: [string, string][] = [
  ['{{ .name }}', 'N'],
  ['{{ .nested.inner.v }}', 'deep'],
  ['{{ .missing }}', '<no value>'],
  ['{{ .missing.deeper }}', '<no value>'],
  ['{{ $.name }}', 'N'],
  ['{{ .labels.job }}/{{ .labels.nope }}|', 'node/|'],
  ['{{ .m }}', 'map[a:1 b:2]'],
  ['{{ .arr }} {{ .ints }} {{ .empty }}', '[1 2 3] [1 2 3] []'],
  ['{{ .labels }}', 'map[instance:h:1 job:node]'],
  ['{{ true }} {{ false }}', 'true false'],
  ['{{ 1e6 }} {{ 1000000 }} {{ 0.1 }} {{ 1.5 }} {{ 1.0 }}', '1e+06 1000000 0.1 1.5 1'],
  [
    '{{ 0.000012 }} {{ 123456789.0 }} {{ 100000.0 }} {{ 1e21 }}',
    '1.2e-05 1.23456789e+08 100000 1e+21',
  ],
  [
    '{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ -2 }} {{ +3 }}',
    '31 15 15 5 1000 -2 3',
  ],
  ["{{ 'a' }} {{ '\\n' }} {{ printf \"%c\" 'é' }}", '97 10 é'],
  ['{{ "a\\tb\\u00e9\\x41\\101" }}', 'a\tbéAA'],
  ['{{ `raw\\n` }}', 'raw\\n'],
  ['{{ "\\xc3\\xa9" }}', 'é'],
  ['a{{/* comment */}}b', 'ab'],
  ['a {{- /* comment */ -}} b', 'ab'],
  ['a  {{- 1 -}}  b', 'a1b'],
  ['{{- 1 }} \n {{- 2 -}} \n\t', '12'],
  ['x {{-3}}', 'x -3'],
  ['{{ (1) }}{{ ("s") }}', '1s'],
  ['{{ "x" | printf "%s-%s" "y" }}', 'y-x'],
  ['{{ $x := "a" }}{{ $x = "b" }}{{ $x }}', 'b'],
  ['{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}', '2'],
  ['{{ with .nested }}{{ $.name }}{{ .inner.v }}{{ end }}', 'Ndeep'],
  ['{{ if .t }}yes{{ end }}{{ if .f }}no{{ end }}', 'yes'],
  ['{{ if .zero }}a{{ else if .empty }}b{{ else if .name }}c{{ else }}d{{ end }}', 'c'],
  ['{{ if .missing }}a{{ else }}b{{ end }}', 'b'],
  ['{{ with .name }}hi {{ . }}{{ else }}anon{{ end }}', 'hi N'],
  ['{{ with .missing }}x{{ else }}none{{ end }}', 'none'],
  ['{{ with .missing }}x{{ else with .name }}{{ . }}{{ end }}', 'N'],
  ['{{ with $x := 5 }}{{ $x }}{{ . }}{{ end }}', '55'],
  ['{{ range .arr }}{{ . }},{{ end }}', '1,2,3,'],
  ['{{ range $i, $e := .arr }}{{ $i }}:{{ $e }} {{ end }}', '0:1 1:2 2:3 '],
  ['{{ range $e := .arr }}{{ $e }}{{ end }}', '123'],
  ['{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', 'a=1;b=2;'],
  ['{{ range .empty }}x{{ else }}none{{ end }}', 'none'],
  ['{{ range .missing }}x{{ else }}none{{ end }}', 'none'],
  ['{{ range .arr }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}', '1'],
  ['{{ range .arr }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}', '13'],
  ['{{ range 3 }}{{ . }}{{ end }}', '012'],
  ['{{ $i := 0 }}{{ range .arr }}{{ $i = . }}{{ end }}{{ $i }}', '3'],
  ['{{ range .arr }}{{ $.name }}{{ end }}', 'NNN'],
  ['{{ block "b" . }}default {{ .name }}{{ end }}', 'default N'],
  ['{{ define "T" }}[{{ . }}]{{ end }}{{ template "T" "x" }}{{ template "T" }}', '[x][<no value>]'],
  ['{{ define "T" }}{{ $ }}{{ end }}{{ template "T" .name }}', 'N'],
  [
    '{{ define "A" }}a{{ template "B" }}{{ end }}{{ define "B" }}b{{ end }}{{ template "A" }}',
    'ab',
  ],
  ['{{ and 1 0 }} {{ and 1 2 }} {{ or 0 "" "x" }} {{ or 0 "" }}|', '0 2 x |'],
  ['{{ and .missing .nope.x }}|{{ or .missing "d" }}', '<no value>|d'],
  ['{{ not 0 }} {{ not "x" }} {{ not .empty }}', 'true false true'],
  ['{{ "x" | and 1 }} {{ 0 | or 1 }}', 'x 1'],
  ['{{ len .s }} {{ len .arr }} {{ len .m }} {{ len .labels }}', '6 3 2 2'],
  [
    '{{ index .arr 1 }} {{ index .m "a" }} {{ index "abc" 1 }} {{ index .nested "inner" "v" }}',
    '2 1 98 deep',
  ],
  ['{{ index .labels "job" }}|{{ index .m "zz" }}', 'node|<no value>'],
  ['{{ index .arr }}', '[1 2 3]'],
  [
    '{{ slice "abcdef" 1 3 }} {{ slice .arr 1 }} {{ slice .arr }} {{ slice "héllo" 3 }}',
    'bc [2 3] [1 2 3] llo',
  ],
  ['{{ print 1 2 "a" "b" 3 }}', '1 2ab3'],
  ['{{ println 1 "a" }}', '1 a\n'],
  ['{{ print }}|{{ print nil }}', '|<nil>'],
  ['{{ html "<a href=\'x\'>&\\"</a>" }}', '&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;'],
  ['{{ js "it\'s <b>=\\\\" }}', "it\\'s \\u003Cb\\u003E\\u003D\\\\"],
  ['{{ urlquery "a b&c" }} {{ urlquery 1 2 }}', 'a+b%26c 1+2'],
  [
    '{{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ eq 1.5 1.5 }} {{ eq true false }}',
    'true true true false',
  ],
  [
    '{{ eq .missing "x" }} {{ eq .missing nil }} {{ ne 1 2 }} {{ ne "a" "a" }}',
    'false true true false',
  ],
  [
    '{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 1.5 }} {{ lt 2.5 1.5 }}',
    'true true true true false',
  ],
  ['{{ call .fn 1 "x" }}', '1+x'],
  ['{{ printf "%d %s" (len .arr) .name }}', '3 N'],
  ['{{ .name | printf "%q" }}', '"N"'],
  [
    '{{ printf "%T %T %T %T %T %T" 1 1.5 "s" true .m .labels }}',
    'int float64 string bool map[string]interface {} map[string]string',
  ],
];

const ERRORS: [string, string][] = [
  ['{{ end }}', 'template: t:1: unexpected {{end}}'],
  ['{{ else }}', 'template: t:1: unexpected {{else}}'],
  ['{{ if 1 }}', 'template: t:1: unexpected EOF'],
  ['{{ break }}', 'template: t:1: {{break}} outside {{range}}'],
  ['{{ 1 | 2 }}', 'template: t:1: non executable command in pipeline stage 2'],
  ['{{ nope }}', 'template: t:1: function "nope" not defined'],
  ['{{ $x }}', 'template: t:1: undefined variable "$x"'],
  ['{{ $x := 1 }}{{ define "t" }}{{ $x }}{{ end }}', 'template: t:1: undefined variable "$x"'],
  ['\n\n{{ if }}', 'template: t:3: missing value for if'],
  ['{{ "abc }}', 'template: t:1: unterminated quoted string'],
  ['{{ `abc }}', 'template: t:1: unterminated raw quoted string'],
  ['{{ 3k }}', 'template: t:1: bad number syntax: "3k"'],
  ['{{ ( 1 }}', 'template: t:1: unclosed left paren'],
  ['{{ 1 ) }}', 'template: t:1: unexpected right paren'],
  ['{{ /* x */ }}', 'template: t:1: unexpected "/" in command'],
  ['{{/* x }}', 'template: t:1: unclosed comment'],
  ['{{/* x */ 1 }}', 'template: t:1: comment ends before closing delimiter'],
  ['{{ @ }}', 'template: t:1: unexpected "@" in command'],
  [
    '{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}',
    'template: multiple definition of template "a"',
  ],
  ['{{ 99999999999999999999 }}', 'template: t:1: integer overflow: "99999999999999999999"'],
  ['{{ "a".x }}', 'unexpected . after term'],
  ['{{ range $i, $j, $k := . }}{{ end }}', 'too many declarations in range'],
];

const EXEC_ERRORS: [string, string][] = [
  [
    '{{ template "nope" }}',
    'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
  ],
  ['{{ .m.a "x" }}', 'executing "t" at <.m.a>: a is not a method but has arguments'],
  ['{{ nil }}', 'template: t:1:3: executing "t" at <nil>: nil is not a command'],
  ['{{ printf 1 }}', 'template: t:1:10: executing "t" at <1>: expected string; found 1'],
  ['{{ toUpper 1 }}', 'expected string; found 1'],
  ['{{ .zero | toUpper }}', 'wrong type for value; expected string; got float64'],
  ['{{ .missing | toUpper }}', 'invalid value; expected string'],
  ['{{ index .arr 5 }}', 'error calling index: index out of range: 5'],
  ['{{ index .arr 1.0 }}', 'error calling index: cannot index slice/array with type float64'],
  ['{{ index 1 1 }}', "error calling index: can't index item of type int"],
  ['{{ slice .arr 2 1 }}', 'error calling slice: invalid slice index: 2 > 1'],
  ['{{ len 3 }}', 'error calling len: len of type int'],
  ['{{ lt true false }}', 'error calling lt: invalid type for comparison'],
  ['{{ eq 1 }}', 'error calling eq: missing argument for comparison'],
  ['{{ eq 1 1.0 }}', 'error calling eq: incompatible types for comparison'],
  ['{{ eq .arr .arr }}', 'error calling eq: non-comparable type'],
  ['{{ not }}', 'wrong number of args for not: want 1 got 0'],
  ['{{ and }}', 'wrong number of args for and: want at least 1 got 0'],
  ['{{ .name.x }}', "can't evaluate field x in type string"],
  ['{{ range .name }}{{ end }}', "range can't iterate over N"],
  ['{{ range $i, $v := 3 }}{{ end }}', "can't use 3 to iterate over more than one variable"],
  ['{{ .fn }}', "at <{{.fn}}>: can't print {{.fn}} of type"],
  ['{{ . 1 }}', "can't give argument to non-function ."],
  [
    '{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}',
    'exceeded maximum template depth (500)',
  ],
  ['{{ call .name }}', 'error calling call: non-function of type string'],
  // Go reports a field chain at its last field, and columns in bytes.
  ['\n  {{ .name.x }}', 'template: t:2:10: executing "t" at <.name.x>'],
  ['é{{ .name.x }}', 'template: t:1:10: executing "t"'],
  ['é{{ .zero | toUpper }}', 'template: t:1:13: executing "t" at <toUpper>'],
];

describe('text/template language', () => {
  for (const [text, want] of OK) {
    test(text, async () => {
      assert.equal(await expandTemplate(text, DATA, { name: 't' }), want);
    });
  }
});

describe('parse errors', () => {
  for (const [text, want] of ERRORS) {
    test(text, () => {
      assert.throws(() => parseTemplate(text, 't'), (e: unknown) => {
        assert.ok(e instanceof TemplateError);
        assert.equal(e.phase, 'parse');
        assert.ok(e.message.includes(want), `${e.message} !~ ${want}`);
        return true;
      });
    });
  }
});

describe('execution errors', () => {
  for (const [text, want] of EXEC_ERRORS) {
    test(text, async () => {
      await assert.rejects(expandTemplate(text, DATA, { name: 't' }), (e: unknown) => {
        assert.ok(e instanceof TemplateError);
        assert.ok(e.message.startsWith('error executing template t: '), e.message);
        assert.ok(e.message.includes(want), `${e.message} !~ ${want}`);
        return true;
      });
    });
  }

  test('a throwing user function becomes an error naming it, never an uncaught exception', () => {
    const funcs = {
      boom: () => {
        throw new TypeError('kaput');
      },
    };
    assert.throws(() => expandTemplateSyncOrAsync('{{ boom }}', {}, { name: 't', funcs }), {
      name: 'TemplateError',
      message:
        'error executing template t: template: t:1:3: executing "t" at <boom>: error calling boom: kaput',
    });
  });
});

describe('functions', () => {
  test('user functions: plain, typed and asynchronous', async () => {
    const funcs = {
      join: (...a: unknown[]) => a.join('/'),
      twice: { params: ['string' as const], fn: (s: string) => s + s },
      later: async (s: unknown) => {
        await Promise.resolve();
        return `later:${s}`;
      },
    };
    assert.equal(
      await expandTemplate('{{ join "a" "b" }} {{ twice "x" }} {{ later "y" | twice }}', {}, {
        funcs,
      }),
      'a/b xx later:ylater:y',
    );
    await assert.rejects(
      expandTemplate('{{ twice 1 }}', {}, { funcs }),
      /expected string; found 1/,
    );
  });

  test('user functions override Prometheus functions', async () => {
    assert.equal(
      await expandTemplate('{{ humanize 1 }}', {}, { funcs: { humanize: () => 'h' } }),
      'h',
    );
  });

  test('parseTemplate knows user function names', () => {
    assert.throws(() => parseTemplate('{{ mine }}', 'x'), /function "mine" not defined/);
    const p = parseTemplate('{{ define "d" }}{{ mine }}{{ end }}', 'x', {
      funcs: { mine: () => 1 },
    });
    assert.deepEqual([...p.trees.keys()].sort(), ['d', 'x']);
  });

  test('struct methods can be called on class instances', async () => {
    class Point {
      constructor(readonly X: number, readonly Y: number) {}
      Sum(): number {
        return this.X + this.Y;
      }
      Scale(k: bigint): number {
        return this.X * Number(k);
      }
    }
    assert.equal(
      await expandTemplate('{{ .X }} {{ .Sum }} {{ .Scale 3 }}', new Point(1.5, 2)),
      '1.5 3.5 4.5',
    );
    await assert.rejects(
      expandTemplate('{{ .Z }}', new Point(1, 2)),
      /can't evaluate field Z in type Point/,
    );
  });
});
