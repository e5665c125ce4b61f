/**
 * Errors of `@sky/embedded` itself. A statement's failure is a `QueryError` from `@sky/ql` (with
 * the Skytable code to answer); these are the failures of the database object around it: using it
 * after `close()`, and a backup that could not be written.
 */
import { SkyError } from '@sky/std'

/** A query, session, transaction, checkpoint or backup on a database after `close()`. */
export class DatabaseClosedError extends SkyError {
  readonly code = 'EMBEDDED_CLOSED'
  constructor() {
    super('the database is closed')
  }
}

/**
 * `Database.backup(target)` refused: `target` exists and is not an empty directory (a backup
 * never writes over anything). Nothing was written.
 */
export class BackupTargetNotEmptyError extends SkyError {
  readonly code = 'EMBEDDED_BACKUP_TARGET_NOT_EMPTY'
  constructor(
    readonly target: string,
    options: { cause?: unknown } = {},
  ) {
    super(`backup target ${target} exists and is not empty; choose a missing or empty directory`,
      options)
  }
}

/**
 * `Database.backup(target)` failed part way: the target could not be created or written (no
 * space, no permission, a file in the way, EIO), or the engine stopped after a fatal storage
 * failure (then reopen the database). `cause` holds the underlying error; retryable when it is
 * (a full disk, once space is freed). The target may hold a partial backup (a complete one ends
 * with `backup.json`, written last): do not use it, and remove it before trying the same path
 * again. The database itself is unaffected unless the cause says it stopped.
 */
export class BackupFailedError extends SkyError {
  readonly code = 'EMBEDDED_BACKUP_FAILED'
  override readonly retryable: boolean
  constructor(
    readonly target: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(`backup into ${target} failed: ${reason}`, options)
    this.retryable = (options.cause as { retryable?: unknown } | null)?.retryable === true
  }
}
