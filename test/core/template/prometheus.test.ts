// Prometheus's template functions and expander, with expectations taken from the facts of
// upstream's template/template_test.go (inputs, outputs and error texts), written as our own table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertTemplateData,
  expandAlertTemplate,
  expandTemplate,
  expandTemplateSyncOrAsync,
  type QuerySample,
  TemplateError,
} from '../../../core/template/mod.ts';
import { Labels } from '../../../core/model/mod.ts';

const EXT = 'http://testhost:9090/path/prefix';
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

interface Case {
  text: string;
  output?: string;
  input?: unknown;
  query?: QuerySample[];
  error?: string;
}

const metric = (labels: Record<string, string>, value: number): QuerySample => ({
  labels: Labels.from({ __name__: 'metric', ...labels }),
  value,
});

const CASES: Case[] = [
  { text: 'plain text', output: 'plain text' },
  { text: '{{ 1 }}', output: '1' },
  {
    text: '{{ \u00a0}}',
    error:
      'error parsing template test: template: test:1: unrecognized character in action: U+00A0',
  },
  { text: '{{ "<b>" }}', output: '<b>' },
  { text: '{{ "<b>" | safeHtml }}', output: '<b>' },
  {
    text: '{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}',
    output: '1 2',
  },
  { text: '{{ query "1.5" | first | value }}', query: [{ labels: {}, value: 1.5 }], output: '1.5' },
  {
    text: `{{ query "metric{instance='a'}" | first | value }}`,
    query: [metric({ instance: 'a' }, 11)],
    output: '11',
  },
  {
    text: `{{ query "metric{instance='a'}" | first | label "instance" }}`,
    query: [metric({ instance: 'a' }, 11)],
    output: 'a',
  },
  {
    text: `{{ query "metric{__value__='a'}" | first | strvalue }}`,
    query: [metric({ __value__: 'a' }, 11)],
    output: 'a',
  },
  {
    text: `{{ query "metric{instance='a'}" | first | label "foo" }}`,
    query: [metric({ instance: 'a' }, 11)],
    output: '',
  },
  {
    text: '{{ $x := query "metric" | first }}{{ $x.Labels.foo }}',
    query: [metric({ instance: 'a' }, 11)],
    output: '',
  },
  {
    text:
      '{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}',
    query: [metric({ instance: 'b' }, 21), metric({ instance: 'a' }, 11)],
    output: 'a:11: b:21: ',
  },
  { text: '{{ "foo.example.com" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "foo.example.com:12345" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "192.0.2.1" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "2001:0DB8::1" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripPort }}', output: '[2001:0DB8::1]::12345' },
  { text: '{{ .Foo }}', output: '<no value>' },
  { text: '{{', error: 'error parsing template test: template: test:1: unclosed action' },
  {
    text: '{{ query "missing" | first }}',
    query: [],
    error:
      'error executing template test: template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements',
  },
  {
    text: '{{ (query "missing").banana }}',
    query: [],
    error:
      'error executing template test: template: test:1:10: executing "test" at <"missing">: can\'t evaluate field banana in type template.queryResult',
  },
  { text: '{{ reReplaceAll "(a)b" "x$1" "ab" }}', output: 'xa' },
  {
    text: '{{ range . }}{{ humanize . }}:{{ end }}',
    input: [0.0, 1.0, 1234567.0, .12],
    output: '0:1:1.235M:120m:',
  },
  {
    text: '{{ range . }}{{ humanize . }}:{{ end }}',
    input: ['0.0', '1.0', '1234567.0', '.12'],
    output: '0:1:1.235M:120m:',
  },
  {
    text: '{{ humanize "one" }}',
    error:
      'error executing template test: template: test:1:3: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanize . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n, MAX_INT64],
    output: '0:-1:1:1.235M:9.223E:',
  },
  {
    text: '{{ range . }}{{ humanize . }}:{{ end }}',
    input: [0n, 1n, 1234567n, MAX_UINT64],
    output: '0:1:1.235M:18.45E:',
  },
  {
    text: '{{ range . }}{{ humanize1024 . }}:{{ end }}',
    input: [0.0, 1.0, 1048576.0, .12],
    output: '0:1:1Mi:0.12:',
  },
  {
    text: '{{ range . }}{{ humanize1024 . }}:{{ end }}',
    input: ['0.0', '1.0', '1048576.0', '.12'],
    output: '0:1:1Mi:0.12:',
  },
  {
    text: '{{ humanize1024 "one" }}',
    error:
      'error executing template test: template: test:1:3: executing "test" at <humanize1024 "one">: error calling humanize1024: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanize1024 . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n, MAX_INT64],
    output: '0:-1:1:1.177Mi:8Ei:',
  },
  {
    text: '{{ range . }}{{ humanize1024 . }}:{{ end }}',
    input: [0n, 1n, 1234567n, MAX_UINT64],
    output: '0:1:1.177Mi:16Ei:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: [0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99],
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: ['0', '1', '60', '3600', '86400'],
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: [.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345],
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: ['.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'],
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ humanizeDuration "one" }}',
    error:
      'error executing template test: template: test:1:3: executing "test" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n],
    output: '0s:-1s:1s:14d 6h 56m 7s:',
  },
  {
    text:
      '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: [Infinity, -Infinity, NaN],
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text:
      '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: ['+Inf', '-Inf', 'NaN'],
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text:
      '{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n, MAX_INT64],
    output: '0%:-100%:100%:1.235e+08%:9.223e+20%:',
  },
  {
    text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}',
    input: [0n, 1n, 1234567n, MAX_UINT64],
    output: '0%:100%:1.235e+08%:1.845e+21%:',
  },
  {
    text:
      '{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "0.1234567" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    text: '{{ "one" | humanizePercentage }}',
    error:
      'error executing template test: template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n, 9223372036n],
    output:
      '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [MIN_INT64, MAX_INT64],
    error:
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [MAX_UINT64],
    error:
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  { text: '{{ 1435065584.128 | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  {
    text: '{{ "1435065584.128" | humanizeTimestamp }}',
    output: '2015-06-23 13:19:44.128 +0000 UTC',
  },
  { text: '{{ (1435065584.128 | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ ("1435065584.128" | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ "aa bb CC" | title }}', output: 'Aa Bb CC' },
  { text: '{{ "aa bb CC" | toUpper }}', output: 'AA BB CC' },
  { text: '{{ "aA bB CC" | toLower }}', output: 'aa bb cc' },
  { text: '{{ match "a+" "aa" }} {{ match "a+" "b" }}', output: 'true false' },
  { text: '{{ graphLink "up" }}', output: '/graph?g0.expr=up&g0.tab=0' },
  { text: '{{ tableLink "up" }}', output: '/graph?g0.expr=up&g0.tab=1' },
  { text: '{{ pathPrefix }}', output: '/path/prefix' },
  { text: '{{ externalURL }}', output: EXT },
  { text: '{{ printf "%0.2f" (parseDuration "1h2m10ms") }}', output: '3720.01' },
  { text: '{{ "foo.example.com" | stripDomain }}', output: 'foo' },
  { text: '{{ "foo.example.com:12345" | stripDomain }}', output: 'foo:12345' },
  { text: '{{ "192.0.2.1" | stripDomain }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripDomain }}', output: '192.0.2.1:12345' },
  { text: '{{ "2001:0DB8::1" | stripDomain }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripDomain }}', output: '[2001:0DB8::1]:12345' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripDomain }}', output: '[2001:0DB8::1]::12345' },
  // Beyond upstream's table.
  {
    text: '{{ graphLink "rate(x{a=\\"b c\\"}[5m])" }}',
    output: '/graph?g0.expr=rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29&g0.tab=0',
  },
  { text: '{{ urlQueryEscape "a b/c?d" }}', output: 'a+b%2Fc%3Fd' },
  { text: '{{ now }}', output: '1.7e+09' },
  { text: '{{ now | humanizeTimestamp }}', output: '2023-11-14 22:13:20 +0000 UTC' },
  {
    text: '{{ (now | toTime).Format "2006-01-02T15:04:05Z07:00" }}',
    output: '2023-11-14T22:13:20Z',
  },
  { text: '{{ 90 | toDuration }}', output: '1m30s' },
  { text: '{{ (parseDuration "1h2m10ms" | toDuration) }}', output: '1h2m0.01s' },
  { text: '{{ (toDuration 0.0015).String }}', output: '1.5ms' },
  { text: '{{ parseDuration "1x" }}', error: 'not a valid duration string: "1x"' },
  { text: '{{ humanize 0.000001234 }}', output: '1.234u' },
  { text: '{{ humanize 1e30 }}', output: '1e+06Y' },
  { text: '{{ humanize -1500 }}', output: '-1.5k' },
  { text: '{{ humanize1024 1023.0 }}', output: '1023' },
  { text: '{{ humanize1024 1024.0 }}', output: '1ki' },
  { text: '{{ humanizeDuration 0.0000001 }}', output: '100ns' },
  { text: '{{ humanizeDuration 3600.5 }}', output: '1h 0m 0s' },
  { text: '{{ humanize true }}', error: "can't convert bool to float" },
  { text: '{{ reReplaceAll "a*" "-" "baaac" }}', output: '-b-c-' },
  { text: '{{ reReplaceAll "(?P<host>[^:]+):(\\\\d+)" "$host/${2}x" "h:80" }}', output: 'h/80x' },
  { text: '{{ reReplaceAll "(a)" "$1x" "a" }}', output: '' },
  { text: '{{ reReplaceAll "(a)" "$$1" "a" }}', output: '$1' },
  {
    text: '{{ reReplaceAll "(" "" "" }}',
    error:
      'error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`',
  },
  { text: '{{ match "^a.b$" "a\\nb" }}', output: 'false' },
  {
    text: '{{ match "(" "" }}',
    error: 'error calling match: error parsing regexp: missing closing ): `(`',
  },
  { text: '{{ "hello wORLD-foo_bar ünï" | title }}', output: 'Hello WORLD-Foo_bar Ünï' },
  { text: '{{ "straße" | toUpper }}', output: 'STRAßE' },
  { text: '{{ "foo.bar" | stripDomain }}', output: 'foo' },
  { text: '{{ "localhost:9090" | stripDomain }}', output: 'localhost:9090' },
  {
    text: '{{ with query "up" }}{{ range . }}{{ .Labels.job }}={{ .Value }} {{ end }}{{ end }}',
    query: [
      { labels: { job: 'a' }, value: 1 },
      { labels: { job: 'b' }, value: 0 },
    ],
    output: 'a=1 b=0 ',
  },
  {
    text: '{{ with query "x" }}{{ . | first | value | humanize }}{{ else }}none{{ end }}',
    query: [],
    output: 'none',
  },
  { text: '{{ len (query "x") }}', query: [{ labels: {}, value: 1 }], output: '1' },
  { text: '{{ value "x" }}', error: 'can\'t handle "x" for arg of type *template.sample' },
  {
    text: '{{ "x" | value }}',
    error: 'wrong type for value; expected *template.sample; got string',
  },
];

