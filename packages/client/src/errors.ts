/**
 * The typed errors of @sky/client. Each is a SkyError with a stable `CLIENT_…` code; callers match
 * on `code` (or `isSkyError(error, code)`), which works across two installed copies of the package.
 *
 * Invariants: `retryable` is true only when running the same operation again cannot apply it twice
 * (it was never sent, or the server refused it as a whole), or for a server code the caller named
 * retryable (`retryableCodes`).
 */
import { SkyError } from '@sky/std'
import { handshakeErrorName, queryErrorName } from './codes.js'

/** Longest piece of query text quoted in an error message. */
const quotedQueryLengthMax = 200

function quote(text: string): string {
  if (text.length <= quotedQueryLengthMax) return text
  return `${text.slice(0, quotedQueryLengthMax)}…`
}

/**
 * The server refused the handshake (`H 00 01 <code>`, skyhash.md §1) and closed the connection.
 * `skytableCode` 5 means a wrong user name or password (the server does not say which).
 *
 * @example
 * ```ts
 * try { await connect({ host, port, username: 'root', password: 'wrong' }) }
 * catch (error) { if (isSkyError(error, 'CLIENT_HANDSHAKE_REJECTED')) console.log(error.message) }
 * ```
 */
export class HandshakeRejectedError extends SkyError {
  readonly code = 'CLIENT_HANDSHAKE_REJECTED'
  /** The handshake code: 0 corrupted packet … 4 query mode, 5 authentication failed. */
  readonly skytableCode: number
  /** Name of the code (`'authenticationFailed'`), or null if unknown. */
  readonly codeName: string | null

  constructor(skytableCode: number) {
    const codeName = handshakeErrorName(skytableCode)
    super(`server refused the handshake with code ${skytableCode} (${codeName ?? 'unknown'})`)
    this.skytableCode = skytableCode
    this.codeName = codeName
  }
}

/**
 * The connection could not be made: the TCP or TLS connection failed, the server closed it or
 * sent bytes that are not a handshake answer. Nothing was sent but the hello, so it is retryable.
 */
export class ConnectError extends SkyError {
  readonly code = 'CLIENT_CONNECT_FAILED'
  override readonly retryable = true

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options)
  }
}

/** No handshake answer arrived within `connectTimeoutMs`. Retryable. */
export class ConnectTimeoutError extends SkyError {
  readonly code = 'CLIENT_CONNECT_TIMEOUT'
  override readonly retryable = true

  constructor(readonly timeoutMs: number) {
    super(`no handshake answer within ${timeoutMs} ms`)
  }
}

/**
 * The server answered a query with an error response (`10 <code>`, blueql.md §6). The connection
 * stays usable. `retryable` is true when `skytableCode` is one of the connection's
 * `retryableCodes` (default {@link defaultRetryableCodes}: skydb's 200, a serialization failure).
 *
 * @example
 * ```ts
 * try { await connection.query('insert into s.m(?, ?)', 'k', 1) }
 * catch (error) {
 *   if (error instanceof QueryError && error.codeName === 'QExecDmlDuplicate') { ... }
 * }
 * ```
 */
export class QueryError extends SkyError {
  readonly code = 'CLIENT_QUERY_ERROR'
  override readonly retryable: boolean
  /** The server's error code (e.g. 111). */
  readonly skytableCode: number
  /** Skytable's name of the code (`'QExecDmlRowNotFound'`), or null for a code not in §6. */
  readonly codeName: string | null
  /** The query text that failed (parameters are not kept). */
  readonly query: string

  constructor(init: { skytableCode: number; query: string; retryable: boolean }) {
    const codeName = queryErrorName(init.skytableCode)
    const name = codeName ?? 'unknown code'
    super(`query failed with error ${init.skytableCode} (${name}): ${quote(init.query)}`)
    this.skytableCode = init.skytableCode
    this.codeName = codeName
    this.query = init.query
    this.retryable = init.retryable
  }
}

/**
 * The query got no answer within `queryTimeoutMs`. The connection is closed, because answers are
 * matched to queries by order and the late answer would otherwise be taken for the next one's;
 * the server rolls back an open transaction of a dropped connection. Not retryable: the server
 * may have run the query.
 */
export class QueryTimeoutError extends SkyError {
  readonly code = 'CLIENT_QUERY_TIMEOUT'

  constructor(
    readonly timeoutMs: number,
    readonly query: string,
  ) {
    super(`no answer within ${timeoutMs} ms to: ${quote(query)}`)
  }
}

/** Why a connection closed; see {@link ConnectionClosedError}. */
export type ConnectionClosedReason =
  | 'closed-by-client'
  | 'closed-by-server'
  | 'socket-error'
  | 'protocol-error'
  | 'query-timeout'
  | 'connect-timeout'

/**
 * The connection closed before this query was answered. `written` says whether its bytes had been
 * handed to the socket: if not, the server never saw it and it is retryable (on another
 * connection); if so, the server may or may not have run it. `cause` holds the socket error, the
 * ProtocolError of a malformed server stream, or the QueryTimeoutError that closed it.
 */
export class ConnectionClosedError extends SkyError {
  readonly code = 'CLIENT_CONNECTION_CLOSED'
  override readonly retryable: boolean

  constructor(
    readonly reason: ConnectionClosedReason,
    readonly written: boolean,
    options: { readonly cause?: unknown } = {},
  ) {
    const outcome = written ? 'outcome unknown' : 'not sent'
    super(`connection closed (${reason}) before the answer; ${outcome}`, options)
    this.retryable = !written
  }
}

/**
 * A bound on queued work was reached: `pendingQueriesMax` or `unsentBytesMax` on a connection,
 * `waitingMax` on a pool. Nothing was sent; retry once earlier queries have been answered.
 */
export class QueueFullError extends SkyError {
  readonly code = 'CLIENT_QUEUE_FULL'
  override readonly retryable = true

  constructor(
    readonly limit: string,
    readonly value: number,
  ) {
    super(`queue full: ${limit} (${value}) reached`)
  }
}

/** The pool was closed before it could serve this request. Not retryable on this pool. */
export class PoolClosedError extends SkyError {
  readonly code = 'CLIENT_POOL_CLOSED'

  constructor() {
    super('the pool is closed')
  }
}

/** Every pooled connection stayed busy (leased) for `acquireTimeoutMs`. Retryable. */
export class AcquireTimeoutError extends SkyError {
  readonly code = 'CLIENT_ACQUIRE_TIMEOUT'
  override readonly retryable = true

  constructor(readonly timeoutMs: number) {
    super(`no pooled connection became available within ${timeoutMs} ms`)
  }
}

/** A result accessor was called on a result of another kind (`row()` on an empty result). */
export class UnexpectedResultError extends SkyError {
  readonly code = 'CLIENT_UNEXPECTED_RESULT'

  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`expected a ${expected} result, got ${actual}`)
  }
}

/**
 * `tx.query` was called after its transaction attempt ended (committed, rolled back, or replaced
 * by a retry): a stray query must not run outside the transaction it was written for.
 */
export class TransactionFinishedError extends SkyError {
  readonly code = 'CLIENT_TRANSACTION_FINISHED'

  constructor(readonly attempt: number) {
    super(`transaction attempt ${attempt} has already ended`)
  }
}
