/**
 * Compressed sample chunks: Gorilla-style XOR floats with delta-of-delta timestamps.
 * @module
 */
export { BitReader } from './bit_reader.ts';
export { BitWriter } from './bit_writer.ts';
export { floatBits, joinFloat } from './float_bits.ts';
export { type DecodeTarget, MAX_CHUNK_SAMPLES, SAMPLES_PER_CHUNK, XorChunk } from './xor_chunk.ts';
export { XorIterator } from './xor_iterator.ts';
