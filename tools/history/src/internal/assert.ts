/**
 * Invariant checks for this package. `@sky/history` is dependency-free, so it carries its own
 * `assert` with the same meaning as `@sky/std`'s: a failure is a bug in the checker, never an
 * anomaly in the history, and nobody catches it.
 */

/** Thrown when an invariant of the checker does not hold: a bug. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError'
}

/** Throws {@link AssertionError} unless `condition` holds; narrows types like an `if`. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message)
}
