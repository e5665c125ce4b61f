/**
 * Database: skydb in-process. One open data directory (the recovery engine), the BlueQL executor
 * over it, sessions for `use` and transactions, `transaction(fn)` with retries, checkpoints and
 * online backups.
 *
 * Invariants: every session and query of a closed database fails with `DatabaseClosedError`;
 * `db.query` never leaves a transaction open (it runs one statement on a session of its own);
 * `transaction(fn)` commits exactly once per successful call, rolls back on any failure, and
 * re-runs `fn` only after a serialization failure (code 200), at most `retries` times.
 */
import { QueryError } from '@sky/ql'
import type {
  Executor,
  IsolationLevel,
  Parameter,
  QueryOptions,
  QueryResponse,
  QueryResult,
  Session,
  TransactionState,
} from '@sky/ql'
import type { CheckpointInfo, Engine, RecoveryReport } from '@sky/recovery'
import type { FileSystem } from '@sky/vfs'
import { writeOnlineBackup } from './backup.js'
import type { BackupResult } from './backup.js'
import type { EngineAdapter } from './engine-adapter.js'
import { DatabaseClosedError } from './errors.js'
import { toParameter } from './parameters.js'
import type { BindValue } from './parameters.js'

/** Options of {@link Database.transaction}. */
export interface TransactionOptions {
  /** The isolation level; default the database's (`serializable` unless `open` said otherwise). */
  readonly isolation?: IsolationLevel
  /** How many times `fn` is run again after a serialization failure (code 200). Default 16. */
  readonly retries?: number
}

/** Options of {@link Database.session}. */
export interface DatabaseSessionOptions {
  /** The user the session runs as (trusted: the caller authenticated it). Default `root`. */
  readonly user?: string
}

const isolationWords: Readonly<Record<IsolationLevel, string>> = {
  'read-uncommitted': 'read uncommitted',
  'read-committed': 'read committed',
  'repeatable-read': 'repeatable read',
  snapshot: 'snapshot',
  serializable: 'serializable',
}

/** What sessions need of their database. @internal */
interface DatabaseCore {
  readonly adapter: EngineAdapter
  readonly closed: () => boolean
  readonly forget: (session: DatabaseSession) => void
}

/**
 * A connection-like session: its own current space (`use`) and transaction (`begin` … `commit`).
 * Statements of one session run one at a time, in call order.
 *
 * @example
 * ```ts
 * const session = db.session()
 * await session.query('use app')
 * await session.query('begin')
 * await session.query('update users set logins += ? where name = ?', 1, 'ann')
 * await session.query('commit')
 * session.close()
 * ```
 */
export class DatabaseSession {
  readonly #session: Session
  readonly #core: DatabaseCore

  /** @internal Use `Database.session()`. */
  constructor(session: Session, core: DatabaseCore) {
    this.#session = session
    this.#core = core
  }

  /** The user the session runs as. */
  get user(): string {
    return this.#session.user
  }

  /**
   * True when the session's user is a root user now (read from the catalog at each call, so a
   * dropped user is no longer root). Only root may run DDL, user changes and server-level
   * statements such as skyd's `sysctl backup`.
   */
  get isRoot(): boolean {
    return this.#core.adapter.catalog().users.get(this.#session.user)?.root === true
  }

  /** The current space (`use`), or null. */
  get currentSpace(): string | null {
    return this.#session.currentSpace
  }

  /** `none`, `open`, or `failed` (a failed transaction answers 4 until rolled back). */
  get transactionState(): TransactionState {
    return this.#session.transactionState
  }

  /**
   * Runs one BlueQL statement with its `?` values (see `toParameter` for how values bind).
   *
   * @throws QueryError with the Skytable code (`skytableCode`); `retryable` for code 200.
   * @throws DatabaseClosedError after `Database.close()`.
   */
  query(blueql: string, ...values: BindValue[]): Promise<QueryResult> {
    return this.raw(blueql, values.map(toParameter))
  }

  /**
   * Runs a statement with wire parameters (as `@sky/protocol` decodes them).
   *
   * @throws as {@link query}.
   */
  async raw(
    query: string | Uint8Array,
    parameters: readonly Parameter[],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    if (this.#core.closed()) throw new DatabaseClosedError()
    try {
      return await this.#session.query(query, parameters, options)
    } catch (error) {
      this.#core.adapter.observe(error)
      throw error
    }
  }

  /**
   * {@link raw}, with a statement failure answered as `{ type: 'error', code }`: what a server
   * sends back.
   */
  async respond(
    query: string | Uint8Array,
    parameters: readonly Parameter[],
    options: QueryOptions = {},
  ): Promise<QueryResponse> {
    try {
      return await this.raw(query, parameters, options)
    } catch (error) {
      if (error instanceof QueryError) return { type: 'error', code: error.skytableCode }
      throw error
    }
  }

  /** Rolls back an open transaction and ends the session. Idempotent. */
  close(): void {
    this.#session.close()
    this.#core.forget(this)
  }
}

function checkRetries(retries: number): number {
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new RangeError('retries must be a non-negative integer')
  }
  return retries
}

