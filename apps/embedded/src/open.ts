/**
 * open(dir, options): opens (creating if needed) a skydb data directory in this process through
 * `@sky/recovery` (lock, checkpoint, journal replay, two-phase DDL resolution) and returns the
 * {@link Database}. A new database gets a root user.
 */
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import type { ScryptParameters } from '@sky/gns'
import { Executor, StatementCache } from '@sky/ql'
import type { IsolationLevel } from '@sky/ql'
import { openEngine } from '@sky/recovery'
import type { CheckpointPolicy, Engine, EngineOptions } from '@sky/recovery'
import { NodeFileSystem } from '@sky/vfs'
import type { FileSystem } from '@sky/vfs'
import { Database } from './database.js'
import { EngineAdapter } from './engine-adapter.js'

/** Options of {@link open}. */
export interface OpenOptions {
  /** The file system: the real disk by default; a `SimFileSystem` in tests. */
  readonly fs?: FileSystem
  /**
   * `sync` (default): a statement resolves once it is on disk (fdatasync; concurrent commits share
   * one). `batch`: fdatasync at most `batchDelayMs` after a write (a crash may lose that window).
   * `none`: never fdatasync (tests and benchmarks only).
   */
  readonly durability?: 'sync' | 'batch' | 'none'
  /** Required with `durability: 'batch'`. */
  readonly batchDelayMs?: number
  /** When checkpoints are written (journal bytes, time, on close; how many are kept). */
  readonly checkpoint?: CheckpointPolicy
  /** Isolation of transactions that name none. Default `serializable`. */
  readonly isolation?: IsolationLevel
  /** Explicit transactions idle this long are rolled back (default 60 s; 0 disables). */
  readonly idleTimeoutMs?: number
  /** The root user's password when the database has no root user yet. Default: random. */
  readonly rootPassword?: string
  /** Prepared statements kept (default 1,024); 0 parses every query. */
  readonly statementCacheEntries?: number
  /** Password hashing (scrypt) parameters for new users; tests lower the cost. */
  readonly passwordHashing?: Partial<ScryptParameters>
}

const txnLevels = {
  'read-uncommitted': 'read uncommitted',
  'read-committed': 'read committed',
  'repeatable-read': 'repeatable read',
  snapshot: 'snapshot',
  serializable: 'serializable',
} as const

function engineOptions(dir: string, options: OpenOptions): EngineOptions {
  const isolation = options.isolation
  if (isolation !== undefined && !(isolation in txnLevels)) {
    throw new RangeError(`unknown isolation level ${String(isolation)}`)
  }
  return {
    fs: options.fs ?? new NodeFileSystem(),
    dir: resolve(dir),
    ...(options.durability === undefined ? {} : { durability: options.durability }),
    ...(options.batchDelayMs === undefined ? {} : { batchDelayMs: options.batchDelayMs }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    ...(isolation === undefined ? {} : { defaultIsolation: txnLevels[isolation] }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.passwordHashing === undefined
      ? {}
      : { gnsOptions: { scrypt: options.passwordHashing } }),
  }
}

async function ensureRoot(engine: Engine, password: string | undefined): Promise<void> {
  if (engine.gns.current.users.get('root')?.root === true) return
  const value = password ?? randomBytes(24).toString('base64url')
  const properties = new Map([['password', { type: 'string' as const, value }]])
  await engine.ddl({ kind: 'createUser', name: 'root', properties, root: true })
}

/**
 * Opens the database in `dir` (created if missing), recovering from any crash: every statement
 * that was acknowledged before is there, none that was not is partly there. What recovery found
 * is in `db.recoveryReport`.
 *
 * @throws TypeError / RangeError for malformed options; `@sky/recovery`'s errors when the
 *   directory is locked by another process (`RECOVERY_LOCKED`) or damaged in the middle of the
 *   journal (`RECOVERY_JOURNAL_CORRUPT`: run repair).
 * @example
 * ```ts
 * const db = await open('./data', { durability: 'sync', checkpoint: { intervalMs: 60_000 } })
 * console.log(db.recoveryReport.replay.transactions, 'transactions replayed')
 * ```
 */
export async function open(dir: string, options: OpenOptions = {}): Promise<Database> {
  if (typeof dir !== 'string' || dir.length === 0) throw new TypeError('dir must be a path')
  if (typeof options !== 'object' || options === null) throw new TypeError('options: an object')
  const cacheEntries = options.statementCacheEntries ?? 1024
  if (!Number.isSafeInteger(cacheEntries) || cacheEntries < 0) {
    throw new RangeError('statementCacheEntries must be a non-negative integer')
  }
  const settings = engineOptions(dir, options)
  const engine = await openEngine(settings)
  try {
    await ensureRoot(engine, options.rootPassword)
  } catch (error) {
    await engine.close()
    throw error
  }
  const adapter = new EngineAdapter(engine)
  const executor = new Executor(adapter, {
    cache: cacheEntries === 0 ? null : new StatementCache({ entriesMax: cacheEntries }),
    ...(options.isolation === undefined ? {} : { defaultIsolation: options.isolation }),
  })
  return new Database(engine, executor, adapter, settings.fs)
}
