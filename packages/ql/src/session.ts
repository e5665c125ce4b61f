/**
 * Session: one client's connection state (user, current space, transaction) and the statement
 * dispatcher. Statements of one session run one at a time, in call order.
 *
 * Transaction states (skydb's extension to BlueQL):
 *
 *   none ──begin──▶ open ──commit (durable) / rollback──▶ none
 *                    │  commit fails (200, 0, 4) ──────────▶ none
 *                    │  a statement fails with 200, 4 or 0 (model changed under it,
 *                    ▼  idle timeout, storage failure)
 *                  failed ──rollback──▶ none;  commit ──▶ none, answered 4
 *
 * Outside a transaction every write statement is its own transaction (`TxnManager.autocommit`,
 * which never aborts) and every read (select, select all, inspect model) reads a read-only
 * snapshot of the latest installed state (never waits, never aborts). Inside a transaction, a
 * statement that fails with a statement error (100-112, 3, 5, 6, 28…) leaves the transaction as
 * it was; only the failures above end it, and while it is failed every statement but
 * `commit`/`rollback` is answered 4, so no later statement of the client's transaction runs
 * outside it by mistake.
 *
 * Invariants: `#transaction.failed !== null` only in the failed state; a transaction only uses
 * models whose definition is unchanged since it began (else 200): its snapshot's rows match the
 * definitions it reads them with.
 */
import type { CatalogVersion, Model } from '@sky/gns'
import type { Txn } from '@sky/txn'
import type { InspectModelStatement, IsolationLevel, Statement } from './ast.js'
import type { StatementCache } from './cache.js'
import { QueryError } from './errors.js'
import type { StatementKeyword } from './errors.js'
import type { DdlGate } from './internal/exec/ddl-gate.js'
import { runDdl, runUserStatement } from './internal/exec/ddl.js'
import type { DdlStatement, UserStatement } from './internal/exec/ddl.js'
import {
  countRows,
  runDelete,
  runInsert,
  runSelect,
  runSelectAll,
  runUpdate,
} from './internal/exec/dml.js'
import type { DmlContext } from './internal/exec/dml.js'
import { toQueryError } from './internal/exec/error-map.js'
import type { FunctionSource } from './internal/exec/insert-values.js'
import { inspectGlobal, inspectModel, inspectSpace } from './internal/exec/inspect.js'
import { resolveModel } from './internal/exec/model-ref.js'
import type { Parameter } from './parameter.js'
import { parseQuery } from './parser.js'
import type { BindOptions } from './parser.js'
import type { QueryEngine } from './query-engine.js'
import { emptyResult } from './result.js'
import type { QueryResponse, QueryResult } from './result.js'

/** What sessions share: set up by the Executor. @internal */
export interface SessionHost {
  readonly engine: QueryEngine
  readonly cache: StatementCache | null
  readonly gate: DdlGate
  readonly defaultIsolation: IsolationLevel
  readonly resultRowsMax: number
  readonly functions: FunctionSource
  /** Statements answered since the executor last yielded to the event loop. */
  statementsSinceYield: number
}

/**
 * Every this many statements, the executor yields to the event loop (setImmediate) before
 * answering. Reads and failed statements resolve without I/O, through promise callbacks only, and
 * those run before any I/O callback: a caller looping on them (`while (!done) await query(…)`)
 * would otherwise keep the journal's fdatasync callbacks, and so every commit, from ever running.
 */
export const statementsPerYield = 64

/** Where a session's transaction stands: see the state diagram of this file. */
export type TransactionState = 'none' | 'open' | 'failed'

interface OpenTransaction {
  readonly txn: Txn
  /** The catalog when the transaction began: models must still match it. */
  readonly catalog: CatalogVersion
  /** Models the transaction used, by id, as resolved. */
  readonly models: Map<number, Model>
  failed: QueryError | null
}

type DmlStatement = Extract<
  Statement,
  { kind: 'insert' | 'select' | 'select-all' | 'update' | 'delete' }
>

const blockingKeywords: ReadonlySet<StatementKeyword | null> = new Set(['create', 'alter', 'drop'])

const txnLevel = {
  'read-uncommitted': 'read uncommitted',
  'read-committed': 'read committed',
  'repeatable-read': 'repeatable read',
  snapshot: 'snapshot',
  serializable: 'serializable',
} as const

function transactionError(message: string): QueryError {
  return new QueryError('QL_TRANSACTION_ERROR', message)
}

