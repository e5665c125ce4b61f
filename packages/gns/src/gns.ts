/**
 * The Gns interface: the catalog of one skydb data directory, and `openGns`, the way in.
 *
 * One `Gns` per directory, in one process. DDL is serialized: each operation is checked against the
 * current version, written as one event to the GNS journal and fdatasync'd, and only then published
 * as a new immutable {@link CatalogVersion}. Readers take `gns.current` and keep it as long as they
 * like: no lock, no copy.
 */
import type { FileSystem } from '@sky/vfs'
import type { CatalogVersion } from './catalog.js'
import type { CatalogSource } from './catalog-source.js'
import type { ScryptParameters } from './credentials.js'
import type {
  DdlOp,
  DdlResult,
  InDoubtPrepare,
  PrepareOutcome,
  PrepareResult,
} from './operations.js'
import type { GnsOpenReport } from './report.js'

/** Options of {@link openGns}. */
export interface GnsOptions {
  /** `NodeFileSystem` for the real disk, `SimFileSystem` in tests. */
  readonly fs: FileSystem
  /** The GNS directory, e.g. `<data>/gns`; created (durably) if missing. */
  readonly dir: string
  /** Copies of the catalog outside the GNS directory, consulted at open (see CatalogSource). */
  readonly catalogSource?: CatalogSource
  /** Events between two checkpoints. Default 1000. */
  readonly compactEvery?: number
  /** Size at which a GNS journal segment rolls over, in bytes. Default 256 KiB. */
  readonly segmentBytesMax?: number
  /**
   * `sync` (default): every event is fdatasync'd before its operation resolves. `none`: never
   * fdatasync, for benchmarks and tests only.
   */
  readonly durability?: 'sync' | 'none'
  /** scrypt parameters for new passwords (defaults: {@link scryptDefaults}). */
  readonly scrypt?: Partial<ScryptParameters>
}

/**
 * The catalog: spaces, models and users, durable and self-healing.
 *
 * @example
 * ```ts
 * const gns = await openGns({ fs: new NodeFileSystem(), dir: '/var/lib/skydb/gns' })
 * await gns.execute({ kind: 'createSpace', name: 'shop' })
 * await gns.execute({
 *   kind: 'createModel', space: 'shop', name: 'orders',
 *   fields: [
 *     { name: 'id', type: { name: 'uint64' } },
 *     { name: 'note', type: { name: 'string' }, nullable: true },
 *   ],
 * })
 * gns.current.model('shop', 'orders')?.primaryKey // 'id'
 * await gns.close()
 * ```
 */
export interface Gns {
  /** The newest published version. Never changes under a reader that holds it. */
  readonly current: CatalogVersion
  /** Same as `current`: the version to hold for a statement or transaction. */
  snapshot(): CatalogVersion
  /** What open found and repaired. */
  readonly report: GnsOpenReport
  /** Prepared operations found pending at open and not yet resolved. */
  readonly inDoubt: readonly InDoubtPrepare[]
  /**
   * Runs one DDL operation: checks it, makes its event durable, publishes the new version.
   *
   * @throws the typed error of the failed check (see README, Errors); the catalog is unchanged.
   * @throws GnsPrepareConflictError when a prepared operation holds the same object.
   * @throws GnsDiskFullError (retryable, nothing changed), GnsPoisonedError, GnsClosedError.
   */
  execute(op: DdlOp): Promise<DdlResult>
  /**
   * Phase one of a DDL that also changes data: checks `op` and makes a PREPARE event durable. The
   * object stays as it is (and locked against other DDL) until `commit` or `abort`.
   *
   * @throws as `execute`, and GnsCatalogFullError when too many prepares are pending.
   */
  prepare(op: DdlOp): Promise<PrepareResult>
  /**
   * Phase two: makes the COMMIT event durable and publishes the change. @throws
   * GnsUnknownPrepareError
   */
  commit(id: string): Promise<DdlResult>
  /** Abandons a prepared operation (an ABORT event). @throws GnsUnknownPrepareError */
  abort(id: string): Promise<DdlResult>
  /** Resolves an in-doubt prepare found at open. @throws GnsUnknownPrepareError */
  resolveInDoubt(id: string, decision: 'commit' | 'abort'): Promise<DdlResult>
  /**
   * What became of a prepared id: pending, committed, aborted, or unknown (never seen, or
   * forgotten).
   */
  outcomeOf(id: string): PrepareOutcome
  /** True when `password` is the user's; false for an unknown or unavailable user (same cost). */
  verifyPassword(user: string, password: string): Promise<boolean>
  /** The current version as a catalog image, for a data checkpoint to embed. */
  exportImage(): Uint8Array
  /**
   * Writes a checkpoint now (normally every `compactEvery` events) and drops covered journal
   * segments.
   *
   * @throws GnsDiskFullError when the checkpoint cannot be written for lack of space; the next
   *   statement writes it first (and fails the same way until space exists).
   * @throws GnsPoisonedError after a failed write or fdatasync.
   */
  compact(): Promise<void>
  /** Waits for running operations, then closes the journal. Idempotent. */
  close(): Promise<void>
}
