import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SCRAPE_PROTOCOLS,
  isScrapeProtocol,
  negotiate,
  OPENMETRICS_0_0_1_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  parseAccept,
  scrapeAcceptHeader,
  TEXT_CONTENT_TYPE,
} from '../../../core/exposition/negotiate.ts';

describe('negotiate', () => {
  const table: [string | null | undefined, string][] = [
    [undefined, TEXT_CONTENT_TYPE],
    [null, TEXT_CONTENT_TYPE],
    ['', TEXT_CONTENT_TYPE],
    ['*/*', TEXT_CONTENT_TYPE],
    ['text/html,application/xhtml+xml,*/*;q=0.8', TEXT_CONTENT_TYPE],
    ['text/plain', TEXT_CONTENT_TYPE],
    ['text/plain;version=0.0.4', TEXT_CONTENT_TYPE],
    ['text/plain;version=1.0.0;escaping=allow-utf-8', TEXT_CONTENT_TYPE],
    ['text/plain;version=9.9.9', TEXT_CONTENT_TYPE],
    ['application/openmetrics-text;version=1.0.0', OPENMETRICS_CONTENT_TYPE],
    ['application/openmetrics-text; version="1.0.0"; charset=utf-8', OPENMETRICS_CONTENT_TYPE],
    ['APPLICATION/OpenMetrics-Text;Version=1.0.0', OPENMETRICS_CONTENT_TYPE],
    ['application/openmetrics-text;version=0.0.1', OPENMETRICS_0_0_1_CONTENT_TYPE],
    ['application/openmetrics-text', OPENMETRICS_0_0_1_CONTENT_TYPE],
    ['application/openmetrics-text;version=2.0.0', TEXT_CONTENT_TYPE],
    // q-values decide, whatever the order.
    [
      'text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5',
      TEXT_CONTENT_TYPE,
    ],
    [
      'text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.5',
      OPENMETRICS_CONTENT_TYPE,
    ],
    // Unsupported protobuf is skipped for the next preference.
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,' +
      'application/openmetrics-text;version=1.0.0;q=0.6,text/plain;q=0.5',
      OPENMETRICS_CONTENT_TYPE,
    ],
    // Refused (q=0) ranges are never chosen.
    ['application/openmetrics-text;version=1.0.0;q=0', TEXT_CONTENT_TYPE],
    // Prometheus 3's default scrape header.
    [scrapeAcceptHeader(DEFAULT_SCRAPE_PROTOCOLS), OPENMETRICS_CONTENT_TYPE],
    // Prometheus with text-first scrape_protocols.
    [scrapeAcceptHeader(['PrometheusText0.0.4', 'OpenMetricsText1.0.0']), TEXT_CONTENT_TYPE],
  ];
  for (const [accept, want] of table) {
    test(`${JSON.stringify(accept)} → ${want}`, () => {
      const got = negotiate(accept);
      assert.equal(got.contentType, want);
      assert.equal(got.format, want === TEXT_CONTENT_TYPE ? 'text' : 'openmetrics');
    });
  }

  test('reports a requested escaping scheme and ignores unknown ones', () => {
    assert.equal(
      negotiate('application/openmetrics-text;version=1.0.0;escaping=allow-utf-8').escaping,
      'allow-utf-8',
    );
    assert.equal(negotiate('text/plain;escaping=underscores').escaping, 'underscores');
    assert.equal(negotiate('text/plain;escaping=bogus').escaping, undefined);
  });
});

describe('parseAccept', () => {
  test('orders by q, then concrete before wildcard, then header order', () => {
    const r = parseAccept('*/*;q=0.5, text/*;q=0.5, text/plain;q=0.5, a/b, c/d;q=0.9');
    assert.deepEqual(r.map((m) => `${m.type}/${m.subtype}`), [
      'a/b',
      'c/d',
      'text/plain',
      'text/*',
      '*/*',
    ]);
    assert.deepEqual(r[2].params, {});
    assert.equal(r[1].q, 0.9);
  });

  test('skips malformed ranges and keeps a bad q at 1', () => {
    const r = parseAccept('garbage, ,text/plain;q=abc;version=0.0.4');
    assert.equal(r.length, 1);
    assert.equal(r[0].q, 1);
    assert.equal(r[0].params.version, '0.0.4');
  });
});

describe('scrapeAcceptHeader', () => {
  test('Prometheus 3 default protocols', () => {
    assert.equal(
      scrapeAcceptHeader(DEFAULT_SCRAPE_PROTOCOLS),
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
        'application/openmetrics-text;version=0.0.1;q=0.5,' +
        'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,' +
        'text/plain;version=0.0.4;q=0.3,' +
        '*/*;q=0.2',
    );
  });

  test('proto first, and without escaping', () => {
    assert.equal(
      scrapeAcceptHeader(['PrometheusProto', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4'], {
        escaping: null,
      }),
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,' +
        'application/openmetrics-text;version=1.0.0;q=0.5,' +
        'text/plain;version=0.0.4;q=0.4,' +
        '*/*;q=0.3',
    );
  });

  test('single protocol and other escaping', () => {
    assert.equal(
      scrapeAcceptHeader(['PrometheusText1.0.0'], { escaping: 'underscores' }),
      'text/plain;version=1.0.0;escaping=underscores;q=0.6,*/*;q=0.5',
    );
    assert.equal(scrapeAcceptHeader([]), '*/*;q=0.6');
  });

  test('isScrapeProtocol', () => {
    assert.equal(isScrapeProtocol('PrometheusText0.0.4'), true);
    assert.equal(isScrapeProtocol('PrometheusText0.0.5'), false);
    assert.equal(isScrapeProtocol('toString'), false);
  });
});
