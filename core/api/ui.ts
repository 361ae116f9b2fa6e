/**
 * The web UI: one HTML page for every UI path plus the bundled script and style sheet, all
 * served from strings built by `scripts/build-ui.mjs` (no file reads, so the edge serves it too).
 * @module
 */
import { type Context, Hono } from 'hono';
import { UI_ASSETS, type UiAssets } from './ui_assets.gen.ts';

/** Options of {@link uiRoutes}. */
export interface UiRoutesOptions {
  /** `--web.route-prefix` (`''` or `/` for none); shown to the page, links are relative anyway. */
  routePrefix?: string;
  /** `--web.external-url`, shown to the page. */
  externalUrl?: string;
  /** The built files; the bundle committed with this revision by default. */
  assets?: UiAssets;
}

/** The page paths under the root; each answers with the same HTML and the script routes. */
export const UI_PAGES: readonly string[] = [
  'query',
  'graph',
  'alerts',
  'rules',
  'targets',
  'service-discovery',
  'status',
  'flags',
  'config',
  'tsdb-status',
  'runtimeinfo',
  'buildinfo',
  'silences',
];

const TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

// The element of index.html that receives the page's settings.
const CONFIG_SLOT = /(<script type="application\/json" id="beacon-config">)\s*\{\}\s*(<\/script>)/;

// JSON inside <script> must not be able to close the element.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Routes serving the UI, to mount at the root of the (prefixed) app. Every page sits one
 * segment below the root and every link and API call in the page is relative, so the UI works
 * under `--web.route-prefix` and behind a proxy that serves `--web.external-url`'s path.
 *
 * @example
 * ```ts
 * root.route('/', uiRoutes({ routePrefix: '/beacon', externalUrl: 'https://example.com/beacon' }));
 * ```
 */
export function uiRoutes(opts: UiRoutesOptions = {}): Hono {
  const assets = opts.assets ?? UI_ASSETS;
  const prefix = opts.routePrefix === '/' ? '' : opts.routePrefix ?? '';
  const settings = scriptJson({ routePrefix: prefix, externalUrl: opts.externalUrl ?? '' });
  // A function replacement, so a `$` in the settings is not a replacement pattern.
  const html = assets.files['index.html'].replace(
    CONFIG_SLOT,
    (_m, open: string, close: string) => open + settings + close,
  );
  const etag = `"${assets.assetHash}"`;
  const app = new Hono();

  const servePage = (c: Context) =>
    c.html(html, 200, { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  app.get('/', servePage);
  for (const p of UI_PAGES) app.get(`/${p}`, servePage);

  app.get('/assets/:file', (c) => {
    const name = c.req.param('file');
    const body = assets.files[name];
    const type = TYPES[name];
    if (body === undefined || type === undefined) return c.text('Not Found', 404);
    const headers = {
      'content-type': type,
      etag,
      // The page links the assets with `?v=<hash>`, so a versioned URL never changes.
      'cache-control': c.req.query('v') === assets.assetHash
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body, 200, headers);
  });
  return app;
}
