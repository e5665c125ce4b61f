/**
 * Typed errors of `@sky/journal`. Codes are stable; see README.md for when each is raised.
 */
import { SkyError } from '@sky/std'

/**
 * An fdatasync failed: the journal stops acknowledging forever (fail-stop). Every waiter of the failed
 * batch and every later append gets this error. Reopen the journal to recover what is on disk.
 */
export class JournalPoisonedError extends SkyError {
  readonly code = 'JOURNAL_POISONED'
  constructor(
    /** The last LSN acknowledged as durable before the failure (0n if none). */
    readonly lsn: bigint,
    options: { cause: unknown },
  ) {
    super(`journal poisoned: fdatasync failed after lsn ${lsn}; reopen to recover`, options)
  }
}

/**
 * The disk is full. No frame of the failed batch was acknowledged and the partial write was cut back;
 * appends succeed again once space exists.
 */
export class DiskFullError extends SkyError {
  readonly code = 'JOURNAL_DISK_FULL'
  override readonly retryable = true
  constructor(
    readonly segment: string,
    options: { cause: unknown },
  ) {
    super(`journal disk full while writing ${segment}; nothing of this batch was acknowledged`, options)
  }
}

/** The journal was closed. */
export class JournalClosedError extends SkyError {
  readonly code = 'JOURNAL_CLOSED'
  constructor() {
    super('journal is closed')
  }
}

/** Where damage was found, and the last good and first good LSN around it. */
export interface CorruptionSite {
  readonly segment: string
  readonly offset: number
  readonly lsnBefore: bigint
  readonly lsnAfter: bigint
}

/**
 * A bad frame with valid frames after it: corruption in the middle, never a crash remnant. The journal
 * refuses to continue past it; a repair tool must salvage around it.
 */
export class JournalCorruptError extends SkyError implements CorruptionSite {
  readonly code = 'JOURNAL_CORRUPT'
  readonly segment: string
  readonly offset: number
  readonly lsnBefore: bigint
  readonly lsnAfter: bigint
  constructor(site: CorruptionSite) {
    super(
      `journal corrupt in ${site.segment} at offset ${site.offset}: last good lsn ${site.lsnBefore}, ` +
        `next valid lsn ${site.lsnAfter}; run repair`,
    )
    this.segment = site.segment
    this.offset = site.offset
    this.lsnBefore = site.lsnBefore
    this.lsnAfter = site.lsnAfter
  }
}

/** A segment header names a format version this code does not know (written by a newer skydb). */
export class JournalVersionError extends SkyError {
  readonly code = 'JOURNAL_UNSUPPORTED_VERSION'
  constructor(
    readonly segment: string,
    readonly version: number,
  ) {
    super(`journal segment ${segment} has format version ${version}, which this skydb cannot read`)
  }
}
