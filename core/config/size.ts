/**
 * Byte sizes (`512MB`, `1GB`, `0`) with base-2 units, as Prometheus's `units.Base2Bytes`.
 * @module
 */

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  KiB: 1024,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1024 ** 4,
  TiB: 1024 ** 4,
  PB: 1024 ** 5,
  PiB: 1024 ** 5,
  EB: 1024 ** 6,
  EiB: 1024 ** 6,
};

/** A number of bytes with its text form. */
export class ByteSize {
  readonly bytes: number;

  constructor(bytes: number) {
    this.bytes = bytes;
  }

  /** Parses `512MB`, `1GiB`, `100B` or a plain `0`; throws on anything else. */
  static parse(text: string): ByteSize {
    const bytes = parseSize(text);
    if (bytes === undefined) throw new Error(`invalid size ${JSON.stringify(text)}`);
    return new ByteSize(bytes);
  }

  toString(): string {
    const b = this.bytes;
    if (b === 0) return '0B';
    for (const unit of ['EB', 'PB', 'TB', 'GB', 'MB', 'KB']) {
      if (b % UNITS[unit] === 0) return `${b / UNITS[unit]}${unit}`;
    }
    return `${b}B`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a size to bytes, or `undefined`. A sequence such as `1GB512MB` is allowed, as in Go. */
export function parseSize(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)([KMGTPE]i?B|B)/y;
  let total = 0, pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 && Number.isFinite(total) ? Math.floor(total) : undefined;
}
