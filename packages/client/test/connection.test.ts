/**
 * The client against the scripted fake server on 127.0.0.1: handshake answers, every value type,
 * rows, errors, pipelining with answers cut at random bytes, a server closing mid-stream, bad
 * server bytes, timeouts (fake timers, no sleeps), graceful close and backpressure.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { encodeResponse } from '@sky/protocol'
import type { Response, Value } from '@sky/protocol'
import { isSkyError } from '@sky/std'
import {
  ConnectionClosedError,
  HandshakeRejectedError,
  QueryError,
  connect,
  float,
  sint,
} from '../src/index.js'
import type { Connection, ConnectOptions, QueryResult } from '../src/index.js'
import { startFakeServer } from './fake-server.js'
import type { FakeServer, FakeServerOptions } from './fake-server.js'

const servers: FakeServer[] = []
const connections: Connection[] = []

async function serve(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = await startFakeServer(options)
  servers.push(server)
  return server
}

async function open(
  server: FakeServer,
  options: Partial<ConnectOptions> = {},
): Promise<Connection> {
  const connection = await connect({
    host: '127.0.0.1',
    port: server.port,
    username: 'root',
    password: 'pass123',
    ...options,
  })
  connections.push(connection)
  return connection
}

afterEach(async () => {
  vi.useRealTimers()
  for (const connection of connections.splice(0)) connection.destroy()
  for (const server of servers.splice(0)) await server.close()
})

/** Resolves with the rejection of `promise`; fails if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`)
    },
    (error: unknown) => error,
  )
}

describe('connect', () => {
  it('sends the hello with the credentials and resolves when the server accepts', async () => {
    let seen: { username: string; password: string } | null = null
    const server = await serve({ handshake: (hello) => ((seen = hello), null) })
    const connection = await open(server, { username: 'alice', password: 'pw1' })
    expect(seen).toEqual({ kind: 'handshake', username: 'alice', password: 'pw1' })
    expect(connection.state).toBe('open')
  })

  for (const [code, name] of [
    [0, 'corruptedPacket'],
    [1, 'handshakeVersionRejected'],
    [2, 'protocolVersionRejected'],
    [3, 'exchangeModeRejected'],
    [4, 'queryModeRejected'],
    [5, 'authenticationFailed'],
  ] as const) {
    it(`rejects with CLIENT_HANDSHAKE_REJECTED carrying code ${code} (${name})`, async () => {
      const server = await serve({ handshake: () => code })
      const error = await rejection(open(server))
      expect(error).toBeInstanceOf(HandshakeRejectedError)
      expect(error).toMatchObject({
        code: 'CLIENT_HANDSHAKE_REJECTED',
        skytableCode: code,
        codeName: name,
        retryable: false,
      })
    })
  }

  it('rejects with CLIENT_CONNECT_FAILED caused by a ProtocolError on a bad answer', async () => {
    const server = await serve({ handshake: () => 'garbage' })
    const error = await rejection(open(server))
    expect(error).toMatchObject({ code: 'CLIENT_CONNECT_FAILED', retryable: true })
    expect(isSkyError((error as Error).cause, 'PROTOCOL_MALFORMED_RESPONSE')).toBe(true)
  })

  it('rejects with CLIENT_CONNECT_FAILED when nothing listens on the port', async () => {
    const probe = createServer().listen(0, '127.0.0.1')
    await once(probe, 'listening')
    const port = (probe.address() as AddressInfo).port
    probe.close()
    await once(probe, 'close')
    const error = await rejection(connect({ port, username: 'root', password: 'x' }))
    expect(error).toMatchObject({ code: 'CLIENT_CONNECT_FAILED' })
    expect((error as Error).message).toMatch(/ECONNREFUSED/)
  })

  it('rejects with CLIENT_CONNECT_FAILED when the server closes during the handshake', async () => {
    const silent = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1')
    await once(silent, 'listening')
    const port = (silent.address() as AddressInfo).port
    const error = await rejection(connect({ port, username: 'root', password: 'x' }))
    expect(error).toMatchObject({ code: 'CLIENT_CONNECT_FAILED' })
    silent.close()
  })

  it('rejects with CLIENT_CONNECT_TIMEOUT when no answer comes (fake clock)', async () => {
    const mute = createServer(() => {}).listen(0, '127.0.0.1')
    await once(mute, 'listening')
    const port = (mute.address() as AddressInfo).port
    let helloSeen: () => void = () => {}
    const hello = new Promise<void>((resolve) => (helloSeen = resolve))
    mute.on('connection', (socket) => socket.once('data', () => helloSeen()))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const options = { port, username: 'r', password: 'p', connectTimeoutMs: 500 }
    const pending = rejection(connect(options))
    await hello
    vi.advanceTimersByTime(500)
    expect(await pending).toMatchObject({ code: 'CLIENT_CONNECT_TIMEOUT', timeoutMs: 500 })
    mute.close()
  })

  it('checks its options with TypeError and RangeError', async () => {
    const base = { username: 'root', password: 'x' }
    await expect(connect({ ...base, port: 70_000 })).rejects.toThrow(RangeError)
    await expect(connect({ ...base, password: 1 as unknown as string })).rejects.toThrow(TypeError)
    await expect(connect({ ...base, queryTimeoutMs: -1 })).rejects.toThrow(RangeError)
    await expect(connect({ ...base, limits: { nope: 1 } as never })).rejects.toThrow(RangeError)
  })
})

/** Every value type, with edge values, as a server may answer it. */
const everyValue: Value[] = [
  { type: 'null' },
  { type: 'bool', value: true },
  { type: 'bool', value: false },
  { type: 'uint8', value: 255 },
  { type: 'uint16', value: 65_535 },
  { type: 'uint32', value: 4_294_967_295 },
  { type: 'uint64', value: (1n << 64n) - 1n },
  { type: 'sint8', value: -128 },
  { type: 'sint16', value: -32_768 },
  { type: 'sint32', value: -2_147_483_648 },
  { type: 'sint64', value: -(1n << 63n) },
  { type: 'float32', value: 1.5 },
  { type: 'float64', value: -0.0000001 },
  { type: 'float64', value: Number.NaN },
  { type: 'float64', value: -Infinity },
  { type: 'binary', value: Uint8Array.of(0, 10, 255) },
  { type: 'string', value: 'héllo ✓' },
  { type: 'string', value: '' },
  { type: 'list', value: [] },
  { type: 'list', value: [{ type: 'list', value: [{ type: 'string', value: 'a' }] }] },
]

