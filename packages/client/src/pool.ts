/**
 * Pool: up to `size` connections, opened on demand. `pool.query` pipelines a statement on the
 * least busy connection that is not leased; `withConnection` leases one connection to a function
 * for exclusive use (session state: `use`, transactions). A connection that dies is dropped, and
 * the next request that finds no connection opens a replacement.
 *
 * Dispatch order for the oldest waiter (`dispatch`): an idle unleased connection; else a new
 * connection if fewer than `size` exist or are being opened; else the unleased connection with the
 * fewest pending queries; else wait for a release, a death or a new connection.
 *
 * Invariants (assertInvariants): `leased ⊆ connections`; `connections.size + connectingCount <=
 * size`; a waiter is in the queue, or with one connection being opened, or settled (`done`);
 * once closing, the queue is empty and every unleased connection is closing.
 */
import { assert } from '@sky/std'
import { Connection } from './connection.js'
import { AcquireTimeoutError, PoolClosedError, QueueFullError } from './errors.js'
import { Fifo } from './internal/fifo.js'
import { resolveConnectOptions } from './options.js'
import type { ConnectOptions } from './options.js'
import type { QueryParameter } from './parameters.js'
import type { QueryResult } from './result.js'

/** Largest accepted pool `size`. */
const poolSizeMax = 1024

/** Options of {@link createPool}: how to connect, plus the pool's own bounds. */
export interface PoolOptions extends ConnectOptions {
  /** Most connections open at once. Default 4, at most 1024. */
  readonly size?: number
  /** Longest wait for a connection when every one is leased; 0 waits forever. Default 30 000. */
  readonly acquireTimeoutMs?: number
  /** Most requests waiting for a connection. Default 16 384. */
  readonly waitingMax?: number
}

/** Counters of a {@link Pool}, for monitoring and tests. */
export interface PoolStats {
  readonly size: number
  /** Connections open (or closing), leased or not. */
  readonly connections: number
  readonly leased: number
  /** Connections being opened. */
  readonly connecting: number
  /** Requests waiting for a connection. */
  readonly waiting: number
}

/** A request for a connection: a query to run on it, or a lease. */
interface Waiter {
  readonly kind: 'query' | 'lease'
  readonly serve: (connection: Connection) => void
  readonly fail: (error: Error) => void
  timer: NodeJS.Timeout | null
  done: boolean
}

