/**
 * `static_configs`: target groups written in the config itself.
 * @module
 */

import * as v from 'valibot';
import { block, opt, str, strList } from './common.ts';
import { labelNameSchema } from '../schema_types.ts';

/** Prometheus's target address rule for static targets (a URL is not an address). */
export function checkTargetAddress(address: string): string | undefined {
  return address.includes('/') ? `${JSON.stringify(address)} is not a valid hostname` : undefined;
}

/** Rules of a static target group. */
export function checkStaticConfig(c: { targets?: string[] }): string | undefined {
  for (const t of c.targets ?? []) {
    const msg = checkTargetAddress(t);
    if (msg) return msg;
  }
  return undefined;
}

/** One static target group: `targets` (host:port) and shared `labels`. */
export const staticConfigSchema = block('targetgroup.Group', {
  targets: opt(strList),
  labels: opt(v.record(labelNameSchema as v.GenericSchema<string, string>, str)),
}, checkStaticConfig);

/** A parsed static target group. */
export type StaticConfig = v.InferOutput<typeof staticConfigSchema>;