function isSerializationFailure(error: unknown): boolean {
  return error instanceof QueryError && error.code === 'QL_SERIALIZATION_FAILURE'
}

/** What {@link Database.stats} reports: counters since the database was opened. */
export interface DatabaseStats {
  /** Write transactions made durable and visible (a statement outside a transaction is one). */
  readonly commits: number
  /** Transactions refused at commit by validation (serialization failures, error 200). */
  readonly aborts: number
  /** Transactions begun and not yet committed or rolled back. */
  readonly openTransactions: number
  /** Checkpoints written since open. */
  readonly checkpoints: number
  /** The newest checkpoint written since open, if any. */
  readonly lastCheckpoint: CheckpointInfo | undefined
  /** Data-journal bytes appended since the newest checkpoint. */
  readonly journalBytesSinceCheckpoint: number
  /** False once a fatal storage failure stopped the engine (reopen to recover). */
  readonly healthy: boolean
  /** Why it is unhealthy. */
  readonly detail?: string
}

/**
 * An open skydb database. Get one with `open(dir, options)`; close it with `close()`.
 *
 * @example
 * ```ts
 * const db = await open('/var/lib/app-data')
 * await db.query('create space if not exists app')
 * await db.query('create model if not exists app.users(name: string, logins: uint64)')
 * await db.query('insert into app.users(?, ?)', 'ann', 0)
 * await db.transaction(async (tx) => {
 *   await tx.query('update app.users set logins += ? where name = ?', 1, 'ann')
 * })
 * await db.close()
 * ```
 */
export class Database {
  /** The data directory (absolute). */
  readonly dir: string
  /** What the open that returned this database found and did (recovery). */
  readonly recoveryReport: RecoveryReport
  readonly #engine: Engine
  readonly #fs: FileSystem
  readonly #executor: Executor
  readonly #core: DatabaseCore
  readonly #sessions = new Set<DatabaseSession>()
  #closing: Promise<void> | undefined

  /** @internal Use `open()`. */
  constructor(engine: Engine, executor: Executor, adapter: EngineAdapter, fs: FileSystem) {
    this.dir = engine.dir
    this.recoveryReport = engine.report
    this.#engine = engine
    this.#fs = fs
    this.#executor = executor
    this.#core = {
      adapter,
      closed: () => this.#closing !== undefined,
      forget: (session) => this.#sessions.delete(session),
    }
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  /**
   * Runs one statement outside any transaction (it is its own transaction: durable when this
   * resolves, never aborted by a conflict). `use` has no lasting effect here, and `begin` is
   * refused (4): use {@link session} or {@link transaction}.
   *
   * @throws QueryError with the Skytable code; DatabaseClosedError after close.
   * @example
   * ```ts
   * const row = await db.query('select * from app.users where name = ?', 'ann')
   * ```
   */
  async query(blueql: string, ...values: BindValue[]): Promise<QueryResult> {
    const session = this.#newSession('root')
    try {
      const result = await session.query(blueql, ...values)
      if (session.transactionState !== 'none') {
        const message = 'db.query runs one statement: use db.session() or db.transaction()'
        throw new QueryError('QL_TRANSACTION_ERROR', message)
      }
      return result
    } finally {
      session.close()
    }
  }

  /**
   * A new session (a connection, in server terms) for `use` and explicit transactions.
   *
   * @throws DatabaseClosedError after close.
   */
  session(options: DatabaseSessionOptions = {}): DatabaseSession {
    const session = this.#newSession(options.user ?? 'root')
    this.#sessions.add(session)
    return session
  }

  /**
   * A session for `user` when `password` is theirs, else null (what a server's handshake does).
   *
   * @throws DatabaseClosedError after close.
   */
  async authenticate(user: string, password: string): Promise<DatabaseSession | null> {
    if (this.closed) throw new DatabaseClosedError()
    const verified = await this.#executor.authenticate(user, password)
    if (verified === null) return null
    verified.close()
    return this.session({ user })
  }