/** Errors that end an open transaction (it cannot commit any more). */
function endsTransaction(error: QueryError): boolean {
  const { code } = error
  return (
    code === 'QL_SERIALIZATION_FAILURE' ||
    code === 'QL_TRANSACTION_ERROR' ||
    code === 'QL_SERVER_ERROR'
  )
}

/** Query options of {@link Session.query}: the decoder's parameter error, if any. */
export type QueryOptions = BindOptions

/**
 * One client's session: created by `Executor.session()` or `Executor.authenticate()`.
 *
 * @example
 * ```ts
 * const session = executor.session()
 * await session.query('begin')
 * await session.query('update app.users set logins += ? where name = ?', [one, ann])
 * await session.query('commit')                // error 200 (retryable) if it lost a race
 * ```
 */
export class Session {
  /** The user this session runs as. */
  readonly user: string
  readonly #host: SessionHost
  #space: string | null = null
  #transaction: OpenTransaction | null = null
  #busy = false
  readonly #queue: (() => void)[] = []
  #closed = false

  /** @internal Use `Executor.session()`. */
  constructor(host: SessionHost, user: string) {
    this.#host = host
    this.user = user
  }

  /** The current space set by `use`, or null. */
  get currentSpace(): string | null {
    return this.#space
  }

  /** Where the session's transaction stands. */
  get transactionState(): TransactionState {
    if (this.#transaction === null) return 'none'
    return this.#transaction.failed === null ? 'open' : 'failed'
  }

  /**
   * Parses and runs one query: its result, or a QueryError with the Skytable code to answer.
   * Queries of one session run one after the other, in call order.
   *
   * @param query The statement text as sent: a string (one char per byte) or bytes.
   * @param parameters The values of the `?`, in order (extra ones are ignored).
   * @throws QueryError for every failure of the statement (`skytableCode`; `retryable` for a
   *   serialization failure, 200). TypeError for malformed arguments or a closed session.
   */
  query(
    query: string | Uint8Array,
    parameters: readonly Parameter[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    return this.#serialize(() => this.#run(query, parameters, options))
  }

  /**
   * {@link Session.query}, with a failure answered as `{ type: 'error', code }`: what a server sends.
   *
   * @throws only what is not a QueryError (a bug, or malformed arguments).
   */
  async respond(
    query: string | Uint8Array,
    parameters: readonly Parameter[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResponse> {
    try {
      return await this.query(query, parameters, options)
    } catch (error) {
      if (error instanceof QueryError) return { type: 'error', code: error.skytableCode }
      throw error
    }
  }

  /**
   * Runs an already parsed statement (from `parseQuery` or a `PreparedStatement`), in turn with
   * the session's other statements.
   *
   * @throws QueryError as {@link Session.query}.
   */
  execute(statement: Statement): Promise<QueryResult> {
    return this.#serialize(() => this.#execute(statement))
  }

  /** Rolls back an open transaction and refuses further queries. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#dropTransaction()
  }

  async #serialize<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new TypeError('the session is closed')
    if (this.#busy) await new Promise<void>((resolve) => this.#queue.push(resolve))
    this.#busy = true
    try {
      const result = await work().finally(() => this.#yieldNow())
      return result
    } finally {
      const next = this.#queue.shift()
      if (next === undefined) this.#busy = false
      else next()
    }
  }

  /** A promise resolved after a turn of the event loop, every `statementsPerYield` statements. */
  #yieldNow(): Promise<void> | undefined {
    const host = this.#host
    host.statementsSinceYield++
    if (host.statementsSinceYield < statementsPerYield) return undefined
    host.statementsSinceYield = 0
    return new Promise((resolve) => setImmediate(resolve))
  }

  #isRoot(): boolean {
    return this.#host.engine.catalog().users.get(this.user)?.root === true
  }

  async #run(
    query: string | Uint8Array,
    parameters: readonly Parameter[],
    options: QueryOptions,
  ): Promise<QueryResult> {
    const { cache } = this.#host
    const parseOptions = { ...options, hasCurrentSpace: this.#space !== null }
    let statement: Statement
    try {
      statement = cache === null
        ? parseQuery(query, parameters, parseOptions)
        : cache.parse(query, parameters, parseOptions)
    } catch (error) {
      // Skytable checks "root only" right after lexing, before any syntax check (§3.1).
      if (error instanceof QueryError && blockingKeywords.has(error.statementKeyword)) {
        if (!this.#isRoot()) throw permissionDenied()
      }
      throw error
    }
    return this.#execute(statement)
  }

  async #execute(statement: Statement): Promise<QueryResult> {
    const transaction = this.#transaction
    const ending = statement.kind === 'commit' || statement.kind === 'rollback'
    const failed = transaction === null ? null : transaction.failed
    if (failed !== null && !ending) {
      throw transactionError(`the transaction failed (${failed.message}); roll it back`)
    }
    switch (statement.kind) {
      case 'begin':
        return this.#begin(statement.isolation)
      case 'commit':
        return this.#commit()
      case 'rollback':
        this.#dropTransaction()
        return emptyResult
      case 'use':
        return this.#use(statement)
      case 'inspect-global':
        return { type: 'string', value: inspectGlobal(this.#host.engine.catalog(), this.#isRoot()) }
      case 'inspect-space': {
        const text = inspectSpace(this.#host.engine.catalog(), statement.name.text)
        if (text === undefined) throw notFound(`space ${statement.name.text}`)
        return { type: 'string', value: text }
      }
      case 'inspect-model':
        return this.#inspectModel(statement)
      case 'sysctl-report-status':
        return this.#status()
      case 'sysctl-create-user':
      case 'sysctl-alter-user':
      case 'sysctl-drop-user':
        return this.#userStatement(statement)
      case 'insert':
      case 'select':
      case 'select-all':
      case 'update':
      case 'delete':
        return this.#dml(statement)
      default:
        return this.#ddl(statement)
    }
  }

  // --- transactions ----------------------------------------------------------------------

  async #begin(level: IsolationLevel | null): Promise<QueryResult> {
    if (this.#transaction !== null) throw transactionError('a transaction is already open')
    const { engine, gate } = this.#host
    const waiting = gate.enterShared()
    if (waiting !== null) await waiting
    try {
      // Snapshot and catalog are read in one step, while no DDL runs: they agree.
      const isolation = txnLevel[level ?? this.#host.defaultIsolation]
      const txn = engine.manager.begin({ isolation })
      this.#transaction = { txn, catalog: engine.catalog(), models: new Map(), failed: null }
    } finally {
      gate.leaveShared()
    }
    return emptyResult
  }

  async #commit(): Promise<QueryResult> {
    const transaction = this.#transaction
    if (transaction === null) throw transactionError('commit: no transaction is open')
    this.#transaction = null
    if (transaction.failed !== null) {
      if (transaction.txn.state === 'open') transaction.txn.rollback()
      const reason = transaction.failed.message
      throw transactionError(`the transaction failed and was rolled back (${reason})`)
    }
    const { engine, gate } = this.#host
    const waiting = gate.enterShared()
    if (waiting !== null) await waiting
    try {
      const catalog = engine.catalog()
      for (const model of transaction.models.values()) {
        if (catalog.modelById(model.id)?.changedSeq !== model.changedSeq) {
          if (transaction.txn.state === 'open') transaction.txn.rollback()
          throw modelChanged(model)
        }
      }
      await transaction.txn.commit()
      return emptyResult
    } catch (error) {
      throw toQueryError(error)
    } finally {
      gate.leaveShared()
    }
  }

  #dropTransaction(): void {
    const transaction = this.#transaction
    this.#transaction = null
    if (transaction !== null && transaction.txn.state === 'open') transaction.txn.rollback()
  }

  /** Runs `work` in the open transaction, failing the transaction on the errors that end it. */
  #inTransaction<T>(transaction: OpenTransaction, work: (context: DmlContext) => T): T {
    const context = this.#context((model) => {
      if (transaction.catalog.modelById(model.id)?.changedSeq !== model.changedSeq) {
        throw modelChanged(model)
      }
      transaction.models.set(model.id, model)
    })
    try {
      return work(context)
    } catch (error) {
      const queryError = toQueryError(error)
      if (endsTransaction(queryError)) {
        transaction.failed = queryError
        if (transaction.txn.state === 'open') transaction.txn.rollback()
      }
      throw queryError
    }
  }

  #context(onModel: ((model: Model) => void) | undefined): DmlContext {
    const { engine, functions, resultRowsMax } = this.#host
    const catalog = engine.catalog()
    return { engine, catalog, currentSpace: this.#space, onModel, functions, resultRowsMax }
  }

  // --- DML -------------------------------------------------------------------------------

  /**
   * Runs a read-only statement outside a transaction: on a read-only snapshot of the latest
   * installed state, which never waits and never aborts. (An autocommit statement would wait for
   * every commit in flight that touches what it read: a scan of a busy model could wait forever.)
   * Commits in flight are not acknowledged yet, so not seeing them is correct.
   */
  #readOnly<T>(work: (txn: Txn) => T): T {
    const txn = this.#host.engine.manager.begin({ isolation: 'snapshot', readOnly: true, idleTimeout: false })
    try {
      return work(txn)
    } finally {
      txn.rollback()
    }
  }

