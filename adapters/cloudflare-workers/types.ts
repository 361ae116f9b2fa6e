/**
 * The few Cloudflare Workers runtime types this adapter touches, declared here so that the code
 * type-checks without `@cloudflare/workers-types`. Shapes follow the Workers documentation.
 * @module
 */

/** The third argument of a handler: keeps the invocation alive for background work. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** The first argument of `scheduled()`: which cron trigger fired, and when it was due. */
export interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry?(): void;
}

/** Workers KV, as far as a text value under one key goes. */
export interface KVNamespace {
  get(key: string, type: 'text'): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

/**
 * A Durable Object's transactional storage (the asynchronous key-value API). Writing several
 * keys in one `put` is atomic (at most 128 keys), and a value holds at most 128 KiB.
 */
export interface DurableObjectStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
  put<T>(entries: Record<string, T>): Promise<void>;
  delete(keys: string[]): Promise<number>;
}

/** The first constructor argument of a Durable Object class. */
export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
}

/** An opaque Durable Object id. */
export interface DurableObjectId {
  toString(): string;
}

/** A client of one Durable Object. */
export interface DurableObjectStub {
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}

/** A Durable Object namespace binding. */
export interface DurableObjectNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub;
}
