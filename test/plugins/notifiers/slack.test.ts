import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { type Notifier, NotifyError } from '../../../core/notify/mod.ts';
import slack, { slackConfigSchema } from '../../../plugins/notifiers/slack/mod.ts';
import { startRecorder } from '../../core/notify/recorder.ts';
import { notifyCtx, pluginCtx, twoAlerts } from './helpers.ts';

describe('slack notifier', () => {
  test('schema: Alertmanager defaults', () => {
    const c = v.parse(slackConfigSchema, { api_url: 'http://x' });
    assert.equal(c.send_resolved, false);
    assert.deepEqual(c.mrkdwn_in, ['fallback', 'pretext', 'text']);
    assert.throws(
      () => v.parse(slackConfigSchema, { channel: '#x' }),
      /one of api_url or api_url_file/,
    );
  });

  test("posts the incoming-webhook message with Alertmanager's default rendering", async () => {
    const rec = await startRecorder();
    try {
      const n = await slack.create(
        v.parse(slackConfigSchema, { api_url: `${rec.url}/services/T/B/X`, channel: '#alerts' }),
        pluginCtx(),
      ) as Notifier;
      const [a, b] = twoAlerts();
      await n.notify(notifyCtx(), [{ ...a, endsAt: 0 }, b]);
      assert.equal(rec.requests[0].path, '/services/T/B/X');
      assert.deepEqual(rec.requests[0].body, {
        channel: '#alerts',
        username: 'Alertmanager',
        attachments: [{
          title: '[FIRING:1] Down (node)',
          title_link: 'http://beacon:9090/#/alerts?receiver=team',
          text: '',
          fallback: '[FIRING:1] Down (node) | http://beacon:9090/#/alerts?receiver=team',
          color: 'danger',
          mrkdwn_in: ['fallback', 'pretext', 'text'],
        }],
      });
    } finally {
      await rec.close();
    }
  });

  test('templated fields, resolved colour, app token', async () => {
    const rec = await startRecorder();
    rec.okBody = '{"ok":true}';
    try {
      const n = await slack.create(
        v.parse(slackConfigSchema, {
          app_token: 'xoxb-1',
          app_url: `${rec.url}/api/chat.postMessage`,
          channel: '#{{ .CommonLabels.job }}',
          title: '{{ .Status | toUpper }} {{ .GroupLabels.alertname }}',
          text: '{{ range .Alerts }}{{ .Annotations.summary }};{{ end }}',
          fields: [{ title: 'job', value: '{{ .CommonLabels.job }}' }],
          short_fields: true,
        }),
        pluginCtx(),
      ) as Notifier;
      await n.notify(notifyCtx(), [twoAlerts()[1]]);
      const r = rec.requests[0];
      assert.equal(r.headers.get('authorization'), 'Bearer xoxb-1');
      const body = r.body as { channel: string; attachments: Record<string, unknown>[] };
      assert.equal(body.channel, '#node');
      assert.equal(body.attachments[0].title, 'RESOLVED Down');
      assert.equal(body.attachments[0].text, 'b is down;');
      assert.equal(body.attachments[0].color, 'good');
      assert.deepEqual(body.attachments[0].fields, [{ title: 'job', value: 'node', short: true }]);
    } finally {
      await rec.close();
    }
  });

  test('an error answer from the Web API fails without retry; 5xx is retryable', async () => {
    const rec = await startRecorder();
    rec.okBody = '{"ok":false,"error":"channel_not_found"}';
    try {
      const n = await slack.create(
        v.parse(slackConfigSchema, { api_url: rec.url }),
        pluginCtx(),
      ) as Notifier;
      await assert.rejects(
        n.notify(notifyCtx(), twoAlerts()),
        (e: NotifyError) => !e.retry && /channel_not_found/.test(e.message),
      );
      rec.script = [502];
      await assert.rejects(n.notify(notifyCtx(), twoAlerts()), (e: NotifyError) => e.retry);
    } finally {
      await rec.close();
    }
  });
});
