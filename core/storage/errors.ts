/**
 * Errors an appender raises for samples it cannot take. Callers (scrape loops, rule groups,
 * remote-write receivers) count them by class, as Prometheus's callers do with its sentinels.
 * @module
 */

/** Base class of every storage rejection. */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** A sample older than its series' newest sample, outside the out-of-order window. */
export class OutOfOrderSampleError extends StorageError {
  override name = 'OutOfOrderSampleError';
  constructor(message = 'out of order sample') {
    super(message);
  }
}

/** A sample older than the storage accepts at all (before the out-of-order window or retention). */
export class TooOldSampleError extends StorageError {
  override name = 'TooOldSampleError';
  constructor(message = 'too old sample') {
    super(message);
  }
}

/** A second sample at an existing timestamp with a different value. */
export class DuplicateSampleError extends StorageError {
  override name = 'DuplicateSampleError';
  constructor(message = 'duplicate sample for timestamp') {
    super(message);
  }
}

/** A sample that can never be stored: empty label set or a timestamp that is not an integer. */
export class InvalidSampleError extends StorageError {
  override name = 'InvalidSampleError';
}
