/**
 * Snappy block decompression, hand-written: snappyjs 0.7 trusts literal lengths, so a
 * 50-byte corrupt body kept it looping for seconds (measured under Bun) — a denial of service
 * on a public endpoint. This decoder checks every element against both buffers first.
 * @module
 */
import { RemoteCodecError } from './errors.ts';

/**
 * Decodes the elements of a snappy block into `out`, whose length is the block's declared
 * uncompressed length; `pos` is where the elements start (after the length header).
 * @throws {RemoteCodecError} an element reads or writes out of bounds, or the output is short.
 */
export function decodeSnappyElements(src: Uint8Array, pos: number, out: Uint8Array): void {
  const n = src.length, total = out.length;
  let o = 0;
  while (pos < n) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > n) throw corrupt('literal length past the input', pos);
        len = src[pos] | (extra > 1 ? src[pos + 1] << 8 : 0) |
          (extra > 2 ? src[pos + 2] << 16 : 0);
        if (extra > 3) len += src[pos + 3] * 16777216;
        pos += extra;
      }
      len += 1;
      if (len > n - pos) throw corrupt('literal runs past the input', pos);
      if (len > total - o) throw corrupt('literal runs past the declared length', pos);
      if (len < 16) {
        for (let i = 0; i < len; i++) out[o + i] = src[pos + i];
      } else out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number, offset: number;
    if (kind === 1) {
      if (pos >= n) throw corrupt('truncated copy', pos);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      if (pos + 2 > n) throw corrupt('truncated copy', pos);
      len = (tag >>> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw corrupt('truncated copy', pos);
      len = (tag >>> 2) + 1;
      offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16)) + src[pos + 3] * 16777216;
      pos += 4;
    }
    if (offset === 0 || offset > o) throw corrupt(`copy offset ${offset} out of range`, pos);
    if (len > total - o) throw corrupt('copy runs past the declared length', pos);
    if (offset >= len && len >= 16) out.copyWithin(o, o - offset, o - offset + len);
    else {
      // Overlapping copies repeat a pattern, so they go byte by byte.
      for (let i = 0; i < len; i++) out[o + i] = out[o - offset + i];
    }
    o += len;
  }
  if (o !== total) throw corrupt(`output has ${o} of the declared ${total} bytes`, pos);
}

function corrupt(what: string, pos: number): RemoteCodecError {
  return new RemoteCodecError(`snappy: corrupt input (${what} at offset ${pos})`);
}
