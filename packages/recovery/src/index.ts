/**
 * @packageDocumentation
 * `@sky/recovery` assembles `@sky/vfs`, `@sky/journal`, `@sky/gns`, `@sky/mvcc` and `@sky/txn` into
 * a data directory that opens correctly after any crash. {@link openEngine} takes the directory's
 * lock, loads the newest valid checkpoint, replays the data journal after it, resolves two-phase
 * DDL and returns an {@link Engine} with a {@link RecoveryReport}; a torn tail goes to the
 * quarantine, corruption in the middle refuses with a typed error. Checkpoints are taken by journal
 * volume, time and on close, at one commit timestamp while writers continue. {@link repair}
 * salvages every valid frame past damage and quarantines the rest byte for byte; {@link verify}
 * checks everything without changing anything; `Engine.backup` and {@link restore} give online
 * backups and point-in-time restore. Nothing recovery cannot use is ever deleted. The bytes are
 * described in FORMAT.md; the decision tables in README.md.
 */

// engine.ts, open-engine.ts
export { openEngine } from './open-engine.js'
export { ddlStoreId, modelKeyKind, storeIdOf } from './engine.js'
export type {
  BackupInfo,
  CheckpointInfo,
  CheckpointPolicy,
  Engine,
  EngineOptions,
  EngineStats,
} from './engine.js'

// report.ts
export type {
  CheckpointSkipped,
  CheckpointUsed,
  DroppedStore,
  RecoveryReport,
  ReplayReport,
  TornTailReport,
  TwoPhaseResolution,
} from './report.js'

// frame-kinds.ts
export { dataFrameKind, isDataFrameKind } from './frame-kinds.js'
export type { DataFrameKind } from './frame-kinds.js'

// data-catalog-source.ts
export { DataCatalogSource } from './data-catalog-source.js'
export type { CatalogRecords, DataCatalogSourceOptions } from './data-catalog-source.js'

// errors.ts
export {
  RecoveryBadRecordError,
  RecoveryCheckpointCorruptError,
  RecoveryClosedError,
  RecoveryDdlTooLargeError,
  RecoveryEngineFailedError,
  RecoveryJournalCorruptError,
  RecoveryJournalGapError,
  RecoveryLockedError,
  RecoveryRestoreError,
  RecoveryTargetExistsError,
  RecoveryUnsupportedError,
} from './errors.js'
export type { JournalDamageSite } from './errors.js'

// repair.ts, verify.ts, restore.ts
export { repair } from './repair.js'
export type {
  CatalogRepairReport,
  CheckpointRepairEntry,
  JournalDamageReport,
  JournalRepairReport,
  LostRecord,
  RepairOptions,
  RepairReport,
  SuspectedFrame,
} from './repair.js'
export { verify } from './verify.js'
export type { VerifiedCheckpoint, VerifyOptions, VerifyProblem, VerifyReport } from './verify.js'
export { restore } from './restore.js'
export type { RestoreOptions, RestoreReport } from './restore.js'
