/**
 * Reading one file_sd file: a JSON or YAML list of `{targets, labels}` groups, validated as
 * Prometheus validates them, each tagged with `__meta_filepath` and the source `<path>:<i>`.
 * @module
 */
import { parse as parseYaml } from 'yaml';
import { parseTargetGroups, type TargetGroup } from '../../../core/discovery/mod.ts';

/** The label holding the file a target came from. */
export const FILEPATH_LABEL = '__meta_filepath';

/** The source of group `i` of `path`. */
export function fileSource(path: string, i: number): string {
  return `${path}:${i}`;
}

/** Parses a file's text into target groups. @throws {Error} naming the problem. */
export function parseTargetFile(path: string, text: string): TargetGroup[] {
  const lower = path.toLowerCase();
  let data: unknown;
  if (lower.endsWith('.json')) data = JSON.parse(text);
  else if (lower.endsWith('.yml') || lower.endsWith('.yaml')) data = parseYaml(text);
  else throw new Error(`retrieval target groups from ${path}: unsupported file extension`);
  return parseTargetGroups(data, { [FILEPATH_LABEL]: path }, (i) => fileSource(path, i));
}