describe('query results', () => {
  it('decodes every value type as a bare value result', async () => {
    const server = await serve({ answer: (_, session) => everyValue[session.queries.length - 1]! })
    const connection = await open(server)
    for (const value of everyValue) {
      const result = await connection.query('inspect global')
      expect(result.kind).toBe('value')
      if (result.kind === 'value') expect(result.value).toEqual(value)
    }
  })

  it('decodes a row and a multirow, with plain accessors', async () => {
    const answers: Response[] = [
      { type: 'row', values: everyValue },
      { type: 'multirow', columnCount: 2, rows: [everyValue.slice(0, 2), everyValue.slice(2, 4)] },
      { type: 'multirow', columnCount: 3, rows: [] },
    ]
    const server = await serve({ answer: (_, session) => answers[session.queries.length - 1]! })
    const connection = await open(server)
    const row = await connection.query('select * from s.m where k = ?', 'k')
    expect(row.kind === 'row' && row.values).toEqual(everyValue)
    expect(row.row()[6]).toBe((1n << 64n) - 1n)
    const rows = await connection.query('select all * from s.m limit ?', 10)
    expect(rows.allRows()).toEqual([[null, true], [false, 255]])
    const none = await connection.query('select all * from s.m limit ?', 10)
    expect(none.kind === 'rows' && [none.columnCount, none.rows.length]).toEqual([3, 0])
  })

  it('sends the text and mapped parameters the server decodes', async () => {
    const server = await serve()
    const connection = await open(server)
    const text = 'insert into s.m(?, ?, ?, ?, ?, ?, ?, ?)'
    const bytes = Uint8Array.of(7)
    await connection.query(text, 'k', 30, -1, 1.5, float(2), sint(3), bytes, null)
    const [query] = server.queries
    expect(query?.queryText).toBe(text)
    expect(query?.parameters).toEqual([
      { type: 'string', value: 'k' },
      { type: 'uint', value: 30n },
      { type: 'sint', value: -1n },
      { type: 'float', value: 1.5 },
      { type: 'float', value: 2 },
      { type: 'sint', value: 3n },
      { type: 'binary', value: bytes },
      { type: 'null' },
    ])
  })

  it('rejects an error answer with CLIENT_QUERY_ERROR and stays usable', async () => {
    const server = await serve({
      answer: (query) =>
        query.queryText === 'bad' ? { type: 'error', code: 111 } : { type: 'empty' },
    })
    const connection = await open(server)
    const error = await rejection(connection.query('bad'))
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({
      code: 'CLIENT_QUERY_ERROR',
      skytableCode: 111,
      codeName: 'QExecDmlRowNotFound',
      query: 'bad',
      retryable: false,
    })
    expect((await connection.query('good')).kind).toBe('empty')
  })

  it('marks skydb\'s serialization failure (200), and only it, retryable by default', async () => {
    const server = await serve({
      answer: (query) => ({ type: 'error', code: Number(query.queryText) }),
    })
    const connection = await open(server)
    expect(await rejection(connection.query('200'))).toMatchObject({ retryable: true })
    for (const code of [0, 4, 6, 32, 108, 111]) {
      expect(await rejection(connection.query(String(code)))).toMatchObject({ retryable: false })
    }
  })

  it('names unknown codes null and marks retryableCodes retryable', async () => {
    const server = await serve({
      answer: (query) => ({ type: 'error', code: Number(query.queryText.slice(4)) }),
    })
    const connection = await open(server, { retryableCodes: [200, 900] })
    expect(await rejection(connection.query('err 900'))).toMatchObject({
      skytableCode: 900,
      codeName: null,
      retryable: true,
    })
    expect(await rejection(connection.query('err 200'))).toMatchObject({
      codeName: 'SkydbSerializationFailure',
      retryable: true,
    })
    expect(await rejection(connection.query('err 4'))).toMatchObject({
      codeName: 'SysTransactionalError',
      retryable: false,
    })
  })

  it('rejects unsendable parameters with TypeError and sends nothing', async () => {
    const server = await serve()
    const connection = await open(server)
    await expect(connection.query('x', [1] as never)).rejects.toThrow(TypeError)
    await expect(connection.query(5 as never)).rejects.toThrow(TypeError)
    expect(connection.pendingCount).toBe(0)
    await connection.query('y')
    expect(server.queries.map((q) => q.queryText)).toEqual(['y'])
  })
})

