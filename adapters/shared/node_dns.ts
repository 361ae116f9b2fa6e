/**
 * DNS lookups through `node:dns/promises` (Bun and Node.js), normalised to the host's
 * {@link DnsRecord} shape.
 * @module
 */
import { Resolver } from 'node:dns/promises';
import type { DnsRecord, DnsRecordType, ResolveDnsOptions } from '../../core/host.ts';

const trimDot = (s: string) => s.replace(/\.$/, '');

/** Resolves `name` for one record type; a name without records yields `[]`. */
export async function nodeResolveDns(
  name: string,
  type: DnsRecordType,
  opts: ResolveDnsOptions = {},
): Promise<DnsRecord[]> {
  const r = new Resolver();
  if (opts.nameServer) {
    const { ipAddr, port } = opts.nameServer;
    r.setServers([ipAddr.includes(':') ? `[${ipAddr}]:${port}` : `${ipAddr}:${port}`]);
  }
  try {
    switch (type) {
      case 'SRV':
        return (await r.resolveSrv(name)).map((x) => ({
          type,
          target: trimDot(x.name),
          port: x.port,
          priority: x.priority,
          weight: x.weight,
        }));
      case 'A':
        return (await r.resolve4(name)).map((address) => ({ type, address }));
      case 'AAAA':
        return (await r.resolve6(name)).map((address) => ({ type, address }));
      case 'MX':
        return (await r.resolveMx(name)).map((x) => ({
          type,
          exchange: trimDot(x.exchange),
          preference: x.priority,
        }));
      case 'NS':
        return (await r.resolveNs(name)).map((t) => ({ type, target: trimDot(t) }));
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    // The name exists without records of this type, or does not exist: no targets.
    if (code === 'ENODATA' || code === 'ENOTFOUND') return [];
    throw e;
  }
}
