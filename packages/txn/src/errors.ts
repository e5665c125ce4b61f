/**
 * Typed errors of `@sky/txn`. Callers match on `code`; only serialization failures are retryable.
 */
import { SkyError } from '@sky/std'

/**
 * Why a commit could not be serialized: a concurrent commit changed a key it `read`, a range it
 * scanned (`range`) or a key it wrote (`write`); or the manager's commit validator refused it
 * (`definition`: a model it writes changed definition after it began, see
 * `TxnManagerOptions.validateCommit`).
 */
export type SerializationFailureReason = 'read' | 'range' | 'write' | 'definition'

/**
 * The transaction could not be serialized with those that committed since it began: something it
 * read, scanned or wrote was changed by a transaction that committed first, or the definition of
 * a model it writes changed after it began (`reason`). Nothing was written. Retry the whole
 * transaction (`TxnManager.transaction` does).
 */
export class SerializationFailureError extends SkyError {
  readonly code = 'TXN_SERIALIZATION_FAILURE'
  override readonly retryable = true
  constructor(
    readonly modelId: string,
    readonly reason: SerializationFailureReason,
  ) {
    super(
      reason === 'definition'
        ? `could not serialize: the definition of ${modelId} changed after this transaction began`
        : `could not serialize: a concurrent commit changed what this transaction ` +
            `${reasonText[reason]} in ${modelId}`,
    )
  }
}
const reasonText = { read: 'read', range: 'scanned', write: 'wrote' } as const

/** An insert found a row with the same primary key. */
export class DuplicateKeyError extends SkyError {
  readonly code = 'TXN_DUPLICATE_KEY'
  constructor(readonly modelId: string) {
    super(`a row with this primary key already exists in ${modelId}`)
  }
}

/** An update or delete found no row with that primary key. */
export class RowNotFoundError extends SkyError {
  readonly code = 'TXN_NOT_FOUND'
  constructor(readonly modelId: string) {
    super(`no row with this primary key in ${modelId}`)
  }
}

/** A key or row does not match the model's definition. */
export class TypeMismatchError extends SkyError {
  readonly code = 'TXN_TYPE_MISMATCH'
  constructor(
    readonly modelId: string,
    detail: string,
  ) {
    super(`type mismatch in ${modelId}: ${detail}`)
  }
}

/** The model has no store (never created, or dropped). */
export class UnknownModelError extends SkyError {
  readonly code = 'TXN_UNKNOWN_MODEL'
  constructor(readonly modelId: string) {
    super(`unknown model ${modelId}`)
  }
}

/** Why a transaction is closed. */
export type CloseReason = 'committed' | 'rolled back' | 'timed out' | 'failed'

/** The transaction was committed, rolled back, timed out or failed; it takes no more operations. */
export class TxnClosedError extends SkyError {
  readonly code = 'TXN_CLOSED'
  constructor(readonly reason: CloseReason) {
    super(`transaction is closed (${reason})`)
  }
}

/** A write in a transaction begun with `readOnly: true`. */
export class ReadOnlyTxnError extends SkyError {
  readonly code = 'TXN_READ_ONLY'
  constructor() {
    super('write in a read-only transaction')
  }
}

/** The write set does not fit one journal frame. */
export class TxnTooLargeError extends SkyError {
  readonly code = 'TXN_TOO_LARGE'
  constructor(
    readonly bytes: number,
    readonly bytesMax: number,
  ) {
    super(`transaction redo record of ${bytes} bytes exceeds ${bytesMax}`)
  }
}

/**
 * The journal failed an fdatasync (or is poisoned from an earlier failure): this commit's outcome is
 * unknown until the database is reopened (its record may or may not be on disk), and no further commit
 * is accepted. `cause` is the journal's error.
 */
export class TxnJournalPoisonedError extends SkyError {
  readonly code = 'TXN_JOURNAL_POISONED'
  constructor(options: { cause: unknown }) {
    super('journal poisoned: commit outcome unknown until reopen; no further commits accepted', options)
  }
}

/** The journal ran out of space: this transaction was not committed. Retryable once space exists. */
export class TxnDiskFullError extends SkyError {
  readonly code = 'TXN_DISK_FULL'
  override readonly retryable = true
  constructor(options: { cause: unknown }) {
    super('journal disk full: the transaction was not committed', options)
  }
}

/** A redo record could not be decoded (unknown version or malformed bytes). */
export class RedoRecordError extends SkyError {
  readonly code = 'TXN_BAD_REDO_RECORD'
  constructor(detail: string) {
    super(`bad redo record: ${detail}`)
  }
}
