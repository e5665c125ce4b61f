/**
 * ClientConnection: one client socket, from the hello to the close. It decodes Skyhash 2 with
 * `@sky/protocol`'s ServerDecoder, authenticates, and runs the connection's queries on its own
 * backend session one at a time, answering in order (pipelined queries included).
 *
 * States (the function performing each transition in brackets):
 *
 *   hello ──hello [#onHello]──▶ authenticating ──accepted [#authenticated]──▶ ready
 *     │                             │ refused: 48 00 01 05 [#authenticated]     │
 *     │ bad hello: 48 00 01 <code>  ▼                                           │
 *     └──[#onProtocolError]─────▶ closing ◀── input ended and answered, fatal ──┘
 *                                        │          protocol error, idle, shutdown [#finish]
 *                                        ▼  socket closed [#onClose]
 *                                      closed
 *
 * Invariants (assertInvariants): at most one query runs at a time (`#running`); queries run in
 * arrival order and each answer is written in that order, one write per answer; `queuedBytes` is
 * the sum of the queued items' sizes; reading is paused while `queuedBytes` exceeds the input
 * bound, and no query starts while the socket holds more unsent bytes than the output bound, so a
 * connection's memory is bounded by one frame + the input bound + the output bound + one answer;
 * the session is closed exactly once, after the last query that used it settled (a dropped
 * connection's open transaction is rolled back then).
 */
import type { Socket } from 'node:net'
import {
  encodeErrorResponse,
  encodeHandshakeAccepted,
  encodeHandshakeRejected,
  encodeProtocolErrorReply,
  encodeResponse,
  HandshakeErrorCode,
  ServerDecoder,
} from '@sky/protocol'
import type { HandshakeMessage, ProtocolError, QueryMessage, Response } from '@sky/protocol'
import { assert, isSkyError } from '@sky/std'
import type { BackendSession } from './backend.js'
import type { ServerCounters } from './internal/counters.js'
import type { Logger } from './logger.js'

/** The limits one connection enforces (from the server's configuration). */
export interface ConnectionLimits {
  readonly frameBytesMax: number
  readonly queryBytesMax: number
  readonly idleTimeoutMs: number
  readonly handshakeTimeoutMs: number
  readonly inputBytesMax: number
  readonly outputBytesMax: number
}

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly limits: ConnectionLimits
  readonly log: Logger
  readonly counters: ServerCounters
  authenticate(user: string, password: string): Promise<BackendSession | null>
  /** Called after a `sysctl` statement that may have changed users succeeded. */
  usersChanged(): void
  /**
   * A server-level answer for the query (`sysctl report metrics`, `sysctl backup to ?`), or
   * null to run it on the session. The promise never rejects except for a bug.
   */
  intercept(message: QueryMessage, session: BackendSession): Response | Promise<Response> | null
  /** Called once, when the socket has closed. */
  closed(connection: ClientConnection): void
}

/** Why a connection ended (logged). */
export type CloseReason =
  | 'client closed'
  | 'socket error'
  | 'handshake refused'
  | 'authentication failed'
  | 'handshake timeout'
  | 'idle timeout'
  | 'client not reading'
  | 'protocol error'
  | 'shutdown'

type State = 'hello' | 'authenticating' | 'ready' | 'closing' | 'closed'

type Item =
  | { readonly kind: 'query'; readonly message: QueryMessage; readonly bytes: number }
  | { readonly kind: 'error'; readonly error: ProtocolError; readonly bytes: number }

/** How long an ended socket may take to close before it is destroyed. */
const lingerMs = 5_000
/** Skytable's 0 SysServerError: a typed storage failure outside a statement. */
const serverErrorCode = 0
/** Skytable's 2 SysUnknownError: an unclassified failure (blueql.md §6). */
const unknownErrorCode = 2

const writeKeywords: ReadonlySet<string> = new Set(['insert', 'update', 'delete'])

/** Estimated memory of a decoded query: its text and parameter values. */
function itemBytes(message: QueryMessage): number {
  let bytes = 64 + message.query.length
  for (const parameter of message.parameters) {
    bytes += 16
    if (parameter.type === 'binary') bytes += parameter.value.length
    else if (parameter.type === 'string') bytes += 2 * parameter.value.length
  }
  return bytes
}

