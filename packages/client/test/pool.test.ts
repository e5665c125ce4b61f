/**
 * The pool against the fake server: its size bound, lazy opening, exclusive leases, replacement of
 * a dead connection, connect failures, the acquire timeout (fake clock), waitingMax and close.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AcquireTimeoutError,
  HandshakeRejectedError,
  PoolClosedError,
  createPool,
} from '../src/index.js'
import type { Pool, PoolOptions } from '../src/index.js'
import { startFakeServer } from './fake-server.js'
import type { FakeServer, FakeServerOptions } from './fake-server.js'

const servers: FakeServer[] = []
const pools: Pool[] = []

/** The fake server answers every query with the id of the connection that carried it. */
async function serve(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = await startFakeServer({
    answer: (_, session) => ({ type: 'uint64', value: BigInt(session.id) }),
    ...options,
  })
  servers.push(server)
  return server
}

function pool(server: FakeServer, options: Partial<PoolOptions> = {}): Pool {
  const created = createPool({
    port: server.port,
    username: 'root',
    password: 'pw',
    ...options,
  })
  pools.push(created)
  return created
}

/** A promise and the function that resolves it. */
function gate(): { readonly opened: Promise<void>; readonly open: () => void } {
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

/** Leases a connection of `subject` until `release()`; resolves `leased` once it holds it. */
function holdLease(subject: Pool): {
  readonly leased: Promise<void>
  readonly release: () => void
  readonly done: Promise<unknown>
} {
  const leased = gate()
  const held = gate()
  const done = subject.withConnection(async () => {
    leased.open()
    await held.opened
  })
  return { leased: leased.opened, release: held.open, done }
}

afterEach(async () => {
  vi.useRealTimers()
  for (const created of pools.splice(0)) await created.close()
  for (const server of servers.splice(0)) await server.close()
})

describe('Pool', () => {
  it('opens connections on demand and never more than size', async () => {
    const server = await serve()
    const subject = pool(server, { size: 3 })
    expect(subject.stats().connections).toBe(0)
    const results = await Promise.all(Array.from({ length: 60 }, () => subject.query('x')))
    const ids = new Set(results.map((result) => result.scalar()))
    expect(ids.size).toBeLessThanOrEqual(3)
    expect(server.connectionCount()).toBeLessThanOrEqual(3)
    expect(subject.stats()).toMatchObject({ size: 3, leased: 0, connecting: 0, waiting: 0 })
  })

  it('reuses an idle connection instead of opening another', async () => {
    const server = await serve()
    const subject = pool(server, { size: 4 })
    for (let index = 0; index < 10; index += 1) await subject.query('x')
    expect(server.connectionCount()).toBe(1)
  })

  it('gives a leased connection to nobody else until the function settles', async () => {
    const server = await serve()
    const subject = pool(server, { size: 2 })
    const held = gate()
    const lease = subject.withConnection(async (connection) => {
      const mine = (await connection.query('mine')).scalar()
      await held.opened
      return mine
    })
    await server.waitForQueries(1)
    const others = await Promise.all(Array.from({ length: 10 }, () => subject.query('other')))
    held.open()
    const mine = await lease
    expect(others.every((result) => result.scalar() !== mine)).toBe(true)
    expect(subject.stats().leased).toBe(0)
  })

  it('makes queries wait while its only connection is leased', async () => {
    const server = await serve()
    const subject = pool(server, { size: 1 })
    const lease = holdLease(subject)
    await lease.leased
    expect(subject.stats().leased).toBe(1)
    const waiting = subject.query('x')
    expect(subject.stats().waiting).toBe(1)
    lease.release()
    await lease.done
    expect((await waiting).scalar()).toBe(1n)
  })

  it('replaces a connection the server closed', async () => {
    const server = await serve()
    const subject = pool(server, { size: 1 })
    const first = await subject.withConnection((connection) => connection)
    for (const socket of server.sockets) socket.destroy()
    await first.closed
    expect(first.closeReason).toBe('closed-by-server')
    expect(subject.stats().connections).toBe(0)
    expect((await subject.query('x')).scalar()).toBe(2n)
    expect(server.connectionCount()).toBe(2)
  })

  it('hands a connect failure to the request that caused it, and recovers', async () => {
    let refuse = true
    const server = await serve({ handshake: () => (refuse ? 5 : null) })
    const subject = pool(server, { size: 1 })
    const error = await subject.query('x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HandshakeRejectedError)
    expect(subject.stats()).toMatchObject({ connections: 0, connecting: 0 })
    refuse = false
    expect((await subject.query('x')).scalar()).toBe(2n)
  })

  it('rejects with CLIENT_ACQUIRE_TIMEOUT when no connection frees up (fake clock)', async () => {
    const server = await serve()
    const subject = pool(server, { size: 1, acquireTimeoutMs: 5000 })
    const lease = holdLease(subject)
    await lease.leased
    expect(subject.stats().leased).toBe(1)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const waiting = subject.query('x').catch((e: unknown) => e)
    vi.advanceTimersByTime(5000)
    const error = await waiting
    expect(error).toBeInstanceOf(AcquireTimeoutError)
    expect(error).toMatchObject({ code: 'CLIENT_ACQUIRE_TIMEOUT', retryable: true })
    expect(subject.stats().waiting).toBe(0)
    vi.useRealTimers()
    lease.release()
    await lease.done
    expect((await subject.query('x')).scalar()).toBe(1n)
  })

  it('refuses requests beyond waitingMax with CLIENT_QUEUE_FULL', async () => {
    const server = await serve()
    const subject = pool(server, { size: 1, waitingMax: 1 })
    const lease = holdLease(subject)
    await lease.leased
    expect(subject.stats().leased).toBe(1)
    const first = subject.query('x')
    await expect(subject.query('y')).rejects.toMatchObject({ code: 'CLIENT_QUEUE_FULL' })
    lease.release()
    await Promise.all([lease.done, first])
  })

  it('close() rejects waiters, refuses new requests and closes every connection', async () => {
    const server = await serve()
    const subject = pool(server, { size: 1 })
    const held = gate()
    const leased = gate()
    const lease = subject.withConnection(async (connection) => {
      leased.open()
      await held.opened
      return connection
    })
    await leased.opened
    const waiting = subject.query('x').catch((e: unknown) => e)
    const closing = subject.close()
    expect(await waiting).toBeInstanceOf(PoolClosedError)
    await expect(subject.query('y')).rejects.toMatchObject({ code: 'CLIENT_POOL_CLOSED' })
    held.open()
    const connection = await lease
    await closing
    expect(connection.state).toBe('closed')
    expect(subject.close()).toBe(closing)
  })

  it('checks its options at once', () => {
    const base = { username: 'root', password: 'pw' }
    expect(() => createPool({ ...base, size: 0 })).toThrow(RangeError)
    expect(() => createPool({ ...base, acquireTimeoutMs: -1 })).toThrow(RangeError)
    expect(() => createPool({ ...base, port: 0 })).toThrow(RangeError)
  })
})
