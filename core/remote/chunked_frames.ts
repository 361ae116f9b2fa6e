/**
 * Framing of streamed remote-read answers (`application/x-streamed-protobuf;
 * proto=prometheus.ChunkedReadResponse`): each message is preceded by its length as a uvarint
 * and its CRC-32C (Castagnoli) as a big-endian uint32.
 * @module
 */
import { RemoteCodecError } from './errors.ts';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of `bytes`. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Wraps one encoded message as a frame. */
export function encodeFrame(message: Uint8Array): Uint8Array<ArrayBuffer> {
  const head: number[] = [];
  let n = message.length;
  while (n >= 0x80) {
    head.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  head.push(n);
  const out = new Uint8Array(head.length + 4 + message.length);
  out.set(head, 0);
  new DataView(out.buffer).setUint32(head.length, crc32c(message), false);
  out.set(message, head.length + 4);
  return out;
}

/**
 * Splits concatenated frames into their messages, checking each checksum.
 * @throws {RemoteCodecError} a truncated frame, a frame over `maxFrameBytes`, or a bad checksum.
 */
export function decodeFrames(bytes: Uint8Array, maxFrameBytes = 50 * 1024 * 1024): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length) {
    let len = 0, shift = 0, b: number;
    do {
      if (p >= bytes.length || shift > 49) throw new RemoteCodecError('truncated frame length');
      b = bytes[p++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b >= 0x80);
    if (len > maxFrameBytes) {
      throw new RemoteCodecError(`frame of ${len} bytes exceeds the limit of ${maxFrameBytes}`);
    }
    if (p + 4 + len > bytes.length) throw new RemoteCodecError('truncated frame');
    const want = new DataView(bytes.buffer, bytes.byteOffset + p, 4).getUint32(0, false);
    const message = bytes.subarray(p + 4, p + 4 + len);
    if (crc32c(message) !== want) throw new RemoteCodecError('frame checksum mismatch');
    out.push(message);
    p += 4 + len;
  }
  return out;
}
