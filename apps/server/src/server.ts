/**
 * SkyServer: the network face of a database. It listens on a TCP endpoint and/or a TLS endpoint,
 * admits at most `connectionsMax` connections, gives each a {@link ClientConnection}, answers
 * `sysctl report metrics` and skydb's `sysctl backup to ?` (backup-statement.ts) itself, and
 * shuts down gracefully.
 *
 * Shutdown, in order: stop accepting; let each connection finish the query it is running (an
 * in-flight commit completes and is answered) while no new query starts; after
 * `shutdownTimeoutMs`, close what is left; then close the backend, which waits for commits in
 * flight, rolls back open transactions, checkpoints and releases the data directory's lock.
 *
 * Invariants: `rawSockets.size <= connectionsMax` (a socket over the limit is closed at accept,
 * before any byte is read); no connection is accepted once shutdown began; the backend is closed
 * exactly once, after every connection closed.
 */
import { once } from 'node:events'
import net from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import tls from 'node:tls'
import type { QueryMessage, Response } from '@sky/protocol'
import { assert } from '@sky/std'
import type { BackendSession, QueryBackend } from './backend.js'
import { answerBackupStatement, isBackupStatement } from './backup-statement.js'
import type { ServerConfig } from './config.js'
import { ClientConnection } from './connection.js'
import type { ConnectionHost, ConnectionLimits } from './connection.js'
import { ServerEndpointError } from './errors.js'
import { AuthGate } from './internal/auth-gate.js'
import { CredentialCache } from './internal/credential-cache.js'
import { ServerCounters } from './internal/counters.js'
import type { Logger } from './logger.js'
import type { MeteredFileSystem } from './metrics.js'
import { buildMetricsReport } from './metrics-report.js'
import type { MetricsReport } from './metrics-report.js'

/** Key material of the TLS endpoint, already read. */
export interface TlsMaterial {
  readonly cert: Buffer
  readonly key: Buffer
  readonly passphrase?: string
}

/** Options of {@link SkyServer.start}. */
export interface ServerOptions {
  readonly config: ServerConfig
  readonly backend: QueryBackend
  readonly log: Logger
  /** The metered disk under the backend, for the fdatasync counters. */
  readonly disk?: MeteredFileSystem
  /** Required when `config.tls` is set. */
  readonly tls?: TlsMaterial
}

/** Where the server listens (the real ports, when port 0 was asked for). */
export interface ServerAddresses {
  readonly tcp: { readonly host: string; readonly port: number } | null
  readonly tls: { readonly host: string; readonly port: number } | null
}

/** Password checks running at once (see AuthGate for why this is small). */
const authConcurrencyMax = 2

/** The statement skyd answers itself (normalized: lowercase, single spaces). */
const metricsStatement = 'sysctl report metrics'

function isMetricsStatement(query: string): boolean {
  if (query.length > 64 || !/metrics/i.test(query)) return false
  return query.trim().split(/[ \t\n]+/).join(' ').toLowerCase() === metricsStatement
}

/**
 * A running skyd network server over a {@link QueryBackend} (see the file header).
 *
 * @example
 * ```ts
 * const backend = await openEmbeddedBackend({ config, log })
 * const server = await SkyServer.start({ config, backend, log, disk: backend.fs })
 * console.log(server.addresses.tcp) // { host: '127.0.0.1', port: 2003 }
 * await server.shutdown()           // also closes the backend
 * ```
 */
export class SkyServer {
  readonly config: ServerConfig
  readonly counters = new ServerCounters()
  readonly #backend: QueryBackend
  readonly #log: Logger
  readonly #disk: MeteredFileSystem | null
  readonly #listeners: Server[] = []
  readonly #rawSockets = new Set<Socket>()
  readonly #connections = new Set<ClientConnection>()
  readonly #authGate = new AuthGate(authConcurrencyMax)
  readonly #credentials: CredentialCache
  readonly #host: ConnectionHost
  #addresses: ServerAddresses = { tcp: null, tls: null }
  #nextId = 1
  #shutdown: Promise<void> | null = null
  #metricsTimer: NodeJS.Timeout | null = null
  #refusedLoggedAt = 0

