/**
 * Secrets in this room are `Secret` objects: the value comes out only through `reveal()`, and every
 * way of printing one (string conversion, JSON, util.inspect, console.log) shows a mask. Messages
 * that leave the room pass through `scrub()` with the secrets of the request.
 */
import { inspect } from 'node:util';

const MASK = '••••••';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value, for the one place that must send or store it. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`;
  }
}

/** A Secret for a string, a Secret as is. */
export function secret(value: string | Secret): Secret {
  return value instanceof Secret ? value : new Secret(value);
}

/**
 * `text` with every occurrence of a secret replaced by the mask; also the JSON-escaped form, since
 * servers echo request bodies as JSON. Secrets shorter than 4 characters are not searched (they
 * would mask ordinary words) — and such secrets are not echoed by Keystone.
 */
export function scrub(text: string, secrets: readonly (Secret | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    const v = s.reveal();
    for (const form of new Set([v, JSON.stringify(v).slice(1, -1)])) out = out.split(form).join(MASK);
  }
  return out;
}
