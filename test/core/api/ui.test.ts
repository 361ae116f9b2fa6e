import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { UI_PAGES, uiRoutes } from '../../../core/api/ui.ts';
import { UI_ASSETS } from '../../../core/api/ui_assets.gen.ts';
import { uiSourceHash as sourceHash } from '../../../scripts/ui_source_hash.mjs';

describe('ui bundle', () => {
  test('the committed bundle was built from the current ui/ sources', () => {
    assert.equal(
      UI_ASSETS.sourceHash,
      sourceHash(),
      'core/api/ui_assets.gen.ts is stale: run `node scripts/build-ui.mjs` and commit the result',
    );
  });

  test('works offline: no script, style or font is loaded from another origin', () => {
    const { 'index.html': html, 'app.js': js, 'app.css': css } = UI_ASSETS.files;
    assert.ok(js.length > 1000 && css.length > 1000);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(css, /url\((["']?)(https?:)?\/\//);
    assert.doesNotMatch(css, /@import/);
    assert.doesNotMatch(js, /import\s*\(?\s*["'](https?:)?\/\//);
    assert.doesNotMatch(js, /from\s*["'](https?:)?\/\//);
  });
});

describe('uiRoutes', () => {
  const app = uiRoutes({ routePrefix: '', externalUrl: 'http://example.com/' });

  test('serves the page at the root and at every page path', async () => {
    for (const p of ['', ...UI_PAGES]) {
      const res = await app.request(`/${p}`);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const body = await res.text();
      assert.match(body, new RegExp(`src="assets/app\\.js\\?v=${UI_ASSETS.assetHash}"`));
      assert.match(body, /"externalUrl":"http:\/\/example\.com\/"/);
    }
    assert.equal((await app.request('/nope')).status, 404);
  });

  test('serves the script and style sheet with types, versions and ETags', async () => {
    const js = await app.request(`/assets/app.js?v=${UI_ASSETS.assetHash}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await js.text(), UI_ASSETS.files['app.js']);
    const css = await app.request('/assets/app.css');
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.headers.get('cache-control'), 'no-cache');
    const etag = css.headers.get('etag')!;
    await css.body?.cancel();
    const again = await app.request('/assets/app.css', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await app.request('/assets/index.html')).status, 404);
    assert.equal((await app.request('/assets/other.js')).status, 404);
  });

  test('works mounted under a route prefix', async () => {
    const root = new Hono();
    root.route('/beacon', uiRoutes({ routePrefix: '/beacon' }));
    const res = await root.request('/beacon/targets');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"routePrefix":"\/beacon"/);
    assert.equal((await root.request('/beacon/assets/app.js')).status, 200);
    assert.equal((await root.request('/targets')).status, 404);
  });

  test('the injected config cannot close its script element', async () => {
    const res = await uiRoutes({ externalUrl: 'http://x/</script><b>' }).request('/');
    const body = await res.text();
    assert.doesNotMatch(body, /<\/script><b>/);
    assert.match(body, /\\u003c\/script>\\u003cb>/);
  });

  test('takes other assets', async () => {
    const assets = {
      sourceHash: 'x',
      assetHash: 'abc',
      files: {
        'index.html': '<p><script type="application/json" id="beacon-config">{}</script></p>',
        'app.js': 'js',
        'app.css': 'css',
      },
    };
    const res = await uiRoutes({ assets, routePrefix: '/' }).request('/query');
    assert.equal(
      await res.text(),
      '<p><script type="application/json" id="beacon-config">{"routePrefix":"","externalUrl":""}</script></p>',
    );
  });
});
