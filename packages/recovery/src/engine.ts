/**
 * The Engine interface: one open data directory with everything assembled (catalog, transaction
 * manager, multi-version store, data journal, checkpoints), and the options of `openEngine`.
 */
import type { DdlOp, DdlResult, Gns, GnsOptions, Model } from '@sky/gns'
import type { KeyKind, MvccDatabase } from '@sky/mvcc'
import type { IsolationLevel, Row, RowChecker, TxnManager } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import type { RecoveryReport } from './report.js'

/** When checkpoints are taken. */
export interface CheckpointPolicy {
  /** After this many bytes of journal frames since the last checkpoint. Default 64 MiB. */
  readonly journalBytes?: number
  /** At most this long after the first write since the last checkpoint. Default 5 min; 0: never. */
  readonly intervalMs?: number
  /** Checkpoint on `close()`. Default true. */
  readonly onClose?: boolean
  /** Checkpoints kept (1 or more; default 2). Segments before the oldest kept are removed. */
  readonly retain?: number
}

/** Options of `openEngine`. */
export interface EngineOptions {
  /** `NodeFileSystem` for the real disk, `SimFileSystem` in tests. */
  readonly fs: FileSystem
  /** The data directory (absolute); created durably if missing. */
  readonly dir: string
  /**
   * Durability of the data journal (see `@sky/journal`): `sync` (default: acknowledged = on disk),
   * `batch` (with `batchDelayMs`) or `none` (tests and benchmarks only). The catalog always uses
   * `sync` unless `gnsOptions.durability` says otherwise.
   */
  readonly durability?: 'sync' | 'batch' | 'none'
  /** Required with `durability: 'batch'`. */
  readonly batchDelayMs?: number
  readonly checkpoint?: CheckpointPolicy
  /**
   * Journal segments older than recovery needs that are kept anyway, for point-in-time restore:
   * a count of segments, or `'all'` (never remove a segment). Default 0.
   */
  readonly retainSegments?: number | 'all'
  /** Size at which a data journal segment rolls over. Default 64 MiB. */
  readonly segmentBytesMax?: number
  /** Default isolation of transactions (default `serializable`). */
  readonly defaultIsolation?: IsolationLevel
  /** Explicit transactions idle this long are rolled back (default 60 s; 0 disables). */
  readonly idleTimeoutMs?: number
  /** Largest transaction (redo record) in bytes. Default 16 MiB. */
  readonly redoBytesMax?: number
  /** Checks rows against the catalog (the query layer's type checker). */
  readonly rows?: RowChecker
  /** How often a time mark is written while commits flow (restore `toTime` precision). 1 s. */
  readonly timeMarkIntervalMs?: number
  /** Options passed to `openGns` (its `fs`, `dir` and `catalogSource` are the engine's). */
  readonly gnsOptions?: Omit<GnsOptions, 'fs' | 'dir' | 'catalogSource'>
  /** The wall clock (tests inject one). Default `Date.now`. */
  readonly now?: () => number
}

/** What a checkpoint wrote. */
export interface CheckpointInfo {
  readonly name: string
  readonly lsn: bigint
  readonly commitTs: number
  readonly rows: number
  readonly bytes: number
  readonly durationMs: number
  /** Journal segments removed after it. */
  readonly segmentsRemoved: number
  /** Older checkpoints removed after it. */
  readonly checkpointsRemoved: number
}

/** What a backup wrote. */
export interface BackupInfo {
  readonly target: string
  readonly checkpoint: CheckpointInfo
  /** Journal segments copied (frames after the checkpoint, up to the moment of the copy). */
  readonly segments: readonly string[]
  /** Last LSN the copied journal reaches. */
  readonly journalEndLsn: bigint
}

/** Counters of an open engine. */
export interface EngineStats {
  readonly checkpoints: number
  readonly lastCheckpoint: CheckpointInfo | undefined
  /** The error of the last background checkpoint that failed (cleared by a success). */
  readonly lastCheckpointError: unknown
  readonly journalBytesSinceCheckpoint: number
}

