// The fallback template check: it finds the mistakes real rule files make and accepts the
// templates Prometheus accepts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_TEMPLATE_PRELUDE, basicTemplateCheck } from '../../../core/rules/mod.ts';

function problem(text: string): string | undefined {
  try {
    basicTemplateCheck(ALERT_TEMPLATE_PRELUDE + text, '__alert_X');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('basicTemplateCheck', () => {
  test('accepts valid templates', () => {
    for (
      const t of [
        'plain text',
        '{{ $labels.instance }} of {{ $labels.job }} is {{ $value | humanize }}',
        '{{ if gt $value 1.0 }}high{{ else if lt $value 0.5 }}low{{ else }}ok{{ end }}',
        '{{ range $i, $e := query "up" }}{{ $i }}={{ $e.Value }}{{ end }}',
        '{{- with $x := $labels.job -}}{{ $x }}{{- end -}}',
        '{{ "}}" }} {{ `{{$nope}}` }} {{/* a $comment }} */}}',
        '{{ define "t" }}x{{ end }}{{ template "t" . }}',
        '{{ $externalLabels.cluster }} {{ $externalURL }} {{ $.Labels }}',
        '{{ $v := 1 }}{{ $v = 2 }}{{ $v }}',
      ]
    ) assert.equal(problem(t), undefined, t);
  });

  test('rejects what Go rejects, with Go’s wording and line', () => {
    assert.equal(problem('{{ $label.foo }}'), 'template: __alert_X:1: undefined variable "$label"');
    assert.equal(problem('a\nb {{ .x'), 'template: __alert_X:2: unclosed action');
    assert.equal(problem('{{ end }}'), 'template: __alert_X:1: unexpected {{end}}');
    assert.equal(problem('{{ else }}'), 'template: __alert_X:1: unexpected {{else}}');
    assert.equal(problem('{{ if 1 }}x\n'), 'template: __alert_X:2: unexpected EOF');
    assert.equal(problem('{{ "abc }}'), 'template: __alert_X:1: unclosed action');
  });
});
