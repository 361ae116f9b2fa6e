import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EDGE_CONFIG_FILE,
  readBindings,
  TICK_PATH,
  type TickReport,
  tickRequest,
} from '../../../adapters/edge/mod.ts';

const report: TickReport = {
  at: 1,
  scraped: [],
  evaluated: [],
  alertsSent: 0,
  remoteWrite: [],
  durationMs: 0,
};

describe('edge bindings', () => {
  test('files come from the bundle, BEACON_FILES, BEACON_SECRET_FILES and BEACON_CONFIG', () => {
    const b = readBindings(
      {
        BEACON_CONFIG: 'global: {}',
        BEACON_FILES: { '/r.yml': 'groups: []', '/a': 'from files' },
        BEACON_SECRET_FILES: JSON.stringify({ '/secret': 's3cret' }),
        BEACON_FLAGS: '{"web.external-url":"https://x"}',
        OTHER: 'v',
        NUMBER: 3,
      },
      { '/a': 'bundled', '/b': 'bundled' },
    );
    assert.deepEqual(b.files, {
      '/a': 'from files',
      '/b': 'bundled',
      '/r.yml': 'groups: []',
      '/secret': 's3cret',
      [EDGE_CONFIG_FILE]: 'global: {}',
    });
    assert.deepEqual(b.flags, { 'web.external-url': 'https://x' });
    assert.equal(b.env.OTHER, 'v');
    assert.equal('NUMBER' in b.env, false);
    assert.equal(b.tickToken, undefined);
  });

  test('malformed bindings are named in the error', () => {
    assert.throws(() => readBindings({ BEACON_FILES: '{' }), /BEACON_FILES is not JSON/);
    assert.throws(() => readBindings({ BEACON_FLAGS: '[1]' }), /BEACON_FLAGS must be an object/);
    assert.throws(() => readBindings({ BEACON_FILES: { '/a': 1 } }), /BEACON_FILES\.\/a must/);
  });

  test('the tick path exists only with a token, and only for POST with that token', async () => {
    let ticks = 0;
    const tick = () => {
      ticks++;
      return Promise.resolve(report);
    };
    const req = (method: string, auth?: string) =>
      new Request(`http://x${TICK_PATH}`, {
        method,
        headers: auth ? { authorization: auth } : {},
      });
    assert.equal(await tickRequest(new Request('http://x/api/v1/query'), 't', tick), undefined);
    assert.equal((await tickRequest(req('POST', 'Bearer t'), undefined, tick))?.status, 404);
    assert.equal((await tickRequest(req('GET', 'Bearer t'), 't', tick))?.status, 405);
    assert.equal((await tickRequest(req('POST', 'Bearer u'), 't', tick))?.status, 401);
    assert.equal((await tickRequest(req('POST'), 't', tick))?.status, 401);
    assert.equal(ticks, 0);
    const ok = await tickRequest(req('POST', 'Bearer t'), 't', tick);
    assert.equal(ok?.status, 200);
    assert.deepEqual(await ok?.json(), report);
    assert.equal(ticks, 1);
  });
});