describe('pipelining', () => {
  it('answers 1,000 concurrent queries in order with answers cut at random bytes', async () => {
    const server = await serve({
      splitBytesMax: 7,
      answer: (query) => ({ type: 'row', values: [{ type: 'string', value: query.queryText }] }),
    })
    const connection = await open(server)
    const count = 1000
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) => connection.query(`q${index}`)),
    )
    expect(results.map((result) => result.row()[0])).toEqual(
      Array.from({ length: count }, (_, index) => `q${index}`),
    )
    expect(server.connectionCount()).toBe(1)
    expect(connection.pendingCount).toBe(0)
  })

  it('keeps answers matched when errors and values are interleaved', async () => {
    const server = await serve({
      splitBytesMax: 3,
      answer: (query) => {
        const index = Number(query.queryText)
        return index % 3 === 0
          ? { type: 'error', code: 100 + (index % 13) }
          : { type: 'uint64', value: BigInt(index) }
      },
    })
    const connection = await open(server)
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, index) => connection.query(String(index))),
    )
    outcomes.forEach((outcome, index) => {
      if (index % 3 === 0) {
        expect(outcome.status === 'rejected' && outcome.reason).toMatchObject({
          skytableCode: 100 + (index % 13),
        })
      } else {
        expect(outcome.status === 'fulfilled' && outcome.value.scalar()).toBe(BigInt(index))
      }
    })
  })
})

