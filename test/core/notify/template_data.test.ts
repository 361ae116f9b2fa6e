import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../../core/model/mod.ts';
import {
  expandNotification,
  goTimeJSON,
  newAlert,
  notificationData,
  quoteMeta,
} from '../../../core/notify/mod.ts';

const now = Date.UTC(2026, 0, 1, 12);
const data = (alerts = [
  newAlert({
    labels: { alertname: 'Down', job: 'node', instance: 'a' },
    annotations: { summary: 'S' },
    startsAt: now - 1000,
  }),
  newAlert({
    labels: { alertname: 'Down', job: 'node', instance: 'b' },
    annotations: { summary: 'S' },
    startsAt: now - 1000,
    endsAt: now - 1,
  }),
]) =>
  notificationData({
    receiver: 'team.x',
    groupLabels: Labels.from({ alertname: 'Down' }),
    externalURL: 'http://beacon:9090',
    now,
  }, alerts);

describe('notification template data', () => {
  test("Alertmanager's data model", () => {
    const d = data();
    assert.equal(d.Status, 'firing');
    assert.equal(d.Receiver, 'team\\.x', 'receiver is regexp-quoted as in Alertmanager');
    assert.deepEqual(d.CommonLabels.toJSON(), { alertname: 'Down', job: 'node' });
    assert.deepEqual(d.CommonAnnotations.toJSON(), { summary: 'S' });
    assert.deepEqual(d.Alerts.map((a) => a.Status), ['firing', 'resolved']);
    assert.equal(d.Alerts.Firing().length, 1);
    assert.match(d.Alerts[0].Fingerprint, /^[0-9a-f]{16}$/);
  });

  test("Alertmanager's method calls on slices and maps", async () => {
    const d = data();
    assert.equal(
      await expandNotification(
        '{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }} ' +
          '{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}' +
          '{{ .GroupLabels.Names }} {{ .CommonLabels.Values }} ' +
          '{{ .CommonLabels.Remove .GroupLabels.Names }} ' +
          '{{ range .Alerts.Firing }}{{ .Labels.instance }}{{ end }}',
        d,
      ),
      '1/1 alertname=Down job=node [alertname] [Down node] map[job:node] a',
    );
    // JavaScript's own lower-case Map and Array methods are not template methods.
    await assert.rejects(expandNotification('{{ .Alerts.filter }}', d));
    assert.equal(await expandNotification('{{ .CommonLabels.get }}', d), '<no value>');
  });

  test('the default Slack title and fallback', async () => {
    const d = data();
    assert.equal(
      await expandNotification('{{ template "slack.default.title" . }}', d),
      '[FIRING:1] Down (node)',
    );
    assert.equal(
      await expandNotification('{{ template "slack.default.fallback" . }}', d),
      '[FIRING:1] Down (node) | http://beacon:9090/#/alerts?receiver=team%5C.x',
    );
    const resolved = data([
      newAlert({ labels: { alertname: 'Down' }, startsAt: 1, endsAt: now - 1 }),
    ]);
    assert.equal(
      await expandNotification('{{ template "slack.default.title" . }}', resolved),
      '[RESOLVED] Down ',
    );
  });

  test("the alert list of PagerDuty's details", async () => {
    const out = await expandNotification(
      '{{ template "pagerduty.default.instances" (firing .Alerts) }}',
      data(),
    );
    assert.equal(
      out,
      'Labels:\n - alertname = Down\n - instance = a\n - job = node\nAnnotations:\n - summary = S\nSource: \n',
    );
  });

  test('user templates see the fields and helpers', async () => {
    const out = await expandNotification(
      '{{ .CommonLabels.job }} {{ len .Alerts }} {{ range .Alerts }}{{ .Labels.instance }}:{{ .Status }} {{ end }}' +
        '{{ join "," (names .CommonLabels) }}',
      data(),
    );
    assert.equal(out, 'node 2 a:firing b:resolved alertname,job');
  });

  test('helpers', () => {
    assert.equal(quoteMeta('a.b*c'), 'a\\.b\\*c');
    assert.equal(goTimeJSON(0), '0001-01-01T00:00:00Z');
    assert.equal(goTimeJSON(Date.UTC(2026, 0, 1, 0, 0, 10)), '2026-01-01T00:00:10Z');
    assert.equal(goTimeJSON(Date.UTC(2026, 0, 1, 0, 0, 0, 120)), '2026-01-01T00:00:00.12Z');
  });
});
