/**
 * The effective config as YAML, for `/api/v1/status/config`: defaults filled in, durations
 * and sizes in Prometheus's form, and every secret printed as `<secret>`.
 * @module
 */

import { stringify } from 'yaml';
import type { Config } from './schema.ts';
import { redactReceivers, redactUrlPasswords } from './redact.ts';

/**
 * Prints a loaded config. Secrets cannot leak: values go through `toJSON` first, where a
 * `Secret` becomes `<secret>` (and `Duration`/`ByteSize` their text forms).
 */
export function configToYAML(config: Config): string {
  const plain = redactUrlPasswords(JSON.parse(JSON.stringify(config))) as Record<string, unknown>;
  // Receivers' notifier blocks stay as written until their plugin parses them.
  if (plain.receivers !== undefined) plain.receivers = redactReceivers(plain.receivers);
  return stringify(plain, { lineWidth: 0, aliasDuplicateObjects: false });
}
