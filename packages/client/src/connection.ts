/**
 * Connection: one Skyhash 2 session over TCP or TLS. It sends the hello, then pipelines queries:
 * each `query` call writes its packet at once (or queues it while the socket applies
 * backpressure), and answers are matched to queries in the order they were written
 * (skyhash.md §2: "responses come in order").
 *
 * States, and the function performing each transition:
 *
 *   connecting ──readyEvent (onReady: write hello)──▶ handshaking ──H 00 00 00 (onMessage)──▶ open
 *       │                                                │                                  │
 *       │ error, timeout, end         refusal, bad bytes, error, timeout, end   close() ────┤
 *       ▼                                                ▼                                  ▼
 *     closed ◀───────────────────────────── terminate ◀──────────────────────────────── closing
 *       ▲                      every answer in (finishCloseIfDrained: end the socket)       │
 *       └──────────────────────────────────────────────────────────────────────────────────┘
 *
 * In `open` and `closing` any socket error, server FIN, malformed byte or query timeout calls
 * `terminate`, which rejects every pending query with ConnectionClosedError.
 *
 * Invariants (assertInvariants): `inFlight` holds the written, unanswered queries oldest first and
 * `unsent` the queued ones; `unsentBytes` is the size of `unsent`'s packets; `unsent` is empty
 * unless the socket is blocked; nothing is pending once closed; a query promise settles once.
 */
import type { Socket } from 'node:net'
import { ClientDecoder, encodeClientHello, encodeQuery } from '@sky/protocol'
import type { ClientMessage, Response } from '@sky/protocol'
import { assert } from '@sky/std'
import {
  ConnectError,
  ConnectTimeoutError,
  ConnectionClosedError,
  HandshakeRejectedError,
  QueryError,
  QueryTimeoutError,
  QueueFullError,
} from './errors.js'
import type { ConnectionClosedReason } from './errors.js'
import { Fifo } from './internal/fifo.js'
import { openSocket } from './internal/socket.js'
import { resolveConnectOptions } from './options.js'
import type { ConnectOptions, ResolvedConnectOptions } from './options.js'
import { toParameters } from './parameters.js'
import type { QueryParameter } from './parameters.js'
import { resultFromResponse } from './result.js'
import type { QueryResult } from './result.js'

/** The life of a {@link Connection}; `connect` resolves only in `open`. */
export type ConnectionState = 'connecting' | 'handshaking' | 'open' | 'closing' | 'closed'

/** One query between its `query` call and its answer. */
interface PendingQuery {
  readonly query: string
  /** The packet until it is written, then null. */
  bytes: Uint8Array | null
  readonly resolve: (result: QueryResult) => void
  readonly reject: (error: Error) => void
  timer: NodeJS.Timeout | null
}

/** Settles the promise returned by {@link connect}. */
interface ConnectWaiter {
  readonly resolve: (connection: Connection) => void
  readonly reject: (error: Error) => void
}

/**
 * An open Skyhash 2 connection, made by {@link connect}. Queries may be issued concurrently: they
 * are pipelined on the socket and each promise gets its own answer.
 *
 * Guarantees: answers are matched in write order; every query promise settles exactly once
 * (answer, QueryError, QueryTimeoutError or ConnectionClosedError); no promise is left pending
 * after the socket closes; socket writes stop when `write` returns false and resume on `drain`.
 *
 * Not thread-safe across transactions: session state (`use`, an open transaction) is shared by
 * every query on the connection. Use one connection per transaction ({@link transaction} does).
 */
export class Connection {
  private stateValue: ConnectionState = 'connecting'
  private readonly options: ResolvedConnectOptions
  private readonly socket: Socket
  private readonly decoder: ClientDecoder
  private readonly unsent = new Fifo<PendingQuery>()
  private readonly inFlight = new Fifo<PendingQuery>()
  private unsentBytes = 0
  private writeBlocked = false
  private corked = false
  private connectWaiter: ConnectWaiter | null
  private connectTimer: NodeJS.Timeout | null
  private closeReasonValue: ConnectionClosedReason | null = null
  private resolveClosed: () => void = () => {}

