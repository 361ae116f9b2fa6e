/** Build facts reported by `--version`, `/api/v1/status/buildinfo` and `beacon_build_info`. */
export const BUILD_INFO = {
  version: '0.1.0',
  revision: 'unknown',
  branch: 'main',
  buildUser: 'beacon',
  buildDate: '20261125-00:00:00',
} as const;
