/**
 * A tiny authoritative DNS server over UDP for tests: answers SRV, A, AAAA, MX and NS queries
 * from a table, NXDOMAIN for unknown names, SERVFAIL for names listed as failing.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Answers by `name` (lower case, no trailing dot) and record type. */
export type Zone = Record<string, {
  SRV?: { priority: number; weight: number; port: number; target: string }[];
  A?: string[];
  AAAA?: string[];
  MX?: { preference: number; exchange: string }[];
  NS?: string[];
  fail?: boolean;
}>;

const TYPES: Record<number, string> = { 1: 'A', 2: 'NS', 15: 'MX', 28: 'AAAA', 33: 'SRV' };

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    if (!label) continue;
    const bytes = new TextEncoder().encode(label);
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  return out;
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];

function ipv6(addr: string): number[] {
  const [head, tail = ''] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = addr.includes('::')
    ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
    : h;
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

function rdata(type: string, rec: unknown): number[] {
  switch (type) {
    case 'A':
      return (rec as string).split('.').map(Number);
    case 'AAAA':
      return ipv6(rec as string);
    case 'NS':
      return encodeName(rec as string);
    case 'MX': {
      const r = rec as { preference: number; exchange: string };
      return [...u16(r.preference), ...encodeName(r.exchange)];
    }
    default: {
      const r = rec as { priority: number; weight: number; port: number; target: string };
      return [...u16(r.priority), ...u16(r.weight), ...u16(r.port), ...encodeName(r.target)];
    }
  }
}

function answer(query: Uint8Array, zone: Zone): Uint8Array {
  let off = 12;
  const labels: string[] = [];
  while (query[off] !== 0) {
    const len = query[off];
    labels.push(new TextDecoder().decode(query.subarray(off + 1, off + 1 + len)));
    off += len + 1;
  }
  off += 1;
  const qtype = (query[off] << 8) | query[off + 1];
  const question = query.subarray(12, off + 4);
  const name = labels.join('.').toLowerCase();
  const entry = zone[name];
  const type = TYPES[qtype] ?? '';
  let rcode = 0;
  const records: unknown[] = [];
  if (!entry) rcode = 3;
  else if (entry.fail) rcode = 2;
  else records.push(...((entry as Record<string, unknown[]>)[type] ?? []));
  const out = [
    query[0],
    query[1],
    0x84 | (query[2] & 0x01), // QR, AA, RD copied
    0x80 | rcode,
    ...u16(1),
    ...u16(records.length),
    ...u16(0),
    ...u16(0),
    ...question,
  ];
  for (const r of records) {
    const d = rdata(type, r);
    out.push(0xc0, 0x0c, ...u16(qtype), ...u16(1), 0, 0, 0, 30, ...u16(d.length), ...d);
  }
  return new Uint8Array(out);
}

/** Starts the server on 127.0.0.1 and a free UDP port. */
export async function startDnsServer(
  zone: Zone,
): Promise<{ port: number; queries: string[]; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const q = new Uint8Array(msg);
    queries.push(String(q.length));
    sock.send(answer(q, zone), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return {
    port: (sock.address() as AddressInfo).port,
    queries,
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
}
