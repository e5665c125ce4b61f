/**
 * SkyError: the base of every operating error in skydb.
 *
 * Operating errors (disk full, EIO, corruption, conflicts, bad input) are expected and typed: each
 * subclass carries a stable `code` (`PACKAGE_WHAT`, never changed once released) and says whether
 * retrying the same operation can succeed. Callers match on `code`, not `instanceof`, because two
 * installed copies of a package have two distinct classes but the same codes.
 *
 * Bugs are not SkyErrors: they are assertion failures (see `assert.ts`) and stop the process.
 */

/** Options accepted by every {@link SkyError} constructor. */
export interface SkyErrorOptions {
  /** The lower-level error that caused this one, kept for diagnosis. */
  readonly cause?: unknown
}

/**
 * Base class of typed skydb errors.
 *
 * @example
 * ```ts
 * class DiskFullError extends SkyError {
 *   readonly code = 'JOURNAL_DISK_FULL'
 *   readonly retryable = true
 * }
 * try { await journal.append(payload) } catch (error) {
 *   if (isSkyError(error, 'JOURNAL_DISK_FULL')) freeSomeSpace()
 * }
 * ```
 */
export abstract class SkyError extends Error {
  /** Stable machine-readable code, `PACKAGE_WHAT`. */
  abstract readonly code: string
  /** Whether the same operation may succeed if tried again (after the condition clears). */
  readonly retryable: boolean = false

  constructor(message: string, options: SkyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
  }
}

/**
 * True when `value` is a {@link SkyError}, optionally with the given code. Works across copies of
 * this package because it checks the shape, not the prototype chain.
 */
export function isSkyError(value: unknown, code?: string): value is SkyError {
  if (!(value instanceof Error)) return false
  const candidate = value as Partial<SkyError>
  if (typeof candidate.code !== 'string') return false
  if (typeof candidate.retryable !== 'boolean') return false
  return code === undefined || candidate.code === code
}
