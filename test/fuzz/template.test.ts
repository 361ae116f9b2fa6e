/** Property tests of the template engine: any template expands or fails with `TemplateError`. */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ALERT_TEMPLATE_PREFIX,
  alertTemplateData,
  expandTemplate,
  TemplateError,
} from '../../core/template/mod.ts';
import { onlyRejects, params } from './fuzz_helpers.ts';

const data = alertTemplateData(
  { alertname: 'HighLatency', instance: 'db-1:9100', job: 'node', severity: 'page' },
  { region: 'eu' },
  'http://beacon.example:9090/prefix',
  0.731,
);

function query(expr: string) {
  if (expr.includes('fail')) throw new Error('query failed');
  if (expr.includes('empty')) return [];
  return [
    { labels: { __name__: 'up', instance: 'a:1' }, value: 1 },
    { labels: { __name__: 'up', instance: 'b:2' }, value: 0 },
  ];
}

async function clean(text: string): Promise<void> {
  for (const t of [text, ALERT_TEMPLATE_PREFIX + text]) {
    await onlyRejects(
      () => expandTemplate(t, data, { name: 'fuzz', query, now: 1_700_000_000_000 }),
      TemplateError,
    );
  }
}

const FUNCS = [
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toDuration',
  'parseDuration',
  'title',
  'toUpper',
  'toLower',
  'stripPort',
  'stripDomain',
  'safeHtml',
  'urlQueryEscape',
  'graphLink',
  'tableLink',
  'first',
  'value',
  'strvalue',
  'label "instance"',
  'sortByLabel "instance"',
  'match "a.*"',
  'reReplaceAll "(.)" "$1x"',
  'printf "%v"',
  'printf "%5.2f %s %d %q %x %e %g %%"',
  'printf "%*d" 3',
  'print',
  'println',
  'len',
  'index',
  'slice',
  'html',
  'js',
  'urlquery',
  'not',
  'and 1',
  'or 0',
  'eq 1',
  'lt 2',
  'query',
  'args',
  'nofunc',
  'call',
];
const operand = fc.constantFrom(
  '.',
  '.Labels',
  '.Labels.instance',
  '.Value',
  '.ExternalURL',
  '.Nope.nope',
  '$labels.job',
  '$value',
  '$',
  '$x',
  '1',
  '-1.5',
  '1e300',
  '0x1F',
  "'a'",
  '"up"',
  '"fail"',
  '"empty"',
  '`raw`',
  'true',
  'nil',
  '"3600"',
  '"1h"',
  '"x:80"',
  '(query "up")',
  '(query "up" | first)',
);
const pipeline = fc.tuple(operand, fc.array(fc.constantFrom(...FUNCS), { maxLength: 3 })).map((
  [o, fs],
) => [o, ...fs].join(' | '));

/** Template bodies from actions that mostly nest properly. */
const template = fc.letrec<{ body: string }>((tie) => ({
  body: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 6 }),
    pipeline.map((p) => `{{${p}}}`),
    pipeline.map((p) => `{{- $x := ${p} -}}`),
    fc.tuple(pipeline, tie('body'), tie('body')).map(([p, a, b]) =>
      `{{if ${p}}}${a}{{else}}${b}{{end}}`
    ),
    fc.tuple(pipeline, tie('body')).map(([p, a]) => `{{range $i, $v := ${p}}}${a}{{end}}`),
    fc.tuple(pipeline, tie('body')).map(([p, a]) => `{{with ${p}}}${a}{{end}}`),
    fc.tuple(tie('body'), tie('body')).map(([a, b]) => a + b),
    tie('body').map((a) => `{{define "t"}}${a}{{end}}{{template "t" .}}`),
    fc.constantFrom(
      '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}',
      '{{/* c */}}',
      '{{break}}',
      '{{continue}}',
      '{{end}}',
      '{{',
      '}}',
      '{{"unterminated}}',
      '{{block "b" .}}x{{end}}',
      '{{range 3}}{{.}}{{end}}',
      '{{range $i := 5}}{{break}}{{end}}',
    ),
  ),
})).body;

describe('template engine (fuzz)', () => {
  test('structured templates', async () => {
    await fc.assert(fc.asyncProperty(template, clean), params(2));
  });

  test('arbitrary strings with braces', async () => {
    const text = fc.array(
      fc.oneof(
        fc.constantFrom('{{', '}}', '-', ' ', '|', '$', '.', '"', ':='),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 12 },
    ).map((xs) => xs.join(''));
    await fc.assert(fc.asyncProperty(text, clean), params(2));
  });
});
