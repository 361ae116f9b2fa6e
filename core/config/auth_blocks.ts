/**
 * Cloud authentication blocks used by remote write and Alertmanager: `sigv4` (AWS),
 * `azuread` and `google_iam`.
 * @module
 */

import * as v from 'valibot';
import { secretSchema } from './schema_types.ts';
import { bool, str, strict } from './schema_helpers.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

/** AWS Signature V4 request signing. */
export const sigv4Schema = strict('sigv4_config', {
  region: o(str),
  access_key: o(str),
  secret_key: o(secretSchema),
  profile: o(str),
  role_arn: o(str),
  external_id: o(str),
  use_fips_sts_endpoint: o(bool),
});

/** A validated `sigv4` block. */
export type SigV4Config = v.InferOutput<typeof sigv4Schema>;

/** Azure AD authentication for remote write. */
export const azureadSchema = v.pipe(
  strict('azuread_config', {
    cloud: v.optional(str, 'AzurePublic'),
    managed_identity: o(strict('managed_identity', { client_id: o(str) })),
    oauth: o(strict('oauth', { client_id: str, client_secret: secretSchema, tenant_id: str })),
    sdk: o(strict('sdk', { tenant_id: o(str) })),
    workload_identity: o(
      strict('workload_identity', { client_id: str, tenant_id: str, token_file_path: o(str) }),
    ),
    scope: o(str),
  }),
  v.check(
    (c) => ['AzurePublic', 'AzureChina', 'AzureGovernment'].includes(c.cloud),
    (issue) => `unknown cloud ${JSON.stringify((issue.input as { cloud: string }).cloud)}`,
  ),
  v.check(
    (c) => [c.managed_identity, c.oauth, c.sdk, c.workload_identity].filter((x) => x).length === 1,
    'exactly one of managed_identity, oauth, sdk or workload_identity must be provided',
  ),
);

/** A validated `azuread` block. */
export type AzureADConfig = v.InferOutput<typeof azureadSchema>;

/** Google Cloud IAM authentication for remote write. */
export const googleIamSchema = strict('google_iam_config', {
  credentials_file: o(str),
});

/** A validated `google_iam` block. */
export type GoogleIAMConfig = v.InferOutput<typeof googleIamSchema>;