/** The statement keyword a query starts with, lowercased ('' if none). */
function firstKeyword(query: string): string {
  const match = /^[ \t\n]*([A-Za-z_]+)/.exec(query)
  return match === null ? '' : (match[1] as string).toLowerCase()
}

/**
 * One client connection (see the file header for its states and invariants). Created by
 * {@link SkyServer} for each admitted socket; it owns the socket until it closes.
 */
export class ClientConnection {
  readonly id: number
  readonly endpoint: 'tcp' | 'tls'
  readonly remote: string
  readonly #socket: Socket
  readonly #host: ConnectionHost
  readonly #log: Logger
  readonly #decoder: ServerDecoder
  readonly #queue: Item[] = []
  #queuedBytes = 0
  #state: State = 'hello'
  #session: BackendSession | null = null
  #running = false
  #inputEnded = false
  #paused = false
  #closeReason: CloseReason | null = null
  #idleTimer: NodeJS.Timeout | null = null
  #handshakeTimer: NodeJS.Timeout | null = null
  #lingerTimer: NodeJS.Timeout | null = null
  readonly #closedPromise: Promise<void>
  #resolveClosed: () => void = () => {}

  constructor(socket: Socket, host: ConnectionHost, id: number, endpoint: 'tcp' | 'tls') {
    this.id = id
    this.endpoint = endpoint
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`
    this.#socket = socket
    this.#host = host
    this.#log = host.log.child({ connection: id })
    const { frameBytesMax, queryBytesMax } = host.limits
    this.#decoder = new ServerDecoder({ limits: { packetBytesMax: frameBytesMax, queryBytesMax } })
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve
    })
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('end', () => this.#onEnd())
    socket.on('error', (error) => this.#onError(error))
    socket.on('close', () => this.#onClose())
    const onHandshakeTimeout = (): void => this.#onHandshakeTimeout()
    this.#handshakeTimer = setTimeout(onHandshakeTimeout, host.limits.handshakeTimeoutMs)
    this.#armIdle()
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closedPromise
  }

  /** The user, once authenticated. */
  get user(): string | null {
    return this.#session?.user ?? null
  }

  // --- input ------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    this.#host.counters.bytesIn += chunk.length
    if (this.#state === 'closing' || this.#state === 'closed') return
    this.#armIdle()
    for (const message of this.#decoder.feed(chunk)) {
      if ((this.#state as State) === 'closing') break
      if (message.kind === 'handshake') this.#onHello(message)
      else if (message.kind === 'query') {
        this.#enqueue({ kind: 'query', message, bytes: itemBytes(message) })
      }
      else this.#onProtocolError(message.error)
    }
    if (this.#queuedBytes > this.#host.limits.inputBytesMax && !this.#paused) {
      this.#paused = true
      this.#socket.pause()
    }
    this.#pump()
  }

  #onProtocolError(error: ProtocolError): void {
    if (error.reply === 'handshake') {
      this.#host.counters.handshakeFailures += 1
      this.#log.info('handshake refused', { remote: this.remote, reason: error.message })
      this.#send(encodeProtocolErrorReply(error))
      this.#finish('handshake refused')
      return
    }
    this.#host.counters.protocolErrors += 1
    this.#log.info('protocol error', { reason: error.message, fatal: error.fatal })
    // Answered in its place among the pipelined queries; a fatal one ends the input here.
    this.#enqueue({ kind: 'error', error, bytes: 64 })
    if (error.fatal) this.#stopReading()
  }

  #onEnd(): void {
    // The client half-closed: answer what it sent, then close our side too. Before a complete
    // hello there is nothing to answer.
    this.#inputEnded = true
    if (this.#state === 'hello') this.#finish('client closed')
    else this.#pump()
  }

  #stopReading(): void {
    this.#inputEnded = true
    this.#socket.pause()
    this.#paused = true
  }

  #enqueue(item: Item): void {
    this.#queue.push(item)
    this.#queuedBytes += item.bytes
  }

  // --- authentication ---------------------------------------------------------------------

  #onHello(message: HandshakeMessage): void {
    assert(this.#state === 'hello', 'one hello per connection')
    this.#state = 'authenticating'
    this.#host
      .authenticate(message.username, message.password)
      .catch((error: unknown) => {
        this.#log.error('authentication failed with an error', { error })
        return null
      })
      .then((session) => this.#authenticated(message.username, session))
  }

  #authenticated(user: string, session: BackendSession | null): void {
    if (this.#state !== 'authenticating') {
      session?.close() // the socket went away meanwhile
      return
    }
    this.#clearHandshakeTimer()
    if (session === null) {
      this.#host.counters.authFailures += 1
      this.#log.info('authentication refused', { remote: this.remote, user })
      this.#send(encodeHandshakeRejected(HandshakeErrorCode.authenticationFailed))
      this.#finish('authentication failed')
      return
    }
    this.#session = session
    this.#state = 'ready'
    this.#send(encodeHandshakeAccepted())
    this.#log.debug('authenticated', { remote: this.remote, user, endpoint: this.endpoint })
    this.#pump()
  }

  #onHandshakeTimeout(): void {
    this.#handshakeTimer = null
    if (this.#state !== 'hello' && this.#state !== 'authenticating') return
    this.#host.counters.handshakeFailures += 1
    this.#log.info('handshake timeout', { remote: this.remote })
    this.#closeReason = 'handshake timeout'
    this.#socket.destroy()
  }

  #clearHandshakeTimer(): void {
    if (this.#handshakeTimer !== null) clearTimeout(this.#handshakeTimer)
    this.#handshakeTimer = null
  }

  // --- execution --------------------------------------------------------------------------

  /** Starts the next query if none runs, the session is ready and the client reads answers. */
  #pump(): void {
    if (this.#running || this.#state !== 'ready') return
    const item = this.#queue[0]
    if (item === undefined) {
      if (this.#inputEnded) this.#finish('client closed')
      return
    }
    if (this.#socket.writableLength > this.#host.limits.outputBytesMax) {
      // The client is not reading its answers: run nothing more until the socket drains.
      if (this.#socket.listenerCount('drain') === 0) {
        this.#socket.once('drain', () => {
          this.#armIdle()
          this.#pump()
        })
      }
      return
    }
    this.#queue.shift()
    this.#queuedBytes -= item.bytes
    const drained = this.#queuedBytes <= this.#host.limits.inputBytesMax / 2
    if (this.#paused && !this.#inputEnded && drained) {
      this.#paused = false
      this.#socket.resume()
    }
    this.#running = true
    this.#answer(item).then(
      (answer) => this.#answered(item, answer),
      (error: unknown) => {
        // A bug (an assertion failed): stop the process, as everywhere in skydb. Recovery at
        // the next start makes the data consistent; answering on would build on a broken state.
        this.#host.log.error('bug: answering a query threw; stopping', { error })
        setImmediate(() => {
          throw error
        })
      },
    )
  }

  #answered(item: Item, answer: Uint8Array): void {
    assert(this.#running, 'an answer belongs to the running query')
    this.#running = false
    if (this.#state === 'closed') {
      this.#closeSession()
      return
    }
    this.#send(answer)
    this.#armIdle()
    if (item.kind === 'error' && item.error.fatal) this.#finish('protocol error')
    if (this.#state === 'closing') this.#endSocket()
    else this.#pump()
  }

  async #answer(item: Item): Promise<Uint8Array> {
    if (item.kind === 'error') return encodeProtocolErrorReply(item.error)
    const session = this.#session
    assert(session !== null, 'queries run after authentication')
    const { message } = item
    this.#host.counters.queries += 1
    const intercepted = this.#host.intercept(message, session)
    if (intercepted !== null) return encodeResponse(await intercepted)
    const before = session.transactionState
    let response: Response
    try {
      const { parameterError } = message
      const options = parameterError === null ? {} : { parameterError }
      response = await session.respond(message.queryText, message.parameters, options)
    } catch (error) {
      if (error instanceof Error && error.name === 'AssertionError') throw error
      // A typed failure of the storage below (closed or stopped engine, I/O) is 0
      // SysServerError; anything untyped is unclassified: 2 SysUnknownError (blueql.md §6).
      const code = isSkyError(error) ? serverErrorCode : unknownErrorCode
      this.#log.error('query failed outside the statement', { error, code })
      response = { type: 'error', code }
    }
    this.#account(message.queryText, before, response)
    try {
      return encodeResponse(response)
    } catch (error) {
      this.#log.error('bug: the answer cannot be encoded', { error })
      return encodeErrorResponse(unknownErrorCode)
    }
  }

  /** Counts commits and aborts from statement outcomes (README "Metrics"). */
  #account(query: string, before: BackendSession['transactionState'], response: Response): void {
    const counters = this.#host.counters
    const keyword = firstKeyword(query)
    if (response.type === 'error') {
      counters.queryErrors += 1
      if (keyword === 'commit' && before !== 'none') counters.aborts += 1
      return
    }
    if (keyword === 'sysctl' && !/^\s*sysctl\s+report\b/i.test(query)) this.#host.usersChanged()
    if (keyword === 'commit') counters.commits += 1
    else if (keyword === 'rollback' && before !== 'none') counters.aborts += 1
    else if (before === 'none' && writeKeywords.has(keyword)) counters.commits += 1
  }

  // --- output and closing -----------------------------------------------------------------

  #send(bytes: Uint8Array): void {
    if (this.#socket.destroyed || this.#socket.writableEnded) return
    this.#socket.write(bytes)
    this.#host.counters.bytesOut += bytes.length
  }

  /** Stops taking queries; ends the socket once the running query (if any) is answered. */
  #finish(reason: CloseReason): void {
    if (this.#state === 'closing' || this.#state === 'closed') return
    this.#closeReason ??= reason
    this.#state = 'closing'
    this.#clearHandshakeTimer()
    this.#queue.length = 0
    this.#queuedBytes = 0
    this.#stopReading()
    if (!this.#running) this.#endSocket()
  }

  #endSocket(): void {
    if (!this.#socket.writableEnded) this.#socket.end()
    if (this.#lingerTimer === null) {
      this.#lingerTimer = setTimeout(() => this.#socket.destroy(), lingerMs)
      this.#lingerTimer.unref()
    }
  }

  #armIdle(): void {
    const timeoutMs = this.#host.limits.idleTimeoutMs
    if (timeoutMs === 0 || this.#state === 'closed') return
    if (this.#idleTimer === null) this.#idleTimer = setTimeout(() => this.#onIdle(), timeoutMs)
    else this.#idleTimer.refresh()
  }

  #onIdle(): void {
    if (this.#state === 'closed') return
    if (this.#running) {
      this.#idleTimer?.refresh() // a long query is not idleness
      return
    }
    this.#host.counters.idleTimeouts += 1
    if (this.#socket.writableLength > 0 || this.#socket.listenerCount('drain') > 0) {
      this.#log.info('closing a client that does not read its answers', { remote: this.remote })
      this.#closeReason ??= 'client not reading'
      this.#socket.destroy()
      return
    }
    const { idleTimeoutMs } = this.#host.limits
    this.#log.info('idle timeout', { remote: this.remote, idleTimeoutMs })
    if (this.#state === 'ready') this.#finish('idle timeout')
    else {
      this.#closeReason ??= 'idle timeout'
      this.#socket.destroy()
    }
  }

  #onError(error: Error): void {
    this.#closeReason ??= 'socket error'
    this.#log.debug('socket error', { error })
  }

  #onClose(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#closeReason ??= 'client closed'
    this.#clearHandshakeTimer()
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer)
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer)
    this.#queue.length = 0
    this.#queuedBytes = 0
    if (!this.#running) this.#closeSession()
    this.#log.debug('closed', { reason: this.#closeReason, user: this.user })
    this.#host.closed(this)
    this.#resolveClosed()
  }

  /** Ends the session; an open transaction is rolled back (and counted as an abort). */
  #closeSession(): void {
    const session = this.#session
    if (session === null) return
    this.#session = null
    if (session.transactionState !== 'none') this.#host.counters.aborts += 1
    session.close()
  }

  // --- server control ---------------------------------------------------------------------

  /**
   * Graceful close for shutdown: no new query starts, the running one is answered, then the
   * socket ends. Resolves once it has closed.
   */
  shutdown(): Promise<void> {
    if (this.#state === 'hello' || this.#state === 'authenticating') {
      this.#closeReason ??= 'shutdown'
      this.#socket.destroy()
    } else {
      this.#finish('shutdown')
    }
    return this.#closedPromise
  }

  /** Closes at once (shutdown timeout). */
  destroy(): void {
    this.#socket.destroy()
  }

  /** Checks the invariants of this file's header. */
  assertInvariants(): void {
    let bytes = 0
    for (const item of this.#queue) bytes += item.bytes
    assert(bytes === this.#queuedBytes, 'queuedBytes is the sum of the queue')
    if (this.#running) {
      assert(this.#session !== null || this.#state === 'closed', 'a query runs in a session')
    }
    if (this.#state === 'ready') assert(this.#session !== null, 'ready means authenticated')
  }
}
