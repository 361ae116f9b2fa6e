/**
 * Parsers of the Linux `/proc` files the host exporter reads. Pure functions over the file
 * text, so tests feed them fixtures.
 * @module
 */

/** Kernel ticks per second of `/proc/stat` CPU times (USER_HZ; 100 on every Linux ABI). */
export const USER_HZ = 100;

/** CPU modes in `/proc/stat` order, as node_exporter names them (guest time is apart). */
export const CPU_MODES = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
] as const;

/** What `/proc/stat` says. */
export interface ProcStat {
  /** Seconds per mode, per CPU (`cpu0`, `cpu1`, … as `0`, `1`, …). */
  cpus: { cpu: string; seconds: number[] }[];
  bootTime?: number;
  contextSwitches?: number;
  interrupts?: number;
  procsRunning?: number;
  procsBlocked?: number;
}

/** Parses `/proc/stat`. */
export function parseStat(text: string): ProcStat {
  const out: ProcStat = { cpus: [] };
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const key = f[0];
    if (/^cpu\d+$/.test(key)) {
      const seconds = CPU_MODES.map((_, i) => Number(f[i + 1] ?? 0) / USER_HZ);
      out.cpus.push({ cpu: key.slice(3), seconds });
    } else if (key === 'btime') out.bootTime = Number(f[1]);
    else if (key === 'ctxt') out.contextSwitches = Number(f[1]);
    else if (key === 'intr') out.interrupts = Number(f[1]);
    else if (key === 'procs_running') out.procsRunning = Number(f[1]);
    else if (key === 'procs_blocked') out.procsBlocked = Number(f[1]);
  }
  return out;
}

/**
 * Parses `/proc/meminfo` into node_exporter's names: `Active(anon)` becomes `Active_anon`,
 * and a value in kB becomes bytes with a `_bytes` suffix.
 */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m) continue;
    const key = m[1].replace('(', '_').replace(')', '');
    out.set(m[3] ? `${key}_bytes` : key, Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return out;
}

/** One block device's counters from `/proc/diskstats`. */
export interface DiskStats {
  device: string;
  readsCompleted: number;
  readBytes: number;
  writesCompleted: number;
  writtenBytes: number;
  ioTimeSeconds: number;
}

/** `/proc/diskstats` counts 512-byte sectors whatever the device's own sector size. */
const SECTOR_BYTES = 512;

/** Parses `/proc/diskstats`. */
export function parseDiskstats(text: string): DiskStats[] {
  const out: DiskStats[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    out.push({
      device: f[2],
      readsCompleted: Number(f[3]),
      readBytes: Number(f[5]) * SECTOR_BYTES,
      writesCompleted: Number(f[7]),
      writtenBytes: Number(f[9]) * SECTOR_BYTES,
      ioTimeSeconds: Number(f[12]) / 1000,
    });
  }
  return out;
}

/** The `/proc/net/dev` columns the exporter exposes, by node_exporter's statistic names. */
export const NETDEV_STATS = ['bytes', 'packets', 'errs', 'drop'] as const;

/** One interface's counters: receive and transmit, each in {@link NETDEV_STATS} order. */
export interface NetDevStats {
  device: string;
  receive: number[];
  transmit: number[];
}

/** Parses `/proc/net/dev` (two header lines, then `name: 8 receive and 8 transmit columns`). */
export function parseNetDev(text: string): NetDevStats[] {
  const out: NetDevStats[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((x) => !Number.isFinite(x))) continue;
    out.push({ device, receive: f.slice(0, 4), transmit: f.slice(8, 12) });
  }
  return out;
}

/** Parses `/proc/loadavg` into the 1, 5 and 15 minute load averages. */
export function parseLoadavg(text: string): [number, number, number] | undefined {
  const f = text.trim().split(/\s+/).map(Number);
  if (f.length < 3 || f.slice(0, 3).some((x) => !Number.isFinite(x))) return undefined;
  return [f[0], f[1], f[2]];
}

/** One line of a mounts file. */
export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
  readonly: boolean;
}

/** Parses `/proc/1/mounts` (or `/proc/self/mounts`), decoding `\040`-style octal escapes. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    out.push({
      device: unescapeOctal(f[0]),
      mountpoint: unescapeOctal(f[1]),
      fstype: f[2],
      readonly: f[3].split(',').includes('ro'),
    });
  }
  return out;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