  /**
   * Resolves (never rejects) once the socket is fully closed, however that happened; then
   * {@link Connection.closeReason} says why.
   */
  readonly closed: Promise<void>

  private constructor(options: ResolvedConnectOptions, hello: Uint8Array, waiter: ConnectWaiter) {
    this.options = options
    this.connectWaiter = waiter
    this.decoder = new ClientDecoder({ limits: options.limits })
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
    const { socket, readyEvent } = openSocket(options)
    this.socket = socket
    socket.once(readyEvent, () => this.onReady(hello))
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('drain', () => this.onDrain())
    socket.on('end', () => this.onEnd())
    socket.on('error', (error: Error) => this.onError(error))
    socket.on('close', () => this.onClose())
    this.connectTimer = setTimeout(() => this.onConnectTimeout(), options.connectTimeoutMs)
    this.connectTimer.unref()
  }

  /**
   * Opens a connection; the same as the {@link connect} function.
   *
   * @throws See {@link connect}.
   */
  static connect(options: ConnectOptions): Promise<Connection> {
    let resolved: ResolvedConnectOptions
    let hello: Uint8Array
    try {
      resolved = resolveConnectOptions(options)
      hello = encodeClientHello(resolved)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => {
      const connection = new Connection(resolved, hello, { resolve, reject })
      assert(connection.stateValue === 'connecting', 'a new connection is connecting')
    })
  }

  /** Where the connection is in its life; `open` is the only state that takes queries. */
  get state(): ConnectionState {
    return this.stateValue
  }

  /** Why the connection closed, once it has; null before. */
  get closeReason(): ConnectionClosedReason | null {
    return this.closeReasonValue
  }

  /** Queries sent or queued and not answered yet. */
  get pendingCount(): number {
    return this.unsent.length + this.inFlight.length
  }

  /** Queries queued behind socket backpressure, not written yet. */
  get unsentCount(): number {
    return this.unsent.length
  }

  /**
   * Sends one BlueQL statement with its parameters (mapped as in README.md) and resolves with the
   * answer. Calls may overlap: they are pipelined and answered in call order.
   *
   * @throws (as a rejection) TypeError / RangeError for a parameter that cannot be sent;
   *   QueryError for an error answer; QueryTimeoutError; ConnectionClosedError if the
   *   connection is closing or closed, or closes first; QueueFullError beyond
   *   `pendingQueriesMax` or `unsentBytesMax`.
   * @example
   * ```ts
   * const result = await connection.query('select * from s.users where username = ?', 'sayan')
   * const [name, age] = result.row()
   * ```
   */
  query(text: string, ...parameters: QueryParameter[]): Promise<QueryResult> {
    let bytes: Uint8Array
    try {
      if (typeof text !== 'string') throw new TypeError('query text must be a string')
      bytes = encodeQuery(text, toParameters(parameters))
    } catch (error) {
      return Promise.reject(error)
    }
    const refusal = this.refusal(bytes.length)
    if (refusal !== null) return Promise.reject(refusal)
    return new Promise<QueryResult>((resolve, reject) => {
      const pending: PendingQuery = { query: text, bytes, resolve, reject, timer: null }
      const timeoutMs = this.options.queryTimeoutMs
      if (timeoutMs > 0) {
        pending.timer = setTimeout(() => this.onQueryTimeout(pending), timeoutMs)
        pending.timer.unref()
      }
      if (this.writeBlocked) {
        this.unsent.push(pending)
        this.unsentBytes += bytes.length
      } else {
        this.write(pending)
      }
      this.assertInvariants()
    })
  }

  /**
   * Closes gracefully: refuses new queries at once, waits until every pending query is answered
   * (or times out), then ends the socket. Resolves when the socket is closed; never rejects.
   * Calling it again returns the same wait.
   *
   * @example
   * ```ts
   * await connection.close()
   * ```
   */
  close(): Promise<void> {
    if (this.stateValue === 'open') {
      this.stateValue = 'closing'
      this.finishCloseIfDrained()
    } else if (this.stateValue !== 'closing') {
      this.terminate('closed-by-client')
    }
    return this.closed
  }