describe('connection failures', () => {
  it('rejects unanswered queries with CLIENT_CONNECTION_CLOSED on a close mid-answer', async () => {
    const server = await serve({
      answer: (query, session) => {
        if (session.queries.length <= 3) return { type: 'string', value: query.queryText }
        // The fourth answer is cut after two bytes, then the socket closes.
        const bytes = encodeResponse({ type: 'string', value: 'never complete' })
        return { kind: 'close', bytes: bytes.subarray(0, 2) }
      },
    })
    const connection = await open(server)
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) => connection.query(`q${index}`)),
    )
    expect(outcomes.slice(0, 3).map((o) => o.status === 'fulfilled' && o.value.scalar())).toEqual(
      ['q0', 'q1', 'q2'],
    )
    for (const outcome of outcomes.slice(3)) {
      expect(outcome.status).toBe('rejected')
      const reason = (outcome as PromiseRejectedResult).reason as ConnectionClosedError
      expect(reason).toBeInstanceOf(ConnectionClosedError)
      expect(reason).toMatchObject({ reason: 'closed-by-server', written: true, retryable: false })
    }
    await connection.closed
    expect(connection.state).toBe('closed')
    expect(connection.closeReason).toBe('closed-by-server')
    const late = await rejection(connection.query('late'))
    expect(late).toMatchObject({ reason: 'closed-by-server', written: false, retryable: true })
  })

  it('closes with protocol-error on a byte no response starts with', async () => {
    const server = await serve({ answer: () => ({ kind: 'raw', bytes: Uint8Array.of(0x0f) }) })
    const connection = await open(server)
    const error = await rejection(connection.query('x'))
    expect(error).toMatchObject({ code: 'CLIENT_CONNECTION_CLOSED', reason: 'protocol-error' })
    expect(isSkyError((error as Error).cause, 'PROTOCOL_MALFORMED_RESPONSE')).toBe(true)
  })

  it('closes with protocol-error when the server answers a query never sent', async () => {
    const twoAnswers = new Uint8Array([...encodeResponse({ type: 'empty' }), 0x12])
    const server = await serve({ answer: () => ({ kind: 'raw', bytes: twoAnswers }) })
    const connection = await open(server)
    await connection.query('x') // the first answer is this query's
    await connection.closed
    expect(connection.closeReason).toBe('protocol-error')
  })

  it('times out a query with CLIENT_QUERY_TIMEOUT and closes the connection', async () => {
    const server = await serve({ answer: () => ({ kind: 'hang' }) })
    const connection = await open(server, { queryTimeoutMs: 1000 })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const first = rejection(connection.query('slow'))
    const second = rejection(connection.query('behind it'))
    await server.waitForQueries(2)
    vi.advanceTimersByTime(999)
    expect(connection.state).toBe('open')
    vi.advanceTimersByTime(1)
    expect(await first).toMatchObject({
      code: 'CLIENT_QUERY_TIMEOUT',
      timeoutMs: 1000,
      query: 'slow',
    })
    const closed = (await second) as ConnectionClosedError
    expect(closed).toMatchObject({ reason: 'query-timeout', written: true })
    expect(isSkyError(closed.cause, 'CLIENT_QUERY_TIMEOUT')).toBe(true)
    await connection.closed
  })

  it('arms no timer when queryTimeoutMs is 0', async () => {
    const server = await serve({ answer: () => ({ kind: 'hang' }) })
    const connection = await open(server, { queryTimeoutMs: 0 })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const pending = rejection(connection.query('slow'))
    await server.waitForQueries(1)
    expect(vi.getTimerCount()).toBe(0)
    connection.destroy()
    expect(await pending).toMatchObject({ reason: 'closed-by-client', written: true })
  })

  it('refuses queries beyond pendingQueriesMax with CLIENT_QUEUE_FULL', async () => {
    const server = await serve({ answer: () => ({ kind: 'hang' }) })
    const connection = await open(server, { pendingQueriesMax: 2, queryTimeoutMs: 0 })
    const held = [rejection(connection.query('a')), rejection(connection.query('b'))]
    expect(await rejection(connection.query('c'))).toMatchObject({
      code: 'CLIENT_QUEUE_FULL',
      limit: 'pendingQueriesMax',
      retryable: true,
    })
    connection.destroy()
    await Promise.all(held)
  })
})

