/**
 * Snappy block format (not the framed stream format), as remote write and remote read use it.
 * Compression comes from the `snappyjs` package; decompression is our own (see
 * `snappy_decode.ts` for why). Callers see typed functions and one error type.
 * @module
 */
import snappy from 'snappyjs';
import { RemoteCodecError } from './errors.ts';
import { decodeSnappyElements } from './snappy_decode.ts';

/** Default ceiling on a decompressed payload: a larger header is refused before allocating. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

// snappyjs has no type declarations; Deno infers a union from its JS, so pin the shape here.
const compress = snappy.compress as (input: Uint8Array) => Uint8Array;

/**
 * Decompresses a snappy block.
 * @throws {RemoteCodecError} the input is not a snappy block, or its length exceeds `maxBytes`.
 */
export function snappyDecompress(
  block: Uint8Array,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Uint8Array<ArrayBuffer> {
  const length = uncompressedLength(block);
  if (length < 0) throw new RemoteCodecError('snappy: corrupt input (bad length header)');
  if (length > maxBytes) {
    throw new RemoteCodecError(
      `snappy: decompressed length ${length} exceeds the limit of ${maxBytes} bytes`,
    );
  }
  // A copy element of 3 bytes yields at most 64, so a longer header cannot be honest; refusing
  // it here saves allocating the claimed size for garbage.
  if (length > 22 * block.length) {
    throw new RemoteCodecError(`snappy: corrupt input (header claims ${length} bytes)`);
  }
  const out = new Uint8Array(length);
  decodeSnappyElements(block, headerLength(block), out);
  return out;
}

/** Compresses `bytes` into one snappy block. */
export function snappyCompress(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return plain(compress(bytes));
}

/** The length a snappy block declares in its header, or -1 when the header is malformed. */
export function uncompressedLength(block: Uint8Array): number {
  let result = 0;
  for (let i = 0, shift = 0; i < block.length && shift < 35; i++, shift += 7) {
    const b = block[i];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return result > 0xffffffff ? -1 : result;
  }
  return -1;
}

function headerLength(block: Uint8Array): number {
  let i = 0;
  while (block[i] >= 0x80) i++;
  return i + 1;
}

// Under Node-compatible runtimes snappyjs may hand back a Buffer; callers get a plain view.
function plain(u: Uint8Array): Uint8Array<ArrayBuffer> {
  const buffer = u.buffer as ArrayBuffer;
  return u.constructor === Uint8Array
    ? u as Uint8Array<ArrayBuffer>
    : new Uint8Array(buffer, u.byteOffset, u.byteLength);
}
