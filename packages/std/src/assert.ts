/**
 * Assertions that stay on in production.
 *
 * An assertion states an invariant that only a bug can break. When one fails the program is in a
 * state nobody reasoned about, so the error is an {@link AssertionError} that callers must not
 * catch: crashing is safer than acknowledging a write on top of a broken invariant.
 */

/** Thrown by {@link assert} and {@link unreachable}. Signals a bug, never an operating condition. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`)
    this.name = 'AssertionError'
  }
}

/**
 * Throws {@link AssertionError} unless `condition` holds; narrows its type when it does.
 *
 * @example
 * ```ts
 * assert(offset >= 0, 'offset is not negative')
 * ```
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message)
}

/**
 * Marks a branch that the types say cannot run, such as the default of an exhaustive switch.
 *
 * @throws AssertionError always.
 */
export function unreachable(value: never, message = 'unreachable'): never {
  throw new AssertionError(`${message}: ${String(value)}`)
}
