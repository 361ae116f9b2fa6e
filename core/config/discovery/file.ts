/**
 * `file_sd_configs`: target groups read from JSON or YAML files (with `*` globs).
 * @module
 */

import type * as v from 'valibot';
import { block, opt, refreshInterval, strList } from './common.ts';

// `*` may appear only in the last path element, and the extension must be JSON or YAML.
const FILE_SD_NAME = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/** Rules of a file SD block (Prometheus's wording). */
export function checkFileSD(c: { files?: string[] }): string | undefined {
  if (!c.files || c.files.length === 0) {
    return 'file service discovery config must contain at least one path name';
  }
  for (const name of c.files) {
    if (!FILE_SD_NAME.test(name)) {
      return `path name ${JSON.stringify(name)} is not valid for file discovery`;
    }
  }
  return undefined;
}

/** A `file_sd_configs` entry; refresh_interval defaults to 5m. */
export const fileSDSchema = block('file.plain', {
  files: opt(strList),
  refresh_interval: refreshInterval(5 * 60_000),
}, checkFileSD);

/** A parsed file SD block. */
export type FileSDConfig = v.InferOutput<typeof fileSDSchema>;
