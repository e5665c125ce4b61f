/**
 * Executor: runs BlueQL statements against a {@link QueryEngine}, one {@link Session} per client
 * connection (current space, open transaction, user).
 *
 * One executor per engine: it owns the gate that keeps DDL and DML apart (see
 * internal/exec/ddl-gate.ts) and the prepared-statement cache its sessions share.
 *
 * Invariants: an executor holds no state of its own beyond the cache, the gate and its options;
 * everything a statement changes is in the engine, or in the session that ran it.
 */
import type { IsolationLevel } from './ast.js'
import { StatementCache } from './cache.js'
import { DdlGate } from './internal/exec/ddl-gate.js'
import { systemFunctionSource } from './internal/exec/insert-values.js'
import type { FunctionSource } from './internal/exec/insert-values.js'
import type { QueryEngine } from './query-engine.js'
import { Session } from './session.js'
import type { SessionHost } from './session.js'

/** Most rows a `select all` returns by default (its LIMIT may ask for fewer). */
export const resultRowsMaxDefault = 1_000_000

/** Options of {@link Executor}. */
export interface ExecutorOptions {
  /**
   * The prepared-statement cache shared by the sessions: a `StatementCache`, or null to parse
   * every query. Default: a new `StatementCache()` (1,024 statements).
   */
  readonly cache?: StatementCache | null
  /** Isolation of `begin` without a level. Default `serializable`. */
  readonly defaultIsolation?: IsolationLevel
  /** Most rows one `select all` may return (more is error 6). Default 1,000,000. */
  readonly resultRowsMax?: number
  /** Clock (milliseconds since the epoch, for `@timesec()`) and UUIDs. Default: the system's. */
  readonly functions?: FunctionSource
}

/** Options of {@link Executor.session}. */
export interface SessionOptions {
  /**
   * The user the session runs as, already authenticated by the caller. Default `root`. Whether
   * the user is root is read from the catalog at each statement.
   */
  readonly user?: string
}

const isolationLevels: ReadonlySet<string> = new Set([
  'read-uncommitted',
  'read-committed',
  'repeatable-read',
  'snapshot',
  'serializable',
])

/**
 * Runs BlueQL for many sessions over one engine.
 *
 * @example
 * ```ts
 * const executor = new Executor(engine)
 * const session = executor.session()                    // root
 * await session.query('create space app')
 * await session.query('use app')
 * const row = await session.query('select * from users where name = ?', [
 *   { type: 'string', value: 'ann' },
 * ])
 * ```
 */
export class Executor {
  /** The engine statements run against. */
  readonly engine: QueryEngine
  /** The shared prepared-statement cache, or null. */
  readonly cache: StatementCache | null
  readonly #host: SessionHost

  /** @throws TypeError / RangeError for a malformed engine or options. */
  constructor(engine: QueryEngine, options: ExecutorOptions = {}) {
    if (typeof engine !== 'object' || engine === null || typeof engine.catalog !== 'function') {
      throw new TypeError('engine must be a QueryEngine')
    }
    const defaultIsolation = options.defaultIsolation ?? 'serializable'
    if (!isolationLevels.has(defaultIsolation)) {
      throw new RangeError(`unknown isolation level ${String(defaultIsolation)}`)
    }
    const resultRowsMax = options.resultRowsMax ?? resultRowsMaxDefault
    if (!Number.isSafeInteger(resultRowsMax) || resultRowsMax < 1) {
      throw new RangeError('resultRowsMax must be a positive safe integer')
    }
    this.engine = engine
    this.cache = options.cache === undefined ? new StatementCache() : options.cache
    this.#host = {
      engine,
      cache: this.cache,
      gate: new DdlGate(),
      defaultIsolation,
      resultRowsMax,
      functions: options.functions ?? systemFunctionSource,
      statementsSinceYield: 0,
    }
  }

  /**
   * A new session (one per client connection): no current space, no transaction.
   *
   * @throws TypeError when `user` is not a string.
   */
  session(options: SessionOptions = {}): Session {
    const user = options.user ?? 'root'
    if (typeof user !== 'string') throw new TypeError('user must be a string')
    return new Session(this.#host, user)
  }

  /**
   * Checks a user's password with the engine and returns a session for the user, or null when the
   * user is unknown, unavailable or the password is wrong (or the engine cannot verify).
   */
  async authenticate(user: string, password: string): Promise<Session | null> {
    if (typeof user !== 'string' || typeof password !== 'string') {
      throw new TypeError('user and password must be strings')
    }
    const verify = this.engine.verifyPassword
    if (verify === undefined) return null
    const valid = await verify.call(this.engine, user, password)
    return valid ? new Session(this.#host, user) : null
  }
}
