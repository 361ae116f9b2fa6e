/**
 * DNS lookups through `Deno.resolveDns`, normalised to the host's {@link DnsRecord} shape.
 * @module
 */
import type { DnsRecord, DnsRecordType, ResolveDnsOptions } from '../../core/host.ts';

const trimDot = (s: string) => s.replace(/\.$/, '');

/** Resolves `name` for one record type; a name without records yields `[]`. */
export async function denoResolveDns(
  name: string,
  type: DnsRecordType,
  opts: ResolveDnsOptions = {},
): Promise<DnsRecord[]> {
  const o = opts.nameServer ? { nameServer: opts.nameServer } : undefined;
  try {
    switch (type) {
      case 'SRV':
        return (await Deno.resolveDns(name, 'SRV', o)).map((x) => ({
          type,
          target: trimDot(x.target),
          port: x.port,
          priority: x.priority,
          weight: x.weight,
        }));
      case 'A':
      case 'AAAA':
        return (await Deno.resolveDns(name, type, o)).map((address) => ({ type, address }));
      case 'MX':
        return (await Deno.resolveDns(name, 'MX', o)).map((x) => ({
          type,
          exchange: trimDot(x.exchange),
          preference: x.preference,
        }));
      case 'NS':
        return (await Deno.resolveDns(name, 'NS', o)).map((t) => ({ type, target: trimDot(t) }));
    }
  } catch (e) {
    // The name exists without records of this type, or does not exist: no targets.
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}
