/**
 * The dns_sd discoverer: every `refresh_interval` it looks up each name (SRV by default; A,
 * AAAA, MX or NS with the configured port) and reports one group per name, source = the name.
 * Targets carry Prometheus's `__meta_dns_*` labels. A failed lookup is logged and counted and
 * keeps that name's last targets; a name without records empties its group.
 * @module
 */
import type { DnsSDConfig } from '../../../core/config/mod.ts';
import {
  type Discoverer,
  type DiscovererContext,
  RefreshDiscoverer,
  sharedCounter,
  type TargetGroup,
} from '../../../core/discovery/mod.ts';
import type { DnsRecord, DnsRecordType } from '../../../core/host.ts';

/** Looks up one name; the host's resolver or a test's. */
export type DnsResolve = (name: string, type: DnsRecordType) => Promise<DnsRecord[]>;

/** The labels Prometheus sets on DNS targets. */
export const DNS_LABELS = {
  name: '__meta_dns_name',
  srvTarget: '__meta_dns_srv_record_target',
  srvPort: '__meta_dns_srv_record_port',
  mxTarget: '__meta_dns_mx_record_target',
  nsTarget: '__meta_dns_ns_record_target',
} as const;

/** Options beyond the config. */
export interface DnsDiscovererOptions {
  /** Overrides the host's resolver (tests, custom name servers). */
  resolve?: DnsResolve;
}

/** `host:port`, bracketing IPv6 addresses as Go's JoinHostPort does. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Names in labels keep the root dot Go's DNS library reports. */
const rooted = (s: string) => (s.endsWith('.') ? s : `${s}.`);

/** The target (address and `__meta_dns_*` labels) of one record of `name`. */
export function recordTarget(
  name: string,
  r: DnsRecord,
  port: number,
): Record<string, string> {
  const t: Record<string, string> = {
    __address__: '',
    [DNS_LABELS.name]: name,
    [DNS_LABELS.srvTarget]: '',
    [DNS_LABELS.srvPort]: '',
    [DNS_LABELS.mxTarget]: '',
  };
  switch (r.type) {
    case 'SRV':
      t.__address__ = joinHostPort(r.target.replace(/\.$/, ''), r.port);
      t[DNS_LABELS.srvTarget] = rooted(r.target);
      t[DNS_LABELS.srvPort] = String(r.port);
      break;
    case 'MX':
      t.__address__ = joinHostPort(r.exchange.replace(/\.$/, ''), port);
      t[DNS_LABELS.mxTarget] = rooted(r.exchange);
      break;
    case 'NS':
      t.__address__ = joinHostPort(r.target.replace(/\.$/, ''), port);
      t[DNS_LABELS.nsTarget] = rooted(r.target);
      break;
    case 'A':
    case 'AAAA':
      t.__address__ = joinHostPort(r.address, port);
      break;
  }
  return t;
}

/** Discovers the targets of one `dns_sd_configs` entry. */
export class DnsDiscoverer implements Discoverer {
  readonly #cfg: DnsSDConfig;
  readonly #ctx: DiscovererContext;
  readonly #resolve: DnsResolve | undefined;
  readonly #lookups;
  readonly #failures;

  constructor(cfg: DnsSDConfig, ctx: DiscovererContext, opts: DnsDiscovererOptions = {}) {
    this.#cfg = cfg;
    this.#ctx = ctx;
    const host = ctx.host;
    this.#resolve = opts.resolve ??
      (host?.resolveDns ? (n, t) => host.resolveDns!(n, t) : undefined);
    this.#lookups = sharedCounter(
      ctx.registry,
      'prometheus_sd_dns_lookups_total',
      'The number of DNS-SD lookups.',
    );
    this.#failures = sharedCounter(
      ctx.registry,
      'prometheus_sd_dns_lookup_failures_total',
      'The number of DNS-SD lookup failures.',
    );
  }

  run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): Promise<void> {
    if (!this.#resolve) {
      this.#ctx.logger.error('dns_sd_configs needs a DNS resolver, which this host lacks');
      return Promise.resolve();
    }
    return new RefreshDiscoverer({
      mechanism: 'dns',
      intervalMs: this.#cfg.refresh_interval.ms,
      logger: this.#ctx.logger,
      registry: this.#ctx.registry,
      refresh: () => this.refresh(),
    }).run(signal, onUpdate);
  }

  /** Looks up every name once; failed names are left out (they keep their targets). */
  async refresh(): Promise<TargetGroup[]> {
    const resolve = this.#resolve;
    if (!resolve) throw new Error('no DNS resolver on this host');
    const type = this.#cfg.type.toUpperCase() as DnsRecordType;
    const names = this.#cfg.names ?? [];
    const results = await Promise.all(names.map(async (name): Promise<TargetGroup | undefined> => {
      this.#lookups?.inc();
      try {
        const records = await resolve(name, type);
        return {
          source: name,
          labels: {},
          targets: records.map((r) => recordTarget(name, r, this.#cfg.port)),
        };
      } catch (e) {
        this.#failures?.inc();
        this.#ctx.logger.error('Error refreshing DNS targets', {
          err: `lookup ${name} ${type}: ${(e as Error).message}`,
        });
        return undefined;
      }
    }));
    return results.filter((g): g is TargetGroup => g !== undefined);
  }
}