interface ResolvedPoolOptions {
  readonly connect: ConnectOptions
  readonly size: number
  readonly acquireTimeoutMs: number
  readonly waitingMax: number
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`)
  }
  return value
}

function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  resolveConnectOptions(options) // check the connect options now, not at the first query
  const { size, acquireTimeoutMs, waitingMax, ...connect } = options
  return {
    connect,
    size: checkCount('size', size ?? 4, 1, poolSizeMax),
    acquireTimeoutMs: checkCount('acquireTimeoutMs', acquireTimeoutMs ?? 30_000, 0, 2 ** 31 - 1),
    waitingMax: checkCount('waitingMax', waitingMax ?? 16_384, 0, 2 ** 30),
  }
}

/**
 * A small connection pool; make one with {@link createPool}.
 *
 * Guarantees: never more than `size` connections; each request is served or rejected exactly
 * once; a leased connection is used by nobody else until its function settles; requests wait in
 * arrival order; `close()` settles every waiter and closes every connection.
 *
 * Not guaranteed: `pool.query` calls share connections, so a statement that changes session state
 * (`use`, `begin`) would affect other callers; run those inside `withConnection`.
 */
export class Pool {
  private readonly options: ResolvedPoolOptions
  private readonly connections = new Set<Connection>()
  private readonly leased = new Set<Connection>()
  private readonly waiters = new Fifo<Waiter>()
  private readonly openings = new Set<Promise<void>>()
  private connectingCount = 0
  private closing: Promise<void> | null = null

  /** @throws TypeError / RangeError for bad options. Prefer {@link createPool}. */
  constructor(options: PoolOptions) {
    this.options = resolvePoolOptions(options)
  }

  /** Current counters. */
  stats(): PoolStats {
    return {
      size: this.options.size,
      connections: this.connections.size,
      leased: this.leased.size,
      connecting: this.connectingCount,
      waiting: this.waiters.length,
    }
  }

  /**
   * Runs one statement on a pooled connection (pipelined with others), as
   * {@link Connection.query}. Use fully qualified names (`space.model`): the connection's current
   * space is whatever an earlier statement left.
   *
   * @throws (as a rejection) everything {@link Connection.query} and {@link connect} reject with;
   *   PoolClosedError; AcquireTimeoutError; QueueFullError beyond `waitingMax`.
   * @example
   * ```ts
   * const { kind } = await pool.query('insert into app.users(?, ?)', 'sayan', 30)
   * ```
   */
  query(text: string, ...parameters: QueryParameter[]): Promise<QueryResult> {
    return new Promise<QueryResult>((resolve, reject) => {
      const serve = (connection: Connection): void => {
        connection.query(text, ...parameters).then(resolve, reject)
      }
      this.enqueue({ kind: 'query', serve, fail: reject, timer: null, done: false })
    })
  }

  /**
   * Leases one connection to `fn` for its exclusive use and returns it to the pool when `fn`'s
   * promise settles (whatever `fn` left in the session stays: undo `use` or a transaction
   * yourself, or use {@link transaction}).
   *
   * @throws (as a rejection) what `fn` throws; PoolClosedError; AcquireTimeoutError;
   *   QueueFullError; ConnectError / HandshakeRejectedError if a new connection fails.
   * @example
   * ```ts
   * const row = await pool.withConnection(async (connection) => {
   *   await connection.query('use app')
   *   return (await connection.query('select * from users where id = ?', 'sayan')).row()
   * })
   * ```
   */
  async withConnection<T>(fn: (connection: Connection) => Promise<T> | T): Promise<T> {
    if (typeof fn !== 'function') throw new TypeError('withConnection needs a function')
    const connection = await new Promise<Connection>((resolve, reject) => {
      this.enqueue({ kind: 'lease', serve: resolve, fail: reject, timer: null, done: false })
    })
    try {
      return await fn(connection)
    } finally {
      this.release(connection)
    }
  }

  /**
   * Closes the pool: rejects waiting requests with PoolClosedError, refuses new ones, closes idle
   * connections gracefully (their pending queries are answered first) and leased ones when they
   * are returned. Resolves when every connection is closed; never rejects.
   */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing
    for (const waiter of this.waiters.drain()) this.settle(waiter, new PoolClosedError())
    const connections = [...this.connections]
    for (const connection of connections) {
      if (!this.leased.has(connection)) void connection.close()
    }
    const openings = [...this.openings]
    this.closing = Promise.all([...connections.map((c) => c.closed), ...openings]).then(() => {})
    this.assertInvariants()
    return this.closing
  }

  private enqueue(waiter: Waiter): void {
    if (this.closing !== null) {
      waiter.fail(new PoolClosedError())
      return
    }
    if (this.waiters.length >= this.options.waitingMax) {
      waiter.fail(new QueueFullError('waitingMax', this.options.waitingMax))
      return
    }
    const timeoutMs = this.options.acquireTimeoutMs
    if (timeoutMs > 0) {
      waiter.timer = setTimeout(() => {
        waiter.timer = null
        this.waiters.remove(waiter)
        this.settle(waiter, new AcquireTimeoutError(timeoutMs))
      }, timeoutMs)
      waiter.timer.unref()
    }
    this.waiters.push(waiter)
    this.dispatch()
  }

  /** Serves waiters, oldest first, while a connection can be found or opened for them. */
  private dispatch(): void {
    while (this.closing === null) {
      const waiter = this.waiters.peek()
      if (waiter === undefined) break
      const available = this.leastBusy()
      if (available !== null && available.pendingCount === 0) {
        this.serve(this.shiftWaiter(), available)
      } else if (this.connections.size + this.connectingCount < this.options.size) {
        this.open(this.shiftWaiter())
      } else if (available !== null) {
        this.serve(this.shiftWaiter(), available)
      } else {
        break
      }
    }
    this.assertInvariants()
  }

  private shiftWaiter(): Waiter {
    const waiter = this.waiters.shift()
    assert(waiter !== undefined, 'dispatch shifts a waiter it has seen')
    return waiter
  }

  private leastBusy(): Connection | null {
    let best: Connection | null = null
    for (const connection of this.connections) {
      if (this.leased.has(connection) || connection.state !== 'open') continue
      if (best === null || connection.pendingCount < best.pendingCount) best = connection
    }
    return best
  }

  private serve(waiter: Waiter, connection: Connection): void {
    if (waiter.done) return // timed out meanwhile: the connection stays free
    if (waiter.kind === 'lease') this.leased.add(connection)
    waiter.done = true
    if (waiter.timer !== null) clearTimeout(waiter.timer)
    waiter.serve(connection)
  }

  private settle(waiter: Waiter, error: Error): void {
    if (waiter.done) return
    waiter.done = true
    if (waiter.timer !== null) clearTimeout(waiter.timer)
    waiter.fail(error)
  }

  /** Opens a connection for `waiter`; on failure the waiter gets the error. */
  private open(waiter: Waiter): void {
    this.connectingCount += 1
    const opening = Connection.connect(this.options.connect).then(
      (connection) => {
        this.connectingCount -= 1
        if (this.closing !== null) {
          void connection.close()
          this.settle(waiter, new PoolClosedError())
          return connection.closed
        }
        this.adopt(connection)
        this.serve(waiter, connection)
        this.dispatch()
        return undefined
      },
      (error: unknown) => {
        this.connectingCount -= 1
        this.settle(waiter, error instanceof Error ? error : new Error(String(error)))
        this.dispatch()
      },
    )
    const tracked = opening.then(() => {
      this.openings.delete(tracked)
    })
    this.openings.add(tracked)
  }

  private adopt(connection: Connection): void {
    this.connections.add(connection)
    void connection.closed.then(() => {
      this.connections.delete(connection)
      this.leased.delete(connection)
      this.dispatch()
    })
  }

  private release(connection: Connection): void {
    assert(this.leased.has(connection) || !this.connections.has(connection), 'released once')
    this.leased.delete(connection)
    if (this.closing !== null) {
      void connection.close()
      return
    }
    this.dispatch()
  }

  private assertInvariants(): void {
    for (const connection of this.leased) {
      assert(this.connections.has(connection), 'a leased connection belongs to the pool')
    }
    assert(this.connections.size + this.connectingCount <= this.options.size, 'size is a bound')
    if (this.closing !== null) assert(this.waiters.length === 0, 'nobody waits on a closed pool')
  }
}

/**
 * Creates a pool of up to `size` connections to one server. No connection is opened until the
 * first request.
 *
 * @throws TypeError / RangeError for bad options (checked at once).
 * @example
 * ```ts
 * const pool = createPool({ host: '127.0.0.1', port: 2003, username: 'root', password, size: 8 })
 * await pool.query('insert into app.users(?, ?)', 'sayan', 30)
 * await pool.close()
 * ```
 */
export function createPool(options: PoolOptions): Pool {
  return new Pool(options)
}
