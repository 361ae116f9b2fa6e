/**
 * `registration_sd_configs`: Beacon's own discovery, where exporters register their targets
 * over HTTP (`POST /api/v1/targets/register`) with a bearer token and a time to live.
 * @module
 */

import * as v from 'valibot';
import { block, opt, optDefault, str } from './common.ts';
import { durationSchema, labelNameSchema, secretSchema } from '../schema_types.ts';
import type { Secret } from '../secret.ts';

/** Rules of a registration block: exactly one token source, positive TTLs. */
export function checkRegistrationSD(
  c: { token?: Secret; token_file?: string; max_ttl: { ms: number }; default_ttl: { ms: number } },
): string | undefined {
  const hasToken = c.token !== undefined && !c.token.isEmpty;
  const hasFile = c.token_file !== undefined && c.token_file !== '';
  if (hasToken === hasFile) return 'exactly one of token and token_file must be configured';
  if (c.max_ttl.ms <= 0) return 'max_ttl must be greater than 0';
  if (c.default_ttl.ms <= 0) return 'default_ttl must be greater than 0';
  if (c.default_ttl.ms > c.max_ttl.ms) return 'default_ttl must not be greater than max_ttl';
  return undefined;
}

/**
 * A `registration_sd_configs` entry: the bearer token exporters present (inline or from a
 * file), the longest TTL a registration may ask for (1h by default), the TTL when it asks for
 * none (1m), and labels added to every registered target of the job.
 */
export const registrationSDSchema = block('registration.plain', {
  token: opt(secretSchema),
  token_file: opt(str),
  max_ttl: optDefault(durationSchema, '1h'),
  default_ttl: optDefault(durationSchema, '1m'),
  labels: opt(v.record(labelNameSchema as v.GenericSchema<string, string>, str)),
}, checkRegistrationSD);

/** A parsed registration SD block. */
export type RegistrationSDConfig = v.InferOutput<typeof registrationSDSchema>;
