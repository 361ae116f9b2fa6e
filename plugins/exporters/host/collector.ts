/**
 * The host collector: reads `/proc` (and statfs for filesystems) on each collection and
 * produces node_exporter's families for the cpu, meminfo, filesystem, diskstats, netdev,
 * loadavg, stat, time and uname collectors, with its names, types, HELP texts and labels.
 * @module
 */
import type { FsStats } from '../../../core/host.ts';
import type { MetricFamily, MetricPoint } from '../../../core/exposition/mod.ts';
import type { Collector } from '../../../core/metrics/mod.ts';
import {
  CPU_MODES,
  NETDEV_STATS,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseStat,
} from './procfs.ts';

/** What the collector reads the host through. */
export interface HostSource {
  readTextFile(path: string): Promise<string>;
  /** Absent: no filesystem metrics. */
  statfs?(path: string): Promise<FsStats>;
}

/** Settings of {@link HostCollector}; the exclude patterns are node_exporter's (Debian) defaults. */
export interface HostCollectorOptions {
  procfs: string;
  mountPointsExclude: RegExp;
  fsTypesExclude: RegExp;
  diskDevicesExclude: RegExp;
  netDevicesExclude: RegExp;
  /** Longest wait for one filesystem's statfs, ms (a hung network mount must not hang scrapes). */
  statfsTimeoutMs: number;
  /** Clock, ms. */
  now?: () => number;
}

const FIXED_NAMES = [
  'node_cpu_seconds_total',
  'node_filesystem_avail_bytes',
  'node_filesystem_device_error',
  'node_filesystem_files',
  'node_filesystem_files_free',
  'node_filesystem_free_bytes',
  'node_filesystem_readonly',
  'node_filesystem_size_bytes',
  'node_disk_reads_completed_total',
  'node_disk_read_bytes_total',
  'node_disk_writes_completed_total',
  'node_disk_written_bytes_total',
  'node_disk_io_time_seconds_total',
  ...NETDEV_STATS.flatMap((s) => [
    `node_network_receive_${s}_total`,
    `node_network_transmit_${s}_total`,
  ]),
  'node_load1',
  'node_load5',
  'node_load15',
  'node_boot_time_seconds',
  'node_context_switches_total',
  'node_intr_total',
  'node_procs_running',
  'node_procs_blocked',
  'node_time_seconds',
  'node_uname_info',
];

function fam(
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  metrics: MetricPoint[],
): MetricFamily {
  return { name, type, help, metrics };
}

/** See the module doc. Sections whose files are missing are left out. */
export class HostCollector implements Collector {
  readonly names: readonly string[] = FIXED_NAMES;
  readonly #src: HostSource;
  readonly #o: HostCollectorOptions;

  constructor(src: HostSource, o: HostCollectorOptions) {
    this.#src = src;
    this.#o = o;
  }