describe('Prometheus template expansion (upstream template_test.go facts)', () => {
  for (const c of CASES) {
    test(c.text, async () => {
      const queries: string[] = [];
      const opts = {
        name: 'test',
        externalURL: EXT,
        now: 1_700_000_000_000,
        query: (q: string, t: number) => {
          queries.push(q);
          assert.equal(t, 1_700_000_000_000);
          return Promise.resolve(c.query ?? []);
        },
      };
      if (c.error !== undefined) {
        await assert.rejects(expandTemplate(c.text, c.input, opts), (e: unknown) => {
          assert.ok(e instanceof TemplateError, String(e));
          if (/^error (executing|parsing)/.test(c.error!)) assert.equal(e.message, c.error);
          else assert.ok(e.message.includes(c.error!), e.message);
          return true;
        });
        return;
      }
      assert.equal(await expandTemplate(c.text, c.input, opts), c.output);
    });
  }

  test('missingkey=error reports the key', async () => {
    await assert.rejects(
      expandTemplate('{{ .Foo }}', undefined, { name: 'test', missingKey: 'error' }),
      {
        message:
          'error executing template test: template: test:1:3: executing "test" at <.Foo>: nil data; no entry for key "Foo"',
      },
    );
  });

  test('templates without query run synchronously; query makes them asynchronous', () => {
    const sync = expandTemplateSyncOrAsync('{{ 1 | humanize }}', undefined);
    assert.equal(sync, '1');
    const q = expandTemplateSyncOrAsync('{{ query "up" | len }}', undefined, {
      query: () => [],
    });
    assert.ok(q instanceof Promise);
    return q.then((v) => assert.equal(v, '0'));
  });

  test('query without a query function fails cleanly', async () => {
    await assert.rejects(expandTemplate('{{ query "up" }}', undefined), TemplateError);
  });

  test('a rejecting query becomes a TemplateError naming the call', async () => {
    await assert.rejects(
      expandTemplate('{{ query "up" }}', undefined, {
        name: 't',
        query: () => Promise.reject(new Error('engine down')),
      }),
      {
        name: 'TemplateError',
        message:
          'error executing template t: template: t:1:3: executing "t" at <query "up">: error calling query: engine down',
      },
    );
  });
});

