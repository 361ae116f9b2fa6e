/**
 * The route prefix, as Prometheus derives it: `--web.route-prefix`, else the path of
 * `--web.external-url`, without a trailing slash (`''` for the root).
 * @module
 */

/** Normalises the prefix; throws on an external URL that is not absolute. */
export function routePrefixFrom(routePrefix: string, externalUrl: string): string {
  let prefix = routePrefix;
  if (!prefix && externalUrl) {
    let url: URL;
    try {
      url = new URL(externalUrl);
    } catch {
      throw new Error(
        `invalid --web.external-url ${JSON.stringify(externalUrl)}: not an absolute URL`,
      );
    }
    prefix = url.pathname;
  }
  prefix = prefix.replace(/\/+$/, '');
  if (prefix && !prefix.startsWith('/')) prefix = `/${prefix}`;
  return prefix;
}
