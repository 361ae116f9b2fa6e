/**
 * `azure_sd_configs`: Azure virtual machines. Parsed and validated only.
 * @module
 */

import * as v from 'valibot';
import { block, http, httpRules, int, opt, optDefault, refreshInterval, str } from './common.ts';
import type { HttpClientConfig } from '../http_client.ts';
import { secretSchema } from '../schema_types.ts';
import type { Secret } from '../secret.ts';

/** The authentication methods Azure SD accepts. */
export const AZURE_AUTH_METHODS = ['OAuth', 'ManagedIdentity', 'SDK', 'WorkloadIdentity'];

type AzureBase = HttpClientConfig & {
  subscription_id?: string;
  tenant_id?: string;
  client_id?: string;
  client_secret?: Secret;
  authentication_method: string;
};

/** Prometheus's Azure SD rules, in its order. */
export function checkAzureSD(c: AzureBase): string | undefined {
  const need = (value: string | undefined, name: string) =>
    value ? undefined : `azure SD configuration requires a ${name}`;
  const missing = need(c.subscription_id, 'subscription_id') ??
    (c.authentication_method === 'OAuth'
      ? need(c.tenant_id, 'tenant_id') ?? need(c.client_id, 'client_id') ??
        need(c.client_secret?.reveal(), 'client_secret')
      : undefined);
  if (missing) return missing;
  if (!AZURE_AUTH_METHODS.includes(c.authentication_method)) {
    const q = AZURE_AUTH_METHODS.map((m) => JSON.stringify(m));
    return `unknown authentication_type ${
      JSON.stringify(c.authentication_method)
    }. Supported types are ${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
  }
  return httpRules(c);
}

/** An `azure_sd_configs` entry; port 80, refresh 5m, OAuth by default. */
export const azureSDSchema = block('azure.plain', {
  ...http,
  environment: optDefault(str, 'AzurePublicCloud'),
  port: optDefault(int, 80),
  subscription_id: opt(str),
  tenant_id: opt(str),
  client_id: opt(str),
  client_secret: opt(secretSchema),
  refresh_interval: refreshInterval(5 * 60_000),
  authentication_method: optDefault(str, 'OAuth'),
  resource_group: opt(str),
}, checkAzureSD);

/** A parsed Azure SD block. */
export type AzureSDConfig = v.InferOutput<typeof azureSDSchema>;