/**
 * An open data directory.
 *
 * Rows live in `store` under store ids from {@link storeIdOf} (one per catalog model); transactions
 * go through `manager`; DDL goes through `ddl` (never `gns.execute` directly: `ddl` also writes the
 * echo and changes the stores).
 *
 * @example
 * ```ts
 * const engine = await openEngine({ fs: new NodeFileSystem(), dir: '/var/lib/skydb' })
 * await engine.ddl({ kind: 'createSpace', name: 'shop' })
 * const { version } = await engine.ddl({ kind: 'createModel', space: 'shop', name: 'orders',
 *   fields: [{ name: 'id', type: { name: 'uint64' } }, { name: 'note', type: { name: 'string' } }],
 * })
 * const orders = storeIdOf(version.model('shop', 'orders')!)
 * await engine.manager.transaction((txn) => txn.insert(orders, 1n, [1n, 'first']))
 * await engine.close()
 * ```
 */
export interface Engine {
  readonly dir: string
  readonly gns: Gns
  readonly manager: TxnManager
  readonly store: MvccDatabase<Row>
  /** What the open that returned this engine found and did. */
  readonly report: RecoveryReport
  readonly stats: EngineStats
  /**
   * Runs one DDL statement: the catalog event, its echo in the data journal, and the stores'
   * change. A statement that also changes data (dropping a model or space with rows, altering the
   * fields of a model with rows) commits with the two-phase protocol. `dropModel.hasData` is
   * computed here. Statements run one at a time. While an `alter model … remove` runs, commits
   * writing that model are refused, and afterwards those of transactions begun before it, with
   * the retryable `TXN_SERIALIZATION_FAILURE` (`reason: 'definition'`): they may hold rows of the
   * old shape (`manager.transaction` and `manager.autocommit` wait for the statement and retry).
   *
   * @throws every `@sky/gns` error of the statement (nothing changed),
   *   RecoveryDdlTooLargeError (a row rewrite that does not fit one transaction; nothing changed),
   *   RecoveryEngineFailedError, RecoveryClosedError, and `@sky/txn` errors of the row rewrite.
   */
  ddl(op: DdlOp): Promise<DdlResult>
  /**
   * Writes a checkpoint now (unless nothing changed since the last one: resolves undefined) while
   * writers continue, then removes what it made unnecessary.
   *
   * @throws RecoveryEngineFailedError, RecoveryClosedError, vfs errors of the write.
   */
  checkpoint(): Promise<CheckpointInfo | undefined>
  /**
   * Writes an online, consistent backup into `target` (missing or empty): a checkpoint of the
   * current state and a copy of the journal after it. `restore` reads it.
   *
   * @throws RecoveryTargetExistsError, RecoveryEngineFailedError, RecoveryClosedError, vfs errors.
   */
  backup(target: string): Promise<BackupInfo>
  /**
   * Waits for commits and DDL in flight, checkpoints (unless the policy says not to, or the engine
   * failed), closes the journals and releases the lock. Idempotent.
   */
  close(): Promise<void>
}

/** Store ids that hold the engine's own data, never a catalog model's. */
export const ddlStoreId = '$ddl'

/**
 * The `@sky/mvcc` store id of a catalog model: its id in decimal. Ids are never reused, so a
 * dropped and recreated model never sees the old rows.
 */
export function storeIdOf(model: Pick<Model, 'id'> | number): string {
  return String(typeof model === 'number' ? model : model.id)
}

/** The key kind of a model's primary key, or undefined when its definition is unavailable. */
export function modelKeyKind(model: Model): KeyKind | undefined {
  const field = model.fields.find((candidate) => candidate.name === model.primaryKey)
  if (field === undefined || field.type.kind === 'list') return undefined
  if (field.type.kind === 'string') return 'string'
  if (field.type.kind === 'binary') return 'binary'
  if (field.type.kind.startsWith('uint') || field.type.kind.startsWith('sint')) return 'int'
  return undefined
}
