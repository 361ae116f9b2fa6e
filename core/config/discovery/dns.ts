/**
 * `dns_sd_configs`: targets from DNS SRV, A, AAAA, MX or NS records.
 * @module
 */

import type * as v from 'valibot';
import { block, int, opt, optDefault, refreshInterval, str, strList } from './common.ts';

/** Rules of a DNS SD block (Prometheus's wording); the type is matched case-insensitively. */
export function checkDnsSD(
  c: { names?: string[]; type: string; port: number },
): string | undefined {
  if (!c.names || c.names.length === 0) {
    return 'DNS-SD config must contain at least one SRV record name';
  }
  switch (c.type.toUpperCase()) {
    case 'SRV':
      return undefined;
    case 'A':
    case 'AAAA':
    case 'MX':
    case 'NS':
      return c.port === 0
        ? 'a port is required in DNS-SD configs for all record types except SRV'
        : undefined;
    default:
      return `invalid DNS-SD records type ${c.type}`;
  }
}

/** A `dns_sd_configs` entry; type defaults to SRV, refresh_interval to 30s. */
export const dnsSDSchema = block('dns.plain', {
  names: opt(strList),
  refresh_interval: refreshInterval(30_000),
  type: optDefault(str, 'SRV'),
  port: optDefault(int, 0),
}, checkDnsSD);

/** A parsed DNS SD block. */
export type DnsSDConfig = v.InferOutput<typeof dnsSDSchema>;
