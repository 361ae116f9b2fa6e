/**
 * A secret config value (password, token, webhook URL): it prints as `<secret>` everywhere,
 * in logs, JSON, YAML and error messages; only {@link Secret.reveal} gives the value.
 * @module
 */

/** The text that stands in for a secret. */
export const SECRET_MASK = '<secret>';

/** Wraps a secret string so that it cannot leak by accident. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: call only where it is sent to the system that needs it. */
  reveal(): string {
    return this.#value;
  }

  /** Whether a value is set. */
  get isEmpty(): boolean {
    return this.#value === '';
  }

  toString(): string {
    return SECRET_MASK;
  }

  toJSON(): string {
    return SECRET_MASK;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return SECRET_MASK;
  }
}
