/**
 * @packageDocumentation
 * `@sky/txn` gives skydb multi-key ACID transactions over `@sky/mvcc` and `@sky/journal`: snapshot
 * reads, buffered writes (no-steal: nothing uncommitted reaches the store or the disk), validation at
 * commit (read committed, snapshot, serializable), a redo record per commit made durable by the
 * journal's group commit, and installation in commit order only after the journal says durable.
 * An owner with knowledge the store lacks (a model's definition changed) can refuse commits through
 * a `validateCommit` hook.
 */
export { TxnManager, idleTimeoutMsDefault, redoBytesMaxDefault, redoFrameKind } from './txn-manager.js'
export type { BeginOptions, RedoLog, TransactionOptions, TxnManagerOptions, TxnStats } from './txn-manager.js'
export type { CommitCandidate, CommitRefusal, CommitValidator } from './commit-validator.js'
export { Txn } from './txn.js'
export type { CommitInfo, TxnScanOptions, TxnScanResult, TxnState } from './txn.js'
export { effectiveIsolation } from './isolation.js'
export type { Isolation, IsolationLevel } from './isolation.js'
export type { Key, Row, RowChecker, Value } from './value.js'
export type { RedoRecord, RedoWrite } from './internal/redo-codec.js'
export { decodeRedo, encodeRedo } from './internal/redo-codec.js'
export {
  DuplicateKeyError,
  ReadOnlyTxnError,
  RedoRecordError,
  RowNotFoundError,
  SerializationFailureError,
  TxnClosedError,
  TxnDiskFullError,
  TxnJournalPoisonedError,
  TxnTooLargeError,
  TypeMismatchError,
  UnknownModelError,
} from './errors.js'
export type { CloseReason, SerializationFailureReason } from './errors.js'