  /**
   * Closes at once: every pending query is rejected with ConnectionClosedError
   * (`closed-by-client`) and the socket is destroyed. The server rolls back an open transaction.
   */
  destroy(): void {
    this.terminate('closed-by-client')
  }

  private refusal(byteCount: number): Error | null {
    if (this.stateValue !== 'open') {
      return new ConnectionClosedError(this.closeReasonValue ?? 'closed-by-client', false)
    }
    const { pendingQueriesMax, unsentBytesMax } = this.options
    if (this.pendingCount >= pendingQueriesMax) {
      return new QueueFullError('pendingQueriesMax', pendingQueriesMax)
    }
    if (this.writeBlocked && this.unsentBytes + byteCount > unsentBytesMax) {
      return new QueueFullError('unsentBytesMax', unsentBytesMax)
    }
    return null
  }

  /**
   * Hands one packet to the socket. Writes made in the same tick are corked together, so a burst
   * of pipelined queries leaves in few segments.
   */
  private write(pending: PendingQuery): void {
    const bytes = pending.bytes
    assert(bytes !== null, 'a query is written once')
    assert(!this.writeBlocked, 'no write while the socket is blocked')
    pending.bytes = null
    this.inFlight.push(pending)
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(() => {
        this.corked = false
        this.socket.uncork()
      })
    }
    if (!this.socket.write(bytes)) this.writeBlocked = true
  }

  private onDrain(): void {
    this.writeBlocked = false
    while (!this.writeBlocked && this.stateValue !== 'closed') {
      const pending = this.unsent.shift()
      if (pending === undefined) break
      this.unsentBytes -= pending.bytes?.length ?? 0
      this.write(pending)
    }
    this.assertInvariants()
  }

  private onReady(hello: Uint8Array): void {
    if (this.stateValue !== 'connecting') return
    this.stateValue = 'handshaking'
    this.socket.setNoDelay(true)
    this.socket.setKeepAlive(true)
    this.socket.write(hello)
  }

  private onData(chunk: Buffer): void {
    for (const message of this.decoder.feed(chunk)) {
      if (this.stateValue === 'closed') return
      this.onMessage(message)
    }
    this.assertInvariants()
  }

  private onMessage(message: ClientMessage): void {
    switch (message.kind) {
      case 'handshake-accepted':
        this.onAccepted()
        return
      case 'handshake-rejected':
        this.terminate('closed-by-server', undefined, new HandshakeRejectedError(message.code))
        return
      case 'error': {
        const cause = message.error
        const connectError = new ConnectError('malformed handshake answer', { cause })
        this.terminate('protocol-error', cause, connectError)
        return
      }
      case 'response':
        this.onResponse(message.response)
        return
    }
  }

  private onAccepted(): void {
    assert(this.stateValue === 'handshaking', 'an answer comes after the hello')
    const waiter = this.connectWaiter
    assert(waiter !== null, 'the connect promise is still waiting')
    this.stateValue = 'open'
    this.connectWaiter = null
    this.clearConnectTimer()
    waiter.resolve(this)
  }

  private onResponse(response: Response): void {
    const pending = this.inFlight.shift()
    if (pending === undefined) {
      this.terminate('protocol-error', new Error('the server answered a query never sent'))
      return
    }
    if (pending.timer !== null) clearTimeout(pending.timer)
    if (response.type === 'error') {
      const skytableCode = response.code
      const retryable = this.options.retryableCodes.has(skytableCode)
      pending.reject(new QueryError({ skytableCode, query: pending.query, retryable }))
    } else {
      pending.resolve(resultFromResponse(response))
    }
    this.finishCloseIfDrained()
  }

  /** In `closing`, once nothing is pending: end our side and destroy once it is flushed. */
  private finishCloseIfDrained(): void {
    if (this.stateValue !== 'closing' || this.pendingCount > 0) return
    this.socket.end(() => this.socket.destroy())
  }

  private onQueryTimeout(pending: PendingQuery): void {
    pending.timer = null
    const error = new QueryTimeoutError(this.options.queryTimeoutMs, pending.query)
    const wasInFlight = this.inFlight.remove(pending)
    if (!wasInFlight) {
      const wasUnsent = this.unsent.remove(pending)
      assert(wasUnsent, 'a timed-out query is still pending')
      this.unsentBytes -= pending.bytes?.length ?? 0
    }
    pending.reject(error)
    this.terminate('query-timeout', error)
  }

  private onConnectTimeout(): void {
    this.connectTimer = null
    const error = new ConnectTimeoutError(this.options.connectTimeoutMs)
    this.terminate('connect-timeout', error, error)
  }

  private onEnd(): void {
    const ours = this.stateValue === 'closing' && this.pendingCount === 0
    const reason = ours ? 'closed-by-client' : 'closed-by-server'
    const where = `${this.options.host}:${this.options.port}`
    this.terminate(reason, undefined, new ConnectError(`${where} closed during the handshake`))
  }

  private onError(error: Error): void {
    const where = `${this.options.host}:${this.options.port}`
    const connectError = new ConnectError(`cannot connect to ${where}: ${error.message}`, {
      cause: error,
    })
    this.terminate('socket-error', error, connectError)
  }

  private onClose(): void {
    this.onEnd() // a close without an end (RST, destroy) ends the session the same way
    this.resolveClosed()
  }

  /**
   * Ends the session for good: rejects the connect promise (with `connectError`, while connecting)
   * or every pending query, and destroys the socket. Does nothing if already closed.
   */
  private terminate(reason: ConnectionClosedReason, cause?: unknown, connectError?: Error): void {
    if (this.stateValue === 'closed') return
    this.stateValue = 'closed'
    this.closeReasonValue = reason
    this.clearConnectTimer()
    const options = cause === undefined ? {} : { cause }
    for (const pending of this.inFlight.drain()) {
      if (pending.timer !== null) clearTimeout(pending.timer)
      pending.reject(new ConnectionClosedError(reason, true, options))
    }
    for (const pending of this.unsent.drain()) {
      if (pending.timer !== null) clearTimeout(pending.timer)
      pending.reject(new ConnectionClosedError(reason, false, options))
    }
    this.unsentBytes = 0
    const waiter = this.connectWaiter
    this.connectWaiter = null
    if (waiter !== null) {
      waiter.reject(connectError ?? new ConnectError(`connection closed (${reason})`, options))
    }
    this.socket.destroy()
    this.assertInvariants()
  }

  private clearConnectTimer(): void {
    if (this.connectTimer === null) return
    clearTimeout(this.connectTimer)
    this.connectTimer = null
  }

  private assertInvariants(): void {
    if (!this.writeBlocked) assert(this.unsent.length === 0, 'queued only behind backpressure')
    assert((this.unsentBytes === 0) === (this.unsent.length === 0), 'unsentBytes counts unsent')
    if (this.stateValue === 'closed') assert(this.pendingCount === 0, 'nothing pending once closed')
    if (this.stateValue === 'open') assert(this.connectWaiter === null, 'connect has resolved')
  }
}

/**
 * Opens a connection to a Skyhash 2 server (skyd, or Skytable 0.8): TCP or TLS, then the
 * handshake with `username` and `password`. Resolves once the server accepts.
 *
 * @throws (as a rejection) TypeError / RangeError for bad options; HandshakeRejectedError with the
 *   server's code (5: wrong user name or password); ConnectError if the socket fails or the
 *   server closes or answers garbage; ConnectTimeoutError after `connectTimeoutMs`.
 * @example
 * ```ts
 * const connection = await connect({ host: '127.0.0.1', port: 2003,
 *   username: 'root', password: process.env.SKY_PASSWORD ?? '' })
 * await connection.query('create space if not exists app')
 * await connection.close()
 * ```
 */
export function connect(options: ConnectOptions): Promise<Connection> {
  return Connection.connect(options)
}