  /**
   * Runs `fn` in a transaction on a session of its own and commits it; on a serialization failure
   * (code 200, at any statement or at commit) runs `fn` again, up to `retries` times. Any other
   * failure rolls back and is rethrown. `fn` must not run `begin`, `commit` or `rollback` itself.
   *
   * @returns what `fn` returned, once the transaction is durable.
   * @throws what `fn` threw; QueryError 200 when every attempt lost its race.
   * @example
   * ```ts
   * const balance = await db.transaction(async (tx) => {
   *   const [value] = plainRow(await tx.query('select balance from app.a where id = ?', 1))
   *   await tx.query('update app.a set balance = ? where id = ?', sint(BigInt(value) - 5n), 1)
   *   return value
   * }, { isolation: 'serializable', retries: 32 })
   * ```
   */
  async transaction<T>(
    fn: (tx: DatabaseSession) => T | Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    if (typeof fn !== 'function') throw new TypeError('transaction takes a function')
    const retries = checkRetries(options.retries ?? 16)
    const level = options.isolation
    const begin = level === undefined ? 'begin' : `begin isolation level ${isolationWords[level]}`
    for (let attempt = 0; ; attempt++) {
      const tx = this.session()
      try {
        await tx.query(begin)
        const result = await fn(tx)
        await tx.query('commit')
        return result
      } catch (error) {
        if (!isSerializationFailure(error) || attempt >= retries) throw error
      } finally {
        tx.close()
      }
      await new Promise((resolve) => setImmediate(resolve)) // let the winner install first
    }
  }

  /**
   * Counters since this database was opened, for monitoring (skyd's `sysctl report metrics` reads
   * them). A snapshot: each read builds a new object. Readable after close (the last figures).
   *
   * @example
   * ```ts
   * const { commits, aborts, healthy } = db.stats
   * ```
   */
  get stats(): DatabaseStats {
    const txn = this.#engine.manager.stats
    const engine = this.#engine.stats
    const status = this.#core.adapter.status()
    return {
      commits: txn.commits,
      aborts: txn.aborts,
      openTransactions: txn.open,
      checkpoints: engine.checkpoints,
      lastCheckpoint: engine.lastCheckpoint,
      journalBytesSinceCheckpoint: engine.journalBytesSinceCheckpoint,
      healthy: status.healthy,
      ...(status.detail === undefined ? {} : { detail: status.detail }),
    }
  }

  /**
   * Writes a checkpoint now (undefined when nothing changed since the last one); writers go on.
   *
   * @throws DatabaseClosedError after close; the engine's errors.
   */
  checkpoint(): Promise<CheckpointInfo | undefined> {
    if (this.closed) return Promise.reject(new DatabaseClosedError())
    return this.#engine.checkpoint()
  }

  /**
   * Writes an online, consistent backup into `target` (a missing or empty directory; a relative
   * path is resolved against the working directory) while queries and transactions go on: a
   * snapshot at one commit timestamp, written like a checkpoint, plus a copy of the journal after
   * it. `restore` from `@sky/recovery` turns it into a data directory, to its end or to any LSN
   * from `lsn` to `journalEndLsn`.
   *
   * Guarantees: every statement acknowledged before the call is in the backup; no transaction is
   * in it partly (a transaction is either wholly in the snapshot or journal copy, or absent);
   * writers are not stopped (the snapshot is written in pages, yielding between them). A
   * checkpoint waits while a backup runs, and backups run one at a time.
   *
   * @returns what was written: the snapshot's LSN and commit timestamp, the journal's end, the
   *   files and their bytes, when it started and how long it took.
   * @throws TypeError when `target` is not a non-empty string.
   * @throws DatabaseClosedError after `close()`.
   * @throws BackupTargetNotEmptyError when `target` exists and is not an empty directory
   *   (nothing written).
   * @throws BackupFailedError when the target cannot be created or written (`cause`: the
   *   `@sky/vfs` error, e.g. `VFS_NO_SPACE`, retryable) or the engine stopped after a fatal
   *   storage failure (`cause`: `RECOVERY_ENGINE_FAILED`; reopen the database).
   * @example
   * ```ts
   * const backup = await db.backup('/var/backups/skydb/2026-11-27')
   * console.log(`${backup.files.length} files, ${backup.bytes} bytes, lsn ${backup.lsn}`)
   * // later, elsewhere: await restore(backup.target, '/var/lib/skydb-restored', { fs })
   * ```
   */
  backup(target: string): Promise<BackupResult> {
    const context = {
      engine: this.#engine,
      fs: this.#fs,
      adapter: this.#core.adapter,
      closed: () => this.closed,
    }
    return writeOnlineBackup(context, target)
  }

  /**
   * Rolls back the open sessions' transactions, waits for commits in flight, checkpoints (as the
   * checkpoint policy says) and releases the directory. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    for (const session of [...this.#sessions]) session.close()
    await this.#engine.close()
  }

  #newSession(user: string): DatabaseSession {
    if (this.closed) throw new DatabaseClosedError()
    return new DatabaseSession(this.#executor.session({ user }), this.#core)
  }
}