  private constructor(options: ServerOptions) {
    this.config = options.config
    this.#backend = options.backend
    this.#log = options.log
    this.#disk = options.disk ?? null
    this.#credentials = new CredentialCache({ ttlMs: options.config.authCacheTtlMs })
    const limits: ConnectionLimits = {
      frameBytesMax: options.config.frameBytesMax,
      queryBytesMax: options.config.queryBytesMax,
      idleTimeoutMs: options.config.idleTimeoutMs,
      handshakeTimeoutMs: options.config.handshakeTimeoutMs,
      inputBytesMax: options.config.connectionInputBytesMax,
      outputBytesMax: options.config.connectionOutputBytesMax,
    }
    this.#host = {
      limits,
      log: options.log,
      counters: this.counters,
      authenticate: (user, password) => this.#authenticate(user, password),
      usersChanged: () => this.#credentials.clear(),
      intercept: (message, session) => this.#intercept(message, session),
      closed: (connection) => this.#connections.delete(connection),
    }
  }

  /**
   * Binds the configured endpoints and starts accepting connections.
   *
   * @throws ServerEndpointError when an endpoint cannot be bound or the TLS material is unusable
   *   (nothing stays bound then).
   * @example
   * ```ts
   * const server = await SkyServer.start({ config, backend, log })
   * process.on('SIGTERM', () => void server.shutdown())
   * ```
   */
  static async start(options: ServerOptions): Promise<SkyServer> {
    const server = new SkyServer(options)
    try {
      await server.#listen(options)
    } catch (error) {
      for (const listener of server.#listeners) listener.close()
      throw error
    }
    server.#startMetricsLog()
    return server
  }

  /** The bound addresses. */
  get addresses(): ServerAddresses {
    return this.#addresses
  }

  /** Connections open now (including those still in their handshake). */
  get connectionCount(): number {
    return this.#rawSockets.size
  }

  async #listen(options: ServerOptions): Promise<void> {
    const { config } = options
    let tcp: ServerAddresses['tcp'] = null
    let secure: ServerAddresses['tls'] = null
    if (config.tcp !== null) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => this.#onTcp(socket))
      tcp = await this.#bind(server, 'tcp', config.tcp.host, config.tcp.port)
    }
    if (config.tls !== null) {
      const server = this.#tlsServer(options)
      secure = await this.#bind(server, 'tls', config.tls.host, config.tls.port)
    }
    this.#addresses = { tcp, tls: secure }
  }

  #tlsServer(options: ServerOptions): tls.Server {
    const material = options.tls
    const endpoint = `tls@${options.config.tls?.host}:${options.config.tls?.port}`
    if (material === undefined) throw new ServerEndpointError('no TLS key material', endpoint)
    let server: tls.Server
    try {
      server = tls.createServer({
        cert: material.cert,
        key: material.key,
        ...(material.passphrase === undefined ? {} : { passphrase: material.passphrase }),
        allowHalfOpen: true,
        handshakeTimeout: options.config.handshakeTimeoutMs,
      })
    } catch (error) {
      throw new ServerEndpointError(
        `cannot use the TLS certificate and key: ${(error as Error).message}`, endpoint,
        { cause: error })
    }
    server.on('connection', (socket: Socket) => this.#admit(socket))
    server.on('secureConnection', (socket: tls.TLSSocket) => this.#onSecure(socket))
    server.on('tlsClientError', (error) => this.#log.debug('TLS handshake failed', { error }))
    return server
  }

  async #bind(
    server: Server,
    protocol: 'tcp' | 'tls',
    host: string,
    port: number,
  ): Promise<{ host: string; port: number }> {
    server.maxConnections = this.config.connectionsMax + authConcurrencyMax + 16
    server.listen({ host, port })
    this.#listeners.push(server)
    try {
      await once(server, 'listening')
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw new ServerEndpointError(
        `cannot listen (${String(code ?? (error as Error).message)})`,
        `${protocol}@${host}:${port}`,
        { cause: error })
    }
    server.on('error', (error) => this.#log.error('listener error', { endpoint: protocol, error }))
    const address = server.address() as AddressInfo
    return { host: address.address, port: address.port }
  }

  // --- accepting --------------------------------------------------------------------------

  /** Counts a new socket, or closes it when shutting down or at the connection limit. */
  #admit(socket: Socket): boolean {
    if (this.#shutdown !== null) {
      socket.destroy()
      return false
    }
    if (this.#rawSockets.size >= this.config.connectionsMax) {
      this.counters.connectionsRefused += 1
      const now = Date.now()
      if (now - this.#refusedLoggedAt >= 1_000) {
        this.#refusedLoggedAt = now
        this.#log.warn('connection refused: the connection limit is reached', {
          connectionsMax: this.config.connectionsMax,
          refusedSoFar: this.counters.connectionsRefused,
        })
      }
      socket.destroy()
      return false
    }
    this.#rawSockets.add(socket)
    this.counters.connectionsAccepted += 1
    this.counters.connectionsOpen = this.#rawSockets.size
    socket.once('close', () => {
      this.#rawSockets.delete(socket)
      this.counters.connectionsOpen = this.#rawSockets.size
    })
    assert(this.#rawSockets.size <= this.config.connectionsMax, 'within the connection limit')
    return true
  }

  #onTcp(socket: Socket): void {
    if (!this.#admit(socket)) return
    this.#connections.add(new ClientConnection(socket, this.#host, this.#nextId++, 'tcp'))
  }

  #onSecure(socket: tls.TLSSocket): void {
    if (this.#shutdown !== null) {
      socket.destroy()
      return
    }
    this.#connections.add(new ClientConnection(socket, this.#host, this.#nextId++, 'tls'))
  }

  async #authenticate(user: string, password: string): Promise<BackendSession | null> {
    const valid = await this.#credentials.check(user, password, () =>
      this.#authGate.run(() => this.#backend.verifyPassword(user, password)))
    return valid ? this.#backend.openSession(user) : null
  }

  // --- metrics ----------------------------------------------------------------------------

  /** The counters `sysctl report metrics` answers with. */
  metrics(): MetricsReport {
    return buildMetricsReport({
      counters: this.counters,
      engine: this.#backend.counters(),
      disk: this.#disk,
    })
  }

  #intercept(message: QueryMessage, session: BackendSession): Response | Promise<Response> | null {
    const query = message.queryText
    if (isMetricsStatement(query)) {
      return { type: 'string', value: JSON.stringify(this.metrics(), bigintAsString) }
    }
    if (isBackupStatement(query)) {
      const context = { session, backend: this.#backend, log: this.#log }
      return answerBackupStatement(message, context)
    }
    return null
  }

  #startMetricsLog(): void {
    const intervalMs = this.config.metricsLogIntervalMs
    if (intervalMs === 0) return
    const logMetrics = (): void => this.#log.info('metrics', { ...this.metrics() })
    this.#metricsTimer = setInterval(logMetrics, intervalMs)
    this.#metricsTimer.unref()
  }

  // --- shutdown ---------------------------------------------------------------------------

  /**
   * Graceful shutdown (see the file header). Idempotent: every call returns the same promise.
   *
   * @throws what closing the backend throws (the data directory may then need recovery at the
   *   next start, which it does by itself).
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop()
    return this.#shutdown
  }

  async #stop(): Promise<void> {
    this.#log.info('shutting down', { connections: this.#rawSockets.size })
    if (this.#metricsTimer !== null) clearInterval(this.#metricsTimer)
    for (const listener of this.#listeners) listener.close()
    const connections = [...this.#connections]
    const closing = connections.map((connection) => connection.shutdown())
    const timeoutMs = this.config.shutdownTimeoutMs
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs)
    })
    const allClosed = Promise.all(closing).then(() => 'closed' as const)
    const outcome = await Promise.race([allClosed, timedOut])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      this.#log.warn('shutdown timeout: closing the remaining connections', {
        count: this.#connections.size,
      })
    }
    for (const connection of this.#connections) connection.destroy()
    for (const socket of this.#rawSockets) socket.destroy() // TLS handshakes in progress
    await Promise.all(closing)
    await this.#backend.close()
    this.#log.info('stopped', { ...this.metrics() })
  }
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