  /** Whether the procfs is readable at all (absent on the edge, macOS, Windows). */
  async available(): Promise<boolean> {
    return (await this.#read('stat')) !== undefined;
  }

  async collect(): Promise<MetricFamily[]> {
    const parts = await Promise.all([
      this.#stat(),
      this.#meminfo(),
      this.#filesystems(),
      this.#disks(),
      this.#netdev(),
      this.#loadavg(),
      this.#uname(),
    ]);
    const out = parts.flat();
    out.push(fam('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).', [
      { value: (this.#o.now ?? Date.now)() / 1000 },
    ]));
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async #read(file: string): Promise<string | undefined> {
    try {
      return await this.#src.readTextFile(`${this.#o.procfs}/${file}`);
    } catch {
      return undefined;
    }
  }

  async #stat(): Promise<MetricFamily[]> {
    const text = await this.#read('stat');
    if (text === undefined) return [];
    const s = parseStat(text);
    const cpu: MetricPoint[] = [];
    for (const c of s.cpus) {
      CPU_MODES.forEach((mode, i) =>
        cpu.push({ labels: { cpu: c.cpu, mode }, value: c.seconds[i] })
      );
    }
    const out = [
      fam('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.', cpu),
    ];
    const one = (name: string, type: 'counter' | 'gauge', help: string, v: number | undefined) => {
      if (v !== undefined && Number.isFinite(v)) out.push(fam(name, type, help, [{ value: v }]));
    };
    one('node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.', s.bootTime);
    one(
      'node_context_switches_total',
      'counter',
      'Total number of context switches.',
      s.contextSwitches,
    );
    one('node_intr_total', 'counter', 'Total number of interrupts serviced.', s.interrupts);
    one('node_procs_running', 'gauge', 'Number of processes in runnable state.', s.procsRunning);
    one(
      'node_procs_blocked',
      'gauge',
      'Number of processes blocked waiting for I/O to complete.',
      s.procsBlocked,
    );
    return out;
  }

  async #meminfo(): Promise<MetricFamily[]> {
    const text = await this.#read('meminfo');
    if (text === undefined) return [];
    return [...parseMeminfo(text)].map(([key, v]) =>
      fam(`node_memory_${key}`, 'gauge', `Memory information field ${key}.`, [{ value: v }])
    );
  }

  async #filesystems(): Promise<MetricFamily[]> {
    const statfs = this.#src.statfs;
    if (!statfs) return [];
    const text = (await this.#read('1/mounts')) ?? (await this.#read('self/mounts'));
    if (text === undefined) return [];
    const seen = new Set<string>();
    const mounts = parseMounts(text).filter((m) => {
      if (this.#o.mountPointsExclude.test(m.mountpoint)) return false;
      if (this.#o.fsTypesExclude.test(m.fstype)) return false;
      const key = `${m.device}\0${m.mountpoint}\0${m.fstype}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const stats = await Promise.all(mounts.map((m) => this.#statfs(statfs, m.mountpoint)));
    const names = [
      ['size_bytes', 'Filesystem size in bytes.'],
      ['free_bytes', 'Filesystem free space in bytes.'],
      ['avail_bytes', 'Filesystem space available to non-root users in bytes.'],
      ['files', 'Filesystem total file nodes.'],
      ['files_free', 'Filesystem total free file nodes.'],
      ['readonly', 'Filesystem read-only status.'],
      ['device_error', 'Whether an error occurred while getting statistics for the given device.'],
    ] as const;
    const points = new Map<string, MetricPoint[]>(names.map(([n]) => [n, []]));
    mounts.forEach((m, i) => {
      const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
      const st = stats[i];
      points.get('device_error')!.push({ labels, value: st ? 0 : 1 });
      if (!st) return;
      const values: Record<string, number> = {
        size_bytes: st.blocks * st.blockSize,
        free_bytes: st.blocksFree * st.blockSize,
        avail_bytes: st.blocksAvailable * st.blockSize,
        files: st.files,
        files_free: st.filesFree,
        readonly: m.readonly ? 1 : 0,
      };
      for (const [k, v] of Object.entries(values)) points.get(k)!.push({ labels, value: v });
    });
    return names
      .filter(([n]) => points.get(n)!.length > 0)
      .map(([n, help]) => fam(`node_filesystem_${n}`, 'gauge', help, points.get(n)!));
  }

  async #statfs(
    statfs: (p: string) => Promise<FsStats>,
    mountpoint: string,
  ): Promise<FsStats | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#o.statfsTimeoutMs);
    });
    try {
      return await Promise.race([statfs(mountpoint).catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #disks(): Promise<MetricFamily[]> {
    const text = await this.#read('diskstats');
    if (text === undefined) return [];
    const disks = parseDiskstats(text).filter((d) => !this.#o.diskDevicesExclude.test(d.device));
    if (disks.length === 0) return [];
    const series = (
      name: string,
      help: string,
      pick: (d: (typeof disks)[number]) => number,
    ) =>
      fam(
        name,
        'counter',
        help,
        disks.map((d) => ({ labels: { device: d.device }, value: pick(d) })),
      );
    return [
      series(
        'node_disk_reads_completed_total',
        'The total number of reads completed successfully.',
        (d) => d.readsCompleted,
      ),
      series(
        'node_disk_read_bytes_total',
        'The total number of bytes read successfully.',
        (d) => d.readBytes,
      ),
      series(
        'node_disk_writes_completed_total',
        'The total number of writes completed successfully.',
        (d) => d.writesCompleted,
      ),
      series(
        'node_disk_written_bytes_total',
        'The total number of bytes written successfully.',
        (d) => d.writtenBytes,
      ),
      series(
        'node_disk_io_time_seconds_total',
        'Total seconds spent doing I/Os.',
        (d) => d.ioTimeSeconds,
      ),
    ];
  }

  async #netdev(): Promise<MetricFamily[]> {
    const text = await this.#read('net/dev');
    if (text === undefined) return [];
    const devs = parseNetDev(text).filter((d) => !this.#o.netDevicesExclude.test(d.device));
    if (devs.length === 0) return [];
    const out: MetricFamily[] = [];
    for (const dir of ['receive', 'transmit'] as const) {
      NETDEV_STATS.forEach((stat, i) => {
        out.push(fam(
          `node_network_${dir}_${stat}_total`,
          'counter',
          `Network device statistic ${dir}_${stat}.`,
          devs.map((d) => ({ labels: { device: d.device }, value: d[dir][i] })),
        ));
      });
    }
    return out;
  }

  async #loadavg(): Promise<MetricFamily[]> {
    const text = await this.#read('loadavg');
    const l = text === undefined ? undefined : parseLoadavg(text);
    if (!l) return [];
    return [
      fam('node_load1', 'gauge', '1m load average.', [{ value: l[0] }]),
      fam('node_load5', 'gauge', '5m load average.', [{ value: l[1] }]),
      fam('node_load15', 'gauge', '15m load average.', [{ value: l[2] }]),
    ];
  }

  async #uname(): Promise<MetricFamily[]> {
    const keys = ['ostype', 'hostname', 'osrelease', 'version', 'domainname', 'arch'] as const;
    const v = await Promise.all(keys.map((k) => this.#read(`sys/kernel/${k}`)));
    if (v[0] === undefined) return [];
    const [sysname, nodename, release, version, domainname, machine] = v.map((x) =>
      (x ?? '').trim()
    );
    return [fam(
      'node_uname_info',
      'gauge',
      'Labeled system information as provided by the uname system call.',
      [{ labels: { domainname, machine, nodename, release, sysname, version }, value: 1 }],
    )];
  }
}
