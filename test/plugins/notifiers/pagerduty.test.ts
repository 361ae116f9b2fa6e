import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { type Notifier, NotifyError } from '../../../core/notify/mod.ts';
import pagerduty, {
  dedupKey,
  PAGERDUTY_EVENTS_URL,
  pagerdutyConfigSchema,
} from '../../../plugins/notifiers/pagerduty/mod.ts';
import { startRecorder } from '../../core/notify/recorder.ts';
import { notifyCtx, pluginCtx, twoAlerts } from './helpers.ts';

describe('pagerduty notifier', () => {
  test('schema: defaults and rules', () => {
    const c = v.parse(pagerdutyConfigSchema, { routing_key: 'k' });
    assert.equal(c.url, PAGERDUTY_EVENTS_URL);
    assert.equal(c.send_resolved, true);
    assert.equal(c.severity, 'error');
    assert.throws(() => v.parse(pagerdutyConfigSchema, {}), /one of routing_key/);
    assert.throws(() => v.parse(pagerdutyConfigSchema, { service_key: 'x' }), /Events API v1/);
  });

  test('dedup key is the SHA-256 of the group key', async () => {
    // sha256("") is the well-known e3b0c442… digest.
    assert.equal(
      await dedupKey(''),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  test("trigger with Alertmanager's default rendering, then resolve", async () => {
    const rec = await startRecorder();
    rec.okBody = '{"status":"success"}';
    try {
      const n = await pagerduty.create(
        v.parse(pagerdutyConfigSchema, {
          routing_key: 'R-KEY',
          url: `${rec.url}/v2/enqueue`,
          links: [{ href: '{{ .ExternalURL }}', text: 'Beacon' }],
        }),
        pluginCtx(),
      ) as Notifier;
      const [a, b] = twoAlerts();
      await n.notify(notifyCtx(), [{ ...a, endsAt: 0 }, b]);
      const key = await dedupKey('{}:{alertname="Down"}');
      assert.equal(rec.requests[0].path, '/v2/enqueue');
      assert.deepEqual(rec.requests[0].body, {
        routing_key: 'R-KEY',
        event_action: 'trigger',
        dedup_key: key,
        links: [{ href: 'http://beacon:9090', text: 'Beacon' }],
        client: 'Alertmanager',
        client_url: 'http://beacon:9090/#/alerts?receiver=team',
        payload: {
          summary: '[FIRING:1] Down (node)',
          source: 'Alertmanager',
          severity: 'error',
          custom_details: {
            firing:
              'Labels:\n - alertname = Down\n - instance = a\n - job = node\nAnnotations:\n - summary = a is down\nSource: http://beacon:9090/graph?g0.expr=up\n',
            resolved:
              'Labels:\n - alertname = Down\n - instance = b\n - job = node\nAnnotations:\n - summary = b is down\nSource: http://beacon:9090/graph?g0.expr=up\n',
            num_firing: '1',
            num_resolved: '1',
          },
        },
      });
      await n.notify(notifyCtx(), [b]);
      const resolve = rec.requests[1].body as { event_action: string; dedup_key: string };
      assert.equal(resolve.event_action, 'resolve');
      assert.equal(resolve.dedup_key, key);
    } finally {
      await rec.close();
    }
  });

  test('429 and 5xx are retryable, 400 is not', async () => {
    const rec = await startRecorder();
    try {
      const n = await pagerduty.create(
        v.parse(pagerdutyConfigSchema, {
          routing_key: 'k',
          url: rec.url,
          severity: '{{ .CommonLabels.job }}',
        }),
        pluginCtx(),
      ) as Notifier;
      rec.script = [429, 500, 400];
      for (const retry of [true, true, false]) {
        await assert.rejects(
          n.notify(notifyCtx(), twoAlerts()),
          (e: NotifyError) => e.retry === retry,
        );
      }
      assert.equal(
        (rec.requests[0].body as { payload: { severity: string } }).payload.severity,
        'node',
      );
    } finally {
      await rec.close();
    }
  });
});
