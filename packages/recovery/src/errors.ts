/**
 * Typed errors of `@sky/recovery`. Codes are stable (`RECOVERY_WHAT`); messages may change. Each
 * error carries the fields an operator or a caller acts on: the segment, offset and LSN range of
 * damage, the checkpoint that failed, the process holding the lock.
 */
import { SkyError } from '@sky/std'

/** Another process (or another engine in this process) holds the data directory's `LOCK`. */
export class RecoveryLockedError extends SkyError {
  readonly code = 'RECOVERY_LOCKED'
  override readonly retryable = true
  constructor(
    readonly dir: string,
    /** Process id written in the lock file. */
    readonly pid: number,
  ) {
    super(`data directory ${dir} is locked by process ${pid}; only one process may open it`)
  }
}

/** Where damage sits in the data journal. */
export interface JournalDamageSite {
  readonly segment: string
  readonly offset: number
  /** Last good LSN before the damage (0n when none). */
  readonly lsnBefore: bigint
  /** First valid LSN found after the damage (0n when none was found). */
  readonly lsnAfter: bigint
}

/**
 * The data journal has bad bytes with valid frames after them (corruption in the middle, never a
 * crash remnant). Open refuses: frames after the damage would otherwise be silently dropped.
 */
export class RecoveryJournalCorruptError extends SkyError implements JournalDamageSite {
  readonly code = 'RECOVERY_JOURNAL_CORRUPT'
  readonly segment: string
  readonly offset: number
  readonly lsnBefore: bigint
  readonly lsnAfter: bigint
  constructor(site: JournalDamageSite, options: { cause?: unknown } = {}) {
    const after = site.lsnAfter === 0n ? 'later segments' : `lsn ${site.lsnAfter}`
    super(
      `data journal corrupt in ${site.segment} at offset ${site.offset}: frames after lsn ` +
        `${site.lsnBefore} up to ${after} are unreadable; nothing was changed. Run repair ` +
        '(skyd repair <dir>) to salvage every valid frame and quarantine the damage',
      options,
    )
    this.segment = site.segment
    this.offset = site.offset
    this.lsnBefore = site.lsnBefore
    this.lsnAfter = site.lsnAfter
  }
}

/**
 * No usable checkpoint and no journal reaching back far enough to replace it: every checkpoint
 * that the journal can continue is damaged. Run repair, which salvages the damaged checkpoint.
 */
export class RecoveryCheckpointCorruptError extends SkyError {
  readonly code = 'RECOVERY_CHECKPOINT_CORRUPT'
  constructor(readonly checkpoint: string, readonly detail: string) {
    super(
      `checkpoint ${checkpoint} is damaged (${detail}) and no older checkpoint plus journal ` +
        'replaces it; nothing was changed. Run repair to salvage it',
    )
  }
}

/** The journal does not continue the checkpoint: frames between them are missing. */
export class RecoveryJournalGapError extends SkyError {
  readonly code = 'RECOVERY_JOURNAL_GAP'
  constructor(
    /** LSN the journal should have continued from. */
    readonly expectedLsn: bigint,
    /** What it has instead (its first LSN, or its next LSN when it ends too early). */
    readonly foundLsn: bigint,
  ) {
    super(
      `data journal does not continue the checkpoint: expected lsn ${expectedLsn}, found ` +
        `${foundLsn}; run repair`,
    )
  }
}

/** A checkpoint, record or frame kind written by a newer skydb. Nothing was changed. */
export class RecoveryUnsupportedError extends SkyError {
  readonly code = 'RECOVERY_UNSUPPORTED_VERSION'
  constructor(readonly what: string, detail: string) {
    super(`${what}: ${detail}; this skydb cannot read it`)
  }
}

/** A record in the journal passed its checksum but cannot be applied (bad bytes or a bug). */
export class RecoveryBadRecordError extends SkyError {
  readonly code = 'RECOVERY_BAD_RECORD'
  constructor(readonly lsn: bigint, detail: string, options: { cause?: unknown } = {}) {
    super(`data journal record at lsn ${lsn} cannot be applied: ${detail}`, options)
  }
}

/** The engine was closed. */
export class RecoveryClosedError extends SkyError {
  readonly code = 'RECOVERY_CLOSED'
  constructor() {
    super('engine is closed')
  }
}

/**
 * The engine stopped (fail-stop) after its data journal or catalog failed a write or fdatasync:
 * no later commit, DDL or checkpoint is accepted. Reopen to recover what is on disk.
 */
export class RecoveryEngineFailedError extends SkyError {
  readonly code = 'RECOVERY_ENGINE_FAILED'
  constructor(options: { cause: unknown }) {
    super(
      'engine stopped after a failed write or fdatasync; reopen the database to recover',
      options,
    )
  }
}

/** A DDL statement whose data change (rewriting a model's rows) does not fit one transaction. */
export class RecoveryDdlTooLargeError extends SkyError {
  readonly code = 'RECOVERY_DDL_TOO_LARGE'
  constructor(readonly modelId: string, readonly bytes: number, readonly bytesMax: number) {
    super(
      `rewriting the rows of model ${modelId} takes ${bytes} bytes, more than one transaction ` +
        `may hold (${bytesMax}); nothing was changed`,
    )
  }
}

/** `restore` or `backup` was pointed at a target directory that is not empty. */
export class RecoveryTargetExistsError extends SkyError {
  readonly code = 'RECOVERY_TARGET_EXISTS'
  constructor(readonly target: string) {
    super(`target ${target} exists and is not empty; choose an empty or missing directory`)
  }
}

/** `restore` cannot reach the requested point from this backup and journal. */
export class RecoveryRestoreError extends SkyError {
  readonly code = 'RECOVERY_RESTORE_UNREACHABLE'
  constructor(detail: string) {
    super(`restore: ${detail}`)
  }
}
