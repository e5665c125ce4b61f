/**
 * The engine's shared state, as the internal modules (DDL, checkpoints, backup) see it. One per
 * open engine; `EngineImpl` owns it.
 *
 * Invariants: `pending` holds exactly the two-phase DDL whose PREPARE record is in the journal and
 * whose commit echo is not; once `failure` is set it never clears (fail-stop); `fences` is the
 * `manager`'s commit validator.
 */
import type { Gns } from '@sky/gns'
import type { Journal } from '@sky/journal'
import type { MvccDatabase } from '@sky/mvcc'
import type { Row, TxnManager } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import type { DataLog } from './data-log.js'
import type { Lane } from './lane.js'
import type { PrepareRecord } from './records.js'
import type { ShapeFences } from './shape-fences.js'

/** Settings resolved from `EngineOptions`. */
export interface EngineSettings {
  readonly checkpointJournalBytes: number
  readonly checkpointIntervalMs: number
  readonly checkpointOnClose: boolean
  readonly checkpointsRetained: number
  readonly retainSegments: number | 'all'
  readonly redoBytesMax: number
  readonly segmentBytesMax: number | undefined
  readonly now: () => number
}

export interface EngineCore {
  readonly fs: FileSystem
  readonly dir: string
  readonly journalDir: string
  readonly checkpointsDir: string
  readonly settings: EngineSettings
  readonly gns: Gns
  readonly journal: Journal
  readonly dataLog: DataLog
  readonly db: MvccDatabase<Row>
  readonly manager: TxnManager
  readonly lane: Lane
  readonly pending: Map<string, PrepareRecord>
  readonly fences: ShapeFences
  failure: unknown
  closed: boolean
}
