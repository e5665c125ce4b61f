/**
 * transaction(): runs a function inside `begin … commit` on one connection and runs it again, from
 * the start, when the server reports a serialization failure. Uses skydb's BlueQL extension
 * (`begin [isolation level …]`, `commit`, `rollback`); Skytable 0.8 has no transactions and answers
 * `begin` with error 32, so the helper fails at once there.
 *
 * One attempt:
 *
 *   begin ──ok──▶ fn(tx) ──ok──▶ commit ──ok──▶ resolve with fn's value
 *     │             │              │
 *     └─fail───────┴─throw────────┴─fail──▶ rollback (a QueryError answer is ignored: the server
 *                                            may have ended the transaction already; any other
 *                                            failure destroys the connection, which makes the
 *                                            server roll back) ──▶ retry if retryable, else throw
 *
 * Invariants: at most `retries + 1` attempts; a `tx` handle refuses queries once its attempt has
 * ended, so a stray query of an old attempt never runs outside its transaction; only QueryErrors
 * are retried (a lost connection leaves the commit's outcome unknown).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { SkyError, isSkyError } from '@sky/std'
import { Connection } from './connection.js'
import { QueryError, TransactionFinishedError } from './errors.js'
import type { QueryParameter } from './parameters.js'
import { Pool } from './pool.js'
import type { QueryResult } from './result.js'

/** Isolation levels of skydb's `begin … isolation level …`. */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'snapshot' | 'serializable'

const isolationLevels: ReadonlySet<string> = new Set<IsolationLevel>([
  'read committed',
  'repeatable read',
  'snapshot',
  'serializable',
])

/** Most attempts a caller may ask for, to bound a retry loop. */
const retriesMax = 1000

/** Options of {@link transaction}. */
export interface TransactionOptions {
  /** Isolation level sent with `begin`. Default: none, so the server's (skydb: serializable). */
  readonly isolation?: IsolationLevel
  /** How many times to run `fn` again after a retryable failure. Default 16. */
  readonly retries?: number
  /**
   * Server error codes that mean "serialization failure, run again". Default: the codes the
   * connection (or pool) reports as `retryable` (its `retryableCodes`, by default [200]).
   */
  readonly retryableCodes?: readonly number[]
  /** Delay before attempt `attempt` (2, 3, …) in ms. Default: random, under min(2^attempt, 100). */
  readonly retryDelayMs?: (attempt: number) => number
}

/** What `fn` receives: a way to run statements inside the current attempt. */
export interface Transaction {
  /** 1 for the first run of `fn`, 2 for the first retry… */
  readonly attempt: number
  /** The connection the transaction runs on (do not close it, nor use it for other work). */
  readonly connection: Connection
  /**
   * Runs a statement inside the transaction, as {@link Connection.query}.
   *
   * @throws (as a rejection) TransactionFinishedError once the attempt has ended; otherwise as
   *   {@link Connection.query}.
   */
  query(text: string, ...parameters: QueryParameter[]): Promise<QueryResult>
}

class TransactionHandle implements Transaction {
  private finished = false

  constructor(
    readonly connection: Connection,
    readonly attempt: number,
  ) {}

  query(text: string, ...parameters: QueryParameter[]): Promise<QueryResult> {
    if (this.finished) return Promise.reject(new TransactionFinishedError(this.attempt))
    return this.connection.query(text, ...parameters)
  }

  finish(): void {
    this.finished = true
  }
}

function defaultRetryDelayMs(attempt: number): number {
  return Math.random() * Math.min(100, 2 ** attempt)
}

function beginStatement(isolation: IsolationLevel | undefined): string {
  return isolation === undefined ? 'begin' : `begin isolation level ${isolation}`
}

/** Sends `rollback`; a QueryError is ignored, anything else destroys the connection. */
async function rollback(connection: Connection): Promise<void> {
  if (connection.state !== 'open') return
  try {
    await connection.query('rollback')
  } catch (error) {
    if (!isSkyError(error, 'CLIENT_QUERY_ERROR')) connection.destroy()
  }
}

