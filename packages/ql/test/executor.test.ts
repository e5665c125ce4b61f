/**
 * The executor's behaviours beyond the conformance table: sessions, transactions (states, idle
 * timeout, isolation anomalies), the DDL gate, engine failures and their codes, options.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  Executor,
  QueryError,
  StatementCache,
  parseQuery,
  serializationFailureCode,
} from '../src/index.js'
import type { ExecutorOptions, Parameter, QueryResult, Session } from '../src/index.js'
import { toQueryError } from '../src/internal/exec/error-map.js'
import { EngineDouble } from './engine-double.js'

const s = (value: string): Parameter => ({ type: 'string', value })
const u = (value: number | bigint): Parameter => ({ type: 'uint', value: BigInt(value) })
const i = (value: number | bigint): Parameter => ({ type: 'sint', value: BigInt(value) })
const byName = 'select * from app.accounts where name = ?'

async function codeOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (error instanceof QueryError) return error.skytableCode
    throw error
  }
}

let engine: EngineDouble
let executor: Executor
let root: Session

async function setUp(options: ExecutorOptions = {}, idleTimeoutMs?: number): Promise<void> {
  engine = await EngineDouble.open(idleTimeoutMs === undefined ? {} : { idleTimeoutMs })
  executor = new Executor(engine, options)
  root = executor.session()
  await root.query('create space app')
  await root.query('create model app.accounts(name: string, balance: sint64, null note: string)')
}

afterEach(async () => {
  await engine.close()
})

describe('Session answers', () => {
  beforeEach(() => setUp())

  it('answers a failure as an error response with its Skytable code (respond)', async () => {
    expect(await root.respond(byName, [s('x')])).toEqual({
      type: 'error',
      code: 111,
    })
    expect(await root.respond('inspect space app')).toEqual({
      type: 'string',
      value: '{"models":["accounts"]}',
    })
  })

  it('runs the queries of one session in call order, even when not awaited', async () => {
    const answers = await Promise.all([
      root.query('begin'),
      root.query('insert into app.accounts(?, ?, null)', [s('a'), i(1)]),
      root.query('select balance from app.accounts where name = ?', [s('a')]),
      root.query('rollback'),
      root.respond('select balance from app.accounts where name = ?', [s('a')]),
    ])
    expect(answers[2]).toEqual({ type: 'row', values: [{ type: 'sint64', value: 1n }] })
    expect(answers[4]).toEqual({ type: 'error', code: 111 })
  })

  it('runs a statement parsed elsewhere with execute()', async () => {
    const statement = parseQuery('insert into app.accounts(?, ?, null)', [
      s('p'),
      { type: 'sint', value: 5n },
    ])
    expect(await root.execute(statement)).toEqual({ type: 'empty' })
  })

  it('rolls back an open transaction on close and refuses later queries', async () => {
    await root.query('begin')
    await root.query('insert into app.accounts(?, ?, null)', [s('c'), i(1)])
    expect(root.transactionState).toBe('open')
    root.close()
    await expect(root.query('inspect global')).rejects.toBeInstanceOf(TypeError)
    const other = executor.session()
    expect(await codeOf(other.query(byName, [s('c')]))).toBe(111)
  })

  it('reports 0 for sysctl report status when the engine is unhealthy', async () => {
    expect(await root.query('sysctl report status')).toEqual({ type: 'empty' })
    engine.health = { healthy: false, detail: 'journal poisoned' }
    expect(await codeOf(root.query('sysctl report status'))).toBe(0)
  })

  it('authenticates with the engine and runs the session as that user', async () => {
    await root.query('sysctl create user ann with { password: ? }', [s('secret')])
    expect(await executor.authenticate('ann', 'wrong')).toBeNull()
    const ann = await executor.authenticate('ann', 'secret')
    expect(ann?.user).toBe('ann')
    expect(await codeOf(ann!.query('create space nope'))).toBe(5)
    expect(await codeOf(ann!.query('drop'))).toBe(5) // permission before the syntax error (32)
  })

  it('tells the engine whether a dropped model holds rows', async () => {
    await root.query('create model app.empty(k: uint64, v: string)')
    await root.query('drop model app.empty')
    expect(engine.ops.at(-1)).toMatchObject({ kind: 'dropModel', name: 'empty', hasData: false })
    await root.query('insert into app.accounts(?, ?, null)', [s('d'), i(1)])
    expect(await codeOf(root.query('drop model app.accounts'))).toBe(104)
    expect(engine.ops.at(-1)).toMatchObject({ kind: 'dropModel', hasData: true })
  })
})

describe('transactions', () => {
  beforeEach(() => setUp())

  it('raises 200 with retryable set when commit loses a race', async () => {
    await root.query('insert into app.accounts(?, ?, null)', [s('x'), i(0)])
    const other = executor.session()
    await root.query('begin')
    await other.query('begin')
    const add = 'update app.accounts set balance += ? where name = ?'
    await root.query(add, [i(1), s('x')])
    await other.query(add, [i(1), s('x')])
    await root.query('commit')
    const error = await other.query('commit').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({
      code: 'QL_SERIALIZATION_FAILURE',
      skytableCode: 200,
      retryable: true,
    })
    expect(serializationFailureCode).toBe(200)
    expect(other.transactionState).toBe('none')
  })

  it('lets write skew through at snapshot isolation and refuses it at serializable', async () => {
    // Two on-call doctors; each transaction checks the other is on call, then goes off call.
    await root.query('create model app.oncall(name: string, duty: bool)')
    for (const level of ['snapshot', 'serializable'] as const) {
      for (const name of ['alice', 'bob']) {
        await root.query('delete from app.oncall where name = ?', [s(name)]).catch(() => undefined)
        await root.query('insert into app.oncall(?, true)', [s(name)])
      }
      const [a, b] = [executor.session(), executor.session()]
      await a.query(`begin isolation level ${level}`)
      await b.query(`begin isolation level ${level}`)
      const duty = 'select duty from app.oncall where name = ?'
      expect(await a.query(duty, [s('bob')])).toMatchObject({ type: 'row' })
      expect(await b.query(duty, [s('alice')])).toMatchObject({ type: 'row' })
      await a.query('update app.oncall set duty = false where name = ?', [s('alice')])
      await b.query('update app.oncall set duty = false where name = ?', [s('bob')])
      await a.query('commit')
      expect(await codeOf(b.query('commit'))).toBe(level === 'snapshot' ? 'ok' : 200)
    }
  })

  it('ends a transaction idle past the timeout: 4 until it is rolled back', async () => {
    await engine.close()
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      await setUp({}, 1_000)
      await root.query('begin')
      await root.query('insert into app.accounts(?, ?, null)', [s('t'), i(1)])
      vi.advanceTimersByTime(2_500)
      expect(await codeOf(root.query(byName, [s('t')]))).toBe(4)
      expect(root.transactionState).toBe('failed')
      expect(await codeOf(root.query('inspect global'))).toBe(4)
      expect(await root.query('rollback')).toEqual({ type: 'empty' })
      expect(await codeOf(root.query(byName, [s('t')]))).toBe(111)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps the transaction after a statement error and commits the rest', async () => {
    await root.query('begin')
    await root.query('insert into app.accounts(?, ?, null)', [s('k'), i(1)])
    const add = 'update app.accounts set balance += ? where name = ?'
    expect(await codeOf(root.query(add, [u(1), s('k')]))).toBe(109) // a uint for a sint field
    await root.query('update app.accounts set note = ? where name = ?', [s('n'), s('k')])
    await root.query('commit')
    expect(await root.query('select * from app.accounts where name = ?', [s('k')])).toEqual({
      type: 'row',
      values: [
        { type: 'string', value: 'k' },
        { type: 'sint64', value: 1n },
        { type: 'string', value: 'n' },
      ],
    })
  })
})

describe('DDL and DML together', () => {
  beforeEach(() => setUp())

  it('never lets an old-shape row in while alter model remove rewrites rows', async () => {
    await root.query('create model app.wide(k: uint64, a: string, b: string)')
    const sessions = Array.from({ length: 8 }, () => executor.session())
    const writes: Promise<QueryResult>[] = []
    let key = 0
    for (let round = 0; round < 20; round++) {
      for (const session of sessions) {
        const k = ++key
        const insert = 'insert into app.wide { k: ?, a: ?, b: ? }'
        const wide = session.query(insert, [u(k), s('a'), s('b')])
        writes.push(wide.catch(() => session.query('insert into app.wide(?, ?)', [u(k), s('a')])))
      }
      if (round === 10) writes.push(root.query('alter model app.wide remove b'))
    }
    await Promise.all(writes)
    const all = await root.query('select all * from app.wide limit ?', [u(1000)])
    expect(all.type === 'multirow' && all.rows.length).toBe(key)
    expect(all.type === 'multirow' && all.rows.every((row) => row.length === 2)).toBe(true)
    const store = engine.store.store(engine.storeId(engine.catalog().model('app', 'wide')!))!
    const rows = store.scan({ snapshotTs: engine.store.lastCommitTs }).entries
    expect(rows.every((entry) => entry.row.length === 2)).toBe(true)
  })
})

describe('engine failures', () => {
  beforeEach(() => setUp())

  it('answers 0 when the journal fails an fdatasync, and 0 for every later write', async () => {
    engine.fs.failSync()
    const insert = 'insert into app.accounts(?, ?, null)'
    expect(await codeOf(root.query(insert, [s('f'), { type: 'sint', value: 1n }]))).toBe(0)
    expect(await codeOf(root.query(insert, [s('g'), { type: 'sint', value: 1n }]))).toBe(0)
  })

  it('maps engine errors to Skytable codes and keeps retryable', () => {
    class Fake extends Error {
      constructor(
        readonly code: string,
        readonly retryable: boolean,
        readonly skytableCode?: number,
      ) {
        super(code)
      }
    }
    const mapped = (error: Error) => {
      const result = toQueryError(error)
      return [result.skytableCode, result.retryable]
    }
    expect(mapped(new Fake('TXN_DISK_FULL', true))).toEqual([0, true])
    expect(mapped(new Fake('TXN_JOURNAL_POISONED', false))).toEqual([0, false])
    expect(mapped(new Fake('TXN_SERIALIZATION_FAILURE', true))).toEqual([200, true])
    expect(mapped(new Fake('MVCC_SNAPSHOT_TOO_OLD', false))).toEqual([200, true])
    expect(mapped(new Fake('TXN_CLOSED', false))).toEqual([4, false])
    expect(mapped(new Fake('TXN_UNKNOWN_MODEL', false))).toEqual([100, false])
    expect(mapped(new Fake('GNS_PREPARE_CONFLICT', true, 4))).toEqual([4, true])
    expect(mapped(new Fake('GNS_NEED_LOCK', false, 112))).toEqual([112, false])
    expect(mapped(new Fake('RECOVERY_ENGINE_FAILED', false))).toEqual([0, false])
    expect(() => toQueryError(new RangeError('a bug'))).toThrow(RangeError)
  })
})

describe('Executor options', () => {
  it('refuses a malformed engine or options', async () => {
    await setUp()
    expect(() => new Executor(null as never)).toThrow(TypeError)
    expect(() => new Executor(engine, { defaultIsolation: 'chaos' as never })).toThrow(RangeError)
    expect(() => new Executor(engine, { resultRowsMax: 0 })).toThrow(RangeError)
  })

  it('answers 6 when select all would return more than resultRowsMax rows', async () => {
    await setUp({ resultRowsMax: 2 })
    for (const name of ['a', 'b', 'c']) {
      await root.query('insert into app.accounts(?, ?, null)', [s(name), i(1)])
    }
    expect(await codeOf(root.query('select all name from app.accounts limit ?', [u(2)]))).toBe('ok')
    expect(await codeOf(root.query('select all name from app.accounts limit ?', [u(3)]))).toBe(6)
  })

  it('parses through the shared cache, or without one', async () => {
    const cache = new StatementCache()
    await setUp({ cache })
    const select = 'select * from app.accounts where name = ?'
    await root.respond(select, [s('x')])
    await executor.session().respond(select, [s('y')])
    expect(cache.hits).toBeGreaterThanOrEqual(1)
    await engine.close()
    await setUp({ cache: null })
    expect(executor.cache).toBeNull()
    expect(await root.respond(select, [s('x')])).toEqual({ type: 'error', code: 111 })
  })

  it('begins at the default isolation given to the executor', async () => {
    await setUp({ defaultIsolation: 'snapshot' })
    await root.query('create model app.oncall(name: string, duty: bool)')
    await root.query('insert into app.oncall(?, true)', [s('alice')])
    await root.query('insert into app.oncall(?, true)', [s('bob')])
    const [a, b] = [executor.session(), executor.session()]
    await a.query('begin')
    await b.query('begin')
    await a.query('select duty from app.oncall where name = ?', [s('bob')])
    await b.query('select duty from app.oncall where name = ?', [s('alice')])
    await a.query('update app.oncall set duty = false where name = ?', [s('alice')])
    await b.query('update app.oncall set duty = false where name = ?', [s('bob')])
    await a.query('commit')
    expect(await codeOf(b.query('commit'))).toBe('ok') // write skew: snapshot, not serializable
  })
})
