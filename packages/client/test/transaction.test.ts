/**
 * transaction() against a fake server that scripts `begin`, `commit` and `rollback` answers:
 * the statement sequence, isolation text, rollback on failure, retries of scripted serialization
 * failures (error 200) with the whole function re-run, exhaustion, retryableCodes, Skytable 0.8's
 * answer to `begin` (error 32), stray queries, and pools.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { QueryMessage, Response } from '@sky/protocol'
import {
  QueryError,
  TransactionFinishedError,
  connect,
  createPool,
  transaction,
} from '../src/index.js'
import type { Connection, Transaction } from '../src/index.js'
import { startFakeServer } from './fake-server.js'
import type { FakeServer, FakeSession } from './fake-server.js'

const servers: FakeServer[] = []
const connections: Connection[] = []
const noDelay = { retryDelayMs: () => 0 }

/** Answers `commit` with `commitErrors.shift()` while it has codes, everything else per `other`. */
async function serve(
  commitErrors: number[] = [],
  other: (query: QueryMessage, session: FakeSession) => Response = () => ({ type: 'empty' }),
): Promise<{ server: FakeServer; connection: Connection; texts: () => string[] }> {
  const server = await startFakeServer({
    answer: (query, session) => {
      if (query.queryText === 'commit') {
        const code = commitErrors.shift()
        return code === undefined ? { type: 'empty' } : { type: 'error', code }
      }
      return other(query, session)
    },
  })
  servers.push(server)
  const connection = await connect({ port: server.port, username: 'root', password: 'pw' })
  connections.push(connection)
  return { server, connection, texts: () => server.queries.map((query) => query.queryText) }
}

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.destroy()
  for (const server of servers.splice(0)) await server.close()
})