async function runAttempt<T>(
  connection: Connection,
  fn: (tx: Transaction) => Promise<T> | T,
  attempt: number,
  isolation: IsolationLevel | undefined,
): Promise<T> {
  const tx = new TransactionHandle(connection, attempt)
  try {
    await connection.query(beginStatement(isolation))
    const value = await fn(tx)
    tx.finish()
    await connection.query('commit')
    return value
  } catch (error) {
    tx.finish()
    await rollback(connection)
    throw error
  }
}

function checkOptions(options: TransactionOptions): void {
  if (options.isolation !== undefined && !isolationLevels.has(options.isolation)) {
    throw new RangeError(`unknown isolation level ${String(options.isolation)}`)
  }
  const retries = options.retries
  if (retries !== undefined && (!Number.isSafeInteger(retries) || retries < 0 ||
    retries > retriesMax)) {
    throw new RangeError(`retries must be an integer in 0..${retriesMax}`)
  }
  if (options.retryableCodes !== undefined && !Array.isArray(options.retryableCodes)) {
    throw new TypeError('retryableCodes must be an array of numbers')
  }
}

function isRetryable(error: unknown, codes: readonly number[] | undefined): boolean {
  if (!isSkyError(error, 'CLIENT_QUERY_ERROR')) return false
  const queryError = error as SkyError & Pick<QueryError, 'skytableCode'>
  return codes === undefined ? queryError.retryable : codes.includes(queryError.skytableCode)
}

/**
 * Runs `fn` in a transaction: `begin` (with `isolation` if given), `fn(tx)`, `commit`. If anything
 * fails the transaction is rolled back; if the failure is a retryable QueryError (a serialization
 * failure), `fn` is run again from the start, up to `retries` more times, after a short random
 * delay. `fn` must therefore be safe to run more than once: keep side effects outside it.
 *
 * With a Pool, each attempt leases a connection; with a Connection, nothing else may use it
 * meanwhile (its queries would join the transaction).
 *
 * Requires skydb: Skytable 0.8 has no transactions and answers `begin` with error 32
 * (QLExpectedStatement), which this function rethrows as a QueryError.
 *
 * @throws (as a rejection) what `fn` throws; the last QueryError once retries are used up;
 *   QueryError / ConnectionClosedError / QueryTimeoutError from begin or commit (a failed commit's
 *   outcome is unknown when the connection is lost); RangeError / TypeError for bad options.
 * @example
 * ```ts
 * await transaction(pool, async (tx) => {
 *   const [balance] = (await tx.query('select balance from bank.accounts where id = ?', 'a')).row()
 *   await tx.query('update bank.accounts set balance = ? where id = ?',
 *     uint((balance as bigint) - 10n), 'a')
 * }, { isolation: 'serializable' })
 * ```
 */
export async function transaction<T>(
  target: Connection | Pool,
  fn: (tx: Transaction) => Promise<T> | T,
  options: TransactionOptions = {},
): Promise<T> {
  if (!(target instanceof Connection) && !(target instanceof Pool)) {
    throw new TypeError('transaction needs a Connection or a Pool')
  }
  if (typeof fn !== 'function') throw new TypeError('transaction needs a function')
  checkOptions(options)
  const retries = options.retries ?? 16
  const delayMs = options.retryDelayMs ?? defaultRetryDelayMs
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (target instanceof Pool) {
        return await target.withConnection((c) => runAttempt(c, fn, attempt, options.isolation))
      }
      return await runAttempt(target, fn, attempt, options.isolation)
    } catch (error) {
      if (attempt > retries || !isRetryable(error, options.retryableCodes)) throw error
    }
    const wait = delayMs(attempt + 1)
    if (wait > 0) await sleep(wait)
  }
}