  async #dml(statement: DmlStatement): Promise<QueryResult> {
    const { engine, gate } = this.#host
    const waiting = gate.enterShared()
    if (waiting !== null) await waiting
    try {
      const transaction = this.#transaction
      if (transaction !== null) {
        const { txn } = transaction
        return this.#inTransaction(transaction, (context) => runDml(context, txn, statement))
      }
      if (statement.kind === 'select' || statement.kind === 'select-all') {
        return this.#readOnly((txn) => runDml(this.#context(undefined), txn, statement))
      }
      const { result } = await engine.manager.autocommit((txn) =>
        runDml(this.#context(undefined), txn, statement),
      )
      return result
    } catch (error) {
      throw toQueryError(error)
    } finally {
      gate.leaveShared()
    }
  }

  async #inspectModel(statement: InspectModelStatement): Promise<QueryResult> {
    const { engine, gate } = this.#host
    const waiting = gate.enterShared()
    if (waiting !== null) await waiting
    try {
      const count = (context: DmlContext, txn: Txn): string => {
        const resolved = resolveModel(context, statement.entity)
        return inspectModel(resolved.model, countRows(txn, resolved.storeId))
      }
      const transaction = this.#transaction
      const text = transaction !== null
        ? this.#inTransaction(transaction, (context) => count(context, transaction.txn))
        : this.#readOnly((txn) => count(this.#context(undefined), txn))
      return { type: 'string', value: text }
    } catch (error) {
      throw toQueryError(error)
    } finally {
      gate.leaveShared()
    }
  }

  // --- use, sysctl, DDL ------------------------------------------------------------------

  #use(statement: Extract<Statement, { kind: 'use' }>): QueryResult {
    const { target } = statement
    const catalog = this.#host.engine.catalog()
    switch (target.kind) {
      case 'space':
        if (catalog.space(target.name.text) === undefined) {
          throw notFound(`space ${target.name.text}`)
        }
        this.#space = target.name.text
        return emptyResult
      case 'null':
        this.#space = null
        return emptyResult
      case 'current': {
        const space = this.#space
        if (space === null) return { type: 'null' }
        if (catalog.space(space) !== undefined) return { type: 'string', value: space }
        this.#space = null
        throw notFound(`space ${space} (the current space was dropped)`)
      }
    }
  }

  #status(): QueryResult {
    const status = this.#host.engine.status?.() ?? { healthy: true }
    if (status.healthy) return emptyResult
    const detail = status.detail ?? 'no detail'
    throw new QueryError('QL_SERVER_ERROR', `the server is unhealthy: ${detail}`)
  }

  async #userStatement(statement: UserStatement): Promise<QueryResult> {
    if (!this.#isRoot()) throw permissionDenied()
    if (this.#transaction !== null) {
      throw transactionError('user management runs outside transactions')
    }
    return runUserStatement(this.#host.engine, statement, this.user)
  }

  async #ddl(statement: DdlStatement): Promise<QueryResult> {
    if (!this.#isRoot()) throw permissionDenied()
    if (this.#transaction !== null) throw transactionError('DDL runs outside transactions')
    const { gate } = this.#host
    await gate.enterExclusive()
    try {
      return await runDdl(this.#host.engine, statement)
    } finally {
      gate.leaveExclusive()
    }
  }
}

function runDml(context: DmlContext, txn: Txn, statement: DmlStatement): QueryResult {
  switch (statement.kind) {
    case 'insert':
      return runInsert(context, txn, statement)
    case 'select':
      return runSelect(context, txn, statement)
    case 'select-all':
      return runSelectAll(context, txn, statement)
    case 'update':
      return runUpdate(context, txn, statement)
    case 'delete':
      return runDelete(context, txn, statement)
  }
}

function permissionDenied(): QueryError {
  return new QueryError('QL_PERMISSION_DENIED', 'this statement needs the root user')
}

function notFound(what: string): QueryError {
  return new QueryError('QL_OBJECT_NOT_FOUND', `${what} not found`)
}

function modelChanged(model: Model): QueryError {
  return new QueryError(
    'QL_SERIALIZATION_FAILURE',
    `model ${model.space}.${model.name} changed since the transaction began; run it again`,
    { retryable: true },
  )
}