describe('transaction', () => {
  it('sends begin, the statements and commit, and resolves with the function value', async () => {
    const { connection, texts } = await serve()
    const value = await transaction(connection, async (tx) => {
      await tx.query('insert into s.m(?, ?)', 'k', 1)
      return 'done'
    })
    expect(value).toBe('done')
    expect(texts()).toEqual(['begin', 'insert into s.m(?, ?)', 'commit'])
  })

  it('names the isolation level in begin', async () => {
    const { connection, texts } = await serve()
    const levels = ['read committed', 'repeatable read', 'snapshot', 'serializable'] as const
    for (const isolation of levels) {
      await transaction(connection, () => undefined, { isolation })
    }
    expect(texts().filter((text) => text.startsWith('begin'))).toEqual([
      'begin isolation level read committed',
      'begin isolation level repeatable read',
      'begin isolation level snapshot',
      'begin isolation level serializable',
    ])
  })

  it('re-runs the whole function after a serialization failure at commit', async () => {
    const { connection, texts } = await serve([200, 200])
    const attempts: number[] = []
    const delays: number[] = []
    const value = await transaction(connection, async (tx) => {
      attempts.push(tx.attempt)
      await tx.query('update')
      return tx.attempt
    }, { retryDelayMs: (attempt) => (delays.push(attempt), 0) })
    expect(value).toBe(3)
    expect(attempts).toEqual([1, 2, 3])
    expect(delays).toEqual([2, 3])
    expect(texts()).toEqual([
      'begin', 'update', 'commit', 'rollback',
      'begin', 'update', 'commit', 'rollback',
      'begin', 'update', 'commit',
    ])
  })

  it('retries a serialization failure raised by a statement', async () => {
    let failed = false
    const { connection } = await serve([], (query) => {
      if (query.queryText !== 'read' || failed) return { type: 'empty' }
      failed = true
      return { type: 'error', code: 200 }
    })
    let runs = 0
    await transaction(connection, async (tx) => {
      runs += 1
      await tx.query('read')
    }, noDelay)
    expect(runs).toBe(2)
  })

  it('gives up after `retries` retries with the last QueryError', async () => {
    const { connection } = await serve([200, 200, 200, 200])
    let runs = 0
    const error = await transaction(connection, () => void (runs += 1), { retries: 2, ...noDelay })
      .catch((e: unknown) => e)
    expect(runs).toBe(3)
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ skytableCode: 200, codeName: 'SkydbSerializationFailure' })
  })

  it('rolls back and rethrows, without retrying, when the function throws', async () => {
    const { connection, texts } = await serve()
    const failure = new Error('application bug')
    let runs = 0
    await expect(transaction(connection, async (tx) => {
      runs += 1
      await tx.query('write')
      throw failure
    }, noDelay)).rejects.toBe(failure)
    expect(runs).toBe(1)
    expect(texts()).toEqual(['begin', 'write', 'rollback'])
    expect(connection.state).toBe('open')
  })

  it('does not retry an error outside retryableCodes (4: transaction misuse; 108)', async () => {
    for (const code of [4, 108]) {
      const { connection } = await serve([code])
      let runs = 0
      await expect(transaction(connection, () => void (runs += 1), noDelay))
        .rejects.toMatchObject({ skytableCode: code })
      expect(runs).toBe(1)
    }
  })

  it('retries exactly the codes given in retryableCodes', async () => {
    const { connection } = await serve([900, 200])
    let runs = 0
    const options = { retryableCodes: [900], ...noDelay }
    await expect(transaction(connection, () => void (runs += 1), options))
      .rejects.toMatchObject({ skytableCode: 200 })
    expect(runs).toBe(2)
  })

  it('fails at once on Skytable 0.8, which answers begin with error 32', async () => {
    const { connection, texts } = await serve([], (query) =>
      ['begin', 'rollback'].includes(query.queryText)
        ? { type: 'error', code: 32 }
        : { type: 'empty' })
    let runs = 0
    const error = await transaction(connection, () => void (runs += 1), noDelay)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CLIENT_QUERY_ERROR', codeName: 'QLExpectedStatement' })
    expect(runs).toBe(0)
    expect(texts()).toEqual(['begin', 'rollback'])
    expect(connection.state).toBe('open')
  })

  it('refuses a query through a handle whose attempt has ended', async () => {
    const { connection, texts } = await serve([200])
    const handles: Transaction[] = []
    await transaction(connection, (tx) => void handles.push(tx), noDelay)
    const stale = await handles[0]!.query('stray').catch((e: unknown) => e)
    expect(stale).toBeInstanceOf(TransactionFinishedError)
    expect(stale).toMatchObject({ code: 'CLIENT_TRANSACTION_FINISHED', attempt: 1 })
    expect(texts()).not.toContain('stray')
  })

  it('runs each attempt on a leased pool connection that pool.query does not use', async () => {
    const server = await startFakeServer({
      answer: (_, session) => ({ type: 'uint64', value: BigInt(session.id) }),
    })
    servers.push(server)
    const pool = createPool({ port: server.port, username: 'root', password: 'pw', size: 2 })
    try {
      const [inside, outside] = await transaction(pool, async (tx) => {
        const own = (await tx.query('select')).scalar()
        const others = await Promise.all([pool.query('a'), pool.query('b')])
        return [own, others.map((result) => result.scalar())] as const
      })
      expect(outside).not.toContain(inside)
      const leasedTexts = server.queries.filter((_, index) => index < 2).map((q) => q.queryText)
      expect(leasedTexts[0]).toBe('begin')
    } finally {
      await pool.close()
    }
  })

  it('checks its arguments', async () => {
    const { connection } = await serve()
    await expect(transaction(connection, () => 1, { isolation: 'chaos' as never }))
      .rejects.toThrow(RangeError)
    await expect(transaction(connection, () => 1, { retries: -1 })).rejects.toThrow(RangeError)
    await expect(transaction({} as never, () => 1)).rejects.toThrow(TypeError)
    await expect(transaction(connection, 1 as never)).rejects.toThrow(TypeError)
  })
})