describe('close', () => {
  it('waits for pending answers, refuses new queries, then closes the socket', async () => {
    const server = await serve({
      splitBytesMax: 2,
      answer: (query) => ({ type: 'string', value: query.queryText }),
    })
    const connection = await open(server)
    const answers = Array.from({ length: 20 }, (_, index) => connection.query(`q${index}`))
    const closing = connection.close()
    expect(connection.state).toBe('closing')
    expect(await rejection(connection.query('late'))).toMatchObject({
      reason: 'closed-by-client',
      written: false,
    })
    const results = await Promise.all(answers)
    expect(results.map((r) => r.scalar())).toEqual(answers.map((_, index) => `q${index}`))
    await closing
    expect(connection.state).toBe('closed')
    expect(connection.closeReason).toBe('closed-by-client')
    expect(connection.close()).toBe(closing)
  })

  it('destroy() rejects pending queries at once', async () => {
    const server = await serve({ answer: () => ({ kind: 'hang' }) })
    const connection = await open(server, { queryTimeoutMs: 0 })
    const pending = rejection(connection.query('x'))
    connection.destroy()
    expect(await pending).toMatchObject({
      code: 'CLIENT_CONNECTION_CLOSED',
      reason: 'closed-by-client',
    })
    await connection.closed
  })
})

describe('backpressure', () => {
  it('queues queries while the socket is full and writes them on drain, in order', async () => {
    const server = await serve({
      pauseAfterHandshake: true,
      answer: (query) => ({ type: 'uint64', value: BigInt(query.queryText.length) }),
    })
    const connection = await open(server, { queryTimeoutMs: 0 })
    const big = 'x'.repeat(256 * 1024) // larger than the socket's high-water mark (16 KiB)
    const answers: Promise<QueryResult>[] = []
    for (let index = 0; index < 64 && connection.unsentCount === 0; index += 1) {
      answers.push(connection.query(big + String(index)))
    }
    expect(connection.unsentCount).toBeGreaterThan(0) // write() said false: the rest waits
    const extra = connection.query('tail')
    server.resume()
    const lengths = (await Promise.all(answers)).map((result) => result.scalar())
    expect(lengths).toEqual(answers.map((_, index) => BigInt(big.length + String(index).length)))
    expect((await extra).scalar()).toBe(4n)
    expect(connection.unsentCount).toBe(0)
  })

  it('refuses queries beyond unsentBytesMax while blocked, queueing nothing', async () => {
    const server = await serve({ pauseAfterHandshake: true })
    const connection = await open(server, { queryTimeoutMs: 0, unsentBytesMax: 1 })
    const big = 'x'.repeat(256 * 1024) // the first write already passes the high-water mark
    const outcomes = Promise.allSettled(Array.from({ length: 4 }, () => connection.query(big)))
    expect(connection.unsentCount).toBe(0)
    connection.destroy()
    const reasons = (await outcomes).map((o) => (o as PromiseRejectedResult).reason as Error)
    expect(reasons[0]).toMatchObject({ code: 'CLIENT_CONNECTION_CLOSED', written: true })
    for (const reason of reasons.slice(1)) {
      expect(reason).toMatchObject({ code: 'CLIENT_QUEUE_FULL', limit: 'unsentBytesMax' })
    }
  })
})