describe('alert templates', () => {
  const data = alertTemplateData(
    { alertname: 'HighLatency', instance: 'host-1.example.com:9100', job: 'node' },
    { cluster: 'eu-1' },
    'http://prom.example.com:9090',
    0.4567,
  );
  const expand = (text: string) => expandAlertTemplate(text, data, { name: '__alert_HighLatency' });

  test('$labels, $externalLabels, $externalURL and $value', async () => {
    assert.equal(
      await expand(
        '{{ $labels.instance }} of {{ $labels.job }} in {{ $externalLabels.cluster }}: ' +
          '{{ $value | humanizePercentage }} ({{ $value }}) {{ $externalURL }}',
      ),
      'host-1.example.com:9100 of node in eu-1: 45.67% (0.4567) http://prom.example.com:9090',
    );
  });

  test('missing labels are empty strings, as in a Go map[string]string', async () => {
    assert.equal(await expand('[{{ $labels.nope }}][{{ .ExternalLabels.nope }}]'), '[][]');
  });

  test('dot is the data struct', async () => {
    assert.equal(await expand('{{ .Labels.alertname }} {{ .Value }}'), 'HighLatency 0.4567');
  });

  test('range over labels is sorted by name', async () => {
    assert.equal(
      await expand('{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}'),
      'alertname=HighLatency;instance=host-1.example.com:9100;job=node;',
    );
  });

  test('an unknown field is an error with the position in the prefixed text', async () => {
    await assert.rejects(expand('{{ .Foo }}'), {
      name: 'TemplateError',
      message:
        'error executing template __alert_HighLatency: template: __alert_HighLatency:1:115: executing "__alert_HighLatency" at <.Foo>: can\'t evaluate field Foo in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }',
    });
  });

  test('comparing $value with an int literal fails as in Go; with a float it works', async () => {
    await assert.rejects(
      expand('{{ if gt $value 0 }}x{{ end }}'),
      /incompatible types for comparison/,
    );
    assert.equal(await expand('{{ if gt $value 0.4 }}high{{ end }}'), 'high');
  });

  test('Labels instances and records are both accepted', async () => {
    const d = alertTemplateData(Labels.from({ a: '1' }), Labels.from({}), '', 1e6);
    assert.equal(await expandAlertTemplate('{{ $labels.a }} {{ $value }}', d), '1 1e+06');
  });
});
