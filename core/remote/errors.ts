/**
 * The one error type the remote codecs throw: malformed protobuf, a bad snappy block, or a
 * payload over a size limit. Its message names the field or offset that is wrong.
 * @module
 */

/** A remote-write or remote-read payload that cannot be decoded. */
export class RemoteCodecError extends Error {
  override name = 'RemoteCodecError';
}
