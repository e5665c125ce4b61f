/**
 * @packageDocumentation
 * `@sky/embedded` is skydb in-process: {@link open} a data directory and get a {@link Database}
 * that runs BlueQL (Skytable 0.8's language, same results and error codes) with skydb's
 * guarantees: an acknowledged statement is on disk, transactions (`begin` … `commit`, or
 * {@link Database.transaction} with retries) are serializable by default, and a crash loses
 * nothing acknowledged (recovery by `@sky/recovery`, reported in `db.recoveryReport`).
 * {@link Database.backup} writes an online, consistent backup while writers go on. No server.
 */

// open.ts
export { open } from './open.js'
export type { OpenOptions } from './open.js'

// database.ts
export { Database, DatabaseSession } from './database.js'
export type { DatabaseSessionOptions, DatabaseStats, TransactionOptions } from './database.js'

// backup.ts
export type { BackupResult } from './backup.js'

// parameters.ts
export { float, sint, toParameter, uint } from './parameters.js'
export type { BindValue } from './parameters.js'

// plain.ts
export { plainRow, plainRows, plainValue, toPlain } from './plain.js'
export type { PlainValue } from './plain.js'

// errors.ts
export { BackupFailedError, BackupTargetNotEmptyError, DatabaseClosedError } from './errors.js'

// Re-exported from the packages below, for callers of this one.
export { QueryError, serializationFailureCode } from '@sky/ql'
export type {
  IsolationLevel,
  MultiRowResult,
  Parameter,
  QueryResult,
  ResultValue,
  RowResult,
} from '@sky/ql'
export type { CheckpointInfo, CheckpointPolicy, RecoveryReport } from '@sky/recovery'
