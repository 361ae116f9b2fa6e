// Alert templates as real rule files write them: the promtool test data
// (../shared/testdata/promtool/*.yml) and common community alert annotations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  alertTemplateData,
  expandAlertTemplate,
  TemplateError,
} from '../../../core/template/mod.ts';

const dir = fileURLToPath(new URL('../../../../shared/testdata/promtool/', import.meta.url));

interface Rule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function alertRules(file: string): Rule[] {
  const text = readFileSync(path.join(dir, file), 'utf8');
  // Only files with templates matter; skipping the rest keeps large fixtures out of YAML parsing.
  if (!text.includes('{{')) return [];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return [];
  }
  const groups = (doc as { groups?: { rules?: Rule[] }[] } | null)?.groups;
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) => (Array.isArray(g?.rules) ? g.rules : [])).filter((r) =>
    typeof r?.alert === 'string'
  );
}

const data = alertTemplateData(
  { alertname: 'InstanceDown', instance: 'node-1.example.com:9100', job: 'node' },
  { cluster: 'eu-1' },
  'http://prometheus.example.com:9090',
  0,
);

describe('promtool rule files', () => {
  if (!existsSync(dir)) {
    if (process.env.CI === 'true') test('testdata present', () => assert.fail(`missing ${dir}`));
    else test('skipped: ../shared/testdata/promtool is absent', () => {});
    return;
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  let templates = 0;
  for (const file of files) {
    for (const rule of alertRules(file)) {
      const texts = { ...rule.labels, ...rule.annotations };
      for (const [key, text] of Object.entries(texts)) {
        if (typeof text !== 'string' || !text.includes('{{')) continue;
        templates++;
        test(`${file} ${rule.alert} ${key}`, async () => {
          const run = expandAlertTemplate(text, data, { name: `__alert_${rule.alert}` });
          if (file === 'rules-bad.yml' && text.includes('$label.')) {
            // promtool check rules rejects this file for exactly this template.
            await assert.rejects(run, (e: unknown) => {
              assert.ok(e instanceof TemplateError);
              assert.equal(
                e.message,
                `error parsing template __alert_${rule.alert}: template: __alert_${rule.alert}:1: undefined variable "$label"`,
              );
              return true;
            });
            return;
          }
          const out = await run;
          assert.ok(!out.includes('{{'), out);
          assert.ok(!out.includes('<no value>'), out);
        });
      }
    }
  }
  test('found the templated annotations', () => assert.ok(templates >= 6, String(templates)));

  test('rules.yml description renders as Prometheus renders it', async () => {
    const rule = alertRules('rules.yml').find((r) => r.alert === 'InstanceDown')!;
    assert.equal(
      await expandAlertTemplate(rule.annotations!.description, data),
      'node-1.example.com:9100 of job node has been down for more than 5 minutes.',
    );
  });
});

describe('community alert annotations', () => {
  const disk = alertTemplateData(
    {
      alertname: 'HostOutOfDiskSpace',
      device: '/dev/sda1',
      instance: 'host-1:9100',
      job: 'node',
      mountpoint: '/',
    },
    {},
    'http://prom:9090',
    7.123456,
  );
  const CASES: [string, string][] = [
    [
      'Filesystem on {{ $labels.device }} at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left.',
      'Filesystem on /dev/sda1 at host-1:9100 has only 7.12% available space left.',
    ],
    [
      'Disk is almost full (< 10% left)\n  VALUE = {{ $value }}\n  LABELS = {{ $labels }}',
      'Disk is almost full (< 10% left)\n  VALUE = 7.123456\n  LABELS = map[alertname:HostOutOfDiskSpace device:/dev/sda1 instance:host-1:9100 job:node mountpoint:/]',
    ],
    ['{{ $value | humanize }}B free', '7.123B free'],
    ['{{ if gt $value 10.0 }}warning{{ else }}critical{{ end }}', 'critical'],
    ['{{ reReplaceAll ":[0-9]+$" "" $labels.instance }}', 'host-1'],
    ['{{ $labels.instance | stripPort | toUpper }}', 'HOST-1'],
    [
      '{{ range $k, $v := $labels }}{{ if ne $k "alertname" }}{{ $k }}={{ $v }} {{ end }}{{ end }}',
      'device=/dev/sda1 instance=host-1:9100 job=node mountpoint=/ ',
    ],
    [
      '{{ $externalURL }}{{ graphLink "node_filesystem_avail_bytes" }}',
      'http://prom:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=0',
    ],
    [
      '{{- /* trimmed */ -}}\n{{ with $labels.mountpoint }}mount {{ . }}{{ end }}\n',
      'mount /\n',
    ],
    ['{{ $value | printf "%.1f" }} of {{ 100 }}', '7.1 of 100'],
    [
      '{{ with printf "node_uname_info{instance=%q}" $labels.instance | query }}{{ . | first | label "nodename" }}{{ end }}',
      'host-1.internal',
    ],
  ];
  for (const [text, want] of CASES) {
    test(text, async () => {
      const got = await expandAlertTemplate(text, disk, {
        name: '__alert_HostOutOfDiskSpace',
        query: (q) => {
          assert.equal(q, 'node_uname_info{instance="host-1:9100"}');
          return Promise.resolve([{
            labels: { __name__: 'node_uname_info', nodename: 'host-1.internal' },
            value: 1,
          }]);
        },
      });
      assert.equal(got, want);
    });
  }
});
