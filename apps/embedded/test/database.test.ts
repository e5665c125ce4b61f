/**
 * The Database API: open and reopen (recovery report, durability after a simulated crash),
 * query parameters and plain results, sessions, transaction() with retries, checkpoint, close.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  DatabaseClosedError,
  QueryError,
  float,
  open,
  plainRow,
  plainRows,
  sint,
  toParameter,
  toPlain,
  uint,
} from '../src/index.js'
import type { Database } from '../src/index.js'
import { cheapHashing, codeOf, simDatabase } from './helpers.js'

let db: Database

afterEach(async () => {
  await db?.close()
})

async function withAccounts(options: Parameters<typeof simDatabase>[0] = {}) {
  const opened = await simDatabase(options)
  db = opened.db
  await db.query('create space bank')
  await db.query('create model bank.accounts(id: uint64, owner: string, balance: sint64)')
  return opened
}

describe('open', () => {
  it('reports a fresh database, then what the reopen recovered', async () => {
    const { fs } = await withAccounts()
    expect(db.recoveryReport.fresh).toBe(true)
    await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(10))
    await db.close()
    db = await open('/db', { fs, passwordHashing: cheapHashing })
    expect(db.recoveryReport.fresh).toBe(false)
    expect(plainRow(await db.query('select owner from bank.accounts where id = ?', 1))).toEqual([
      'ann',
    ])
  })

  it('keeps every acknowledged statement through a crash of the simulated disk', async () => {
    const { fs } = await withAccounts({ checkpoint: { onClose: false } })
    for (let id = 1; id <= 20; id++) {
      await db.query('insert into bank.accounts(?, ?, ?)', id, `o${id}`, sint(id))
    }
    const crashed = fs.crash() // the durable bytes, plus any prefix of the rest
    await db.close()
    db = await open('/db', { fs: crashed, passwordHashing: cheapHashing })
    const rows = plainRows(await db.query('select all id from bank.accounts limit ?', 100))
    expect(rows.length).toBe(20)
    expect(db.recoveryReport.replay.transactions).toBeGreaterThanOrEqual(20)
  })

  it('creates a root user with the given password', async () => {
    ;({ db } = await simDatabase({ rootPassword: 'hunter2' }))
    expect(await db.authenticate('root', 'wrong')).toBeNull()
    const session = await db.authenticate('root', 'hunter2')
    expect(session?.user).toBe('root')
    expect(await session!.query('sysctl report status')).toEqual({ type: 'empty' })
  })

  it('refuses malformed options', async () => {
    await expect(open('')).rejects.toBeInstanceOf(TypeError)
    await expect(open('/x', { statementCacheEntries: -1 })).rejects.toBeInstanceOf(RangeError)
    await expect(open('/x', { isolation: 'chaos' as never })).rejects.toBeInstanceOf(RangeError)
    db = (await simDatabase()).db
  })
})

describe('query', () => {
  it('binds plain values: integers by sign, other numbers as floats, helpers for the rest', () => {
    expect(toParameter(5)).toEqual({ type: 'uint', value: 5n })
    expect(toParameter(-5)).toEqual({ type: 'sint', value: -5n })
    expect(toParameter(5n)).toEqual({ type: 'uint', value: 5n })
    expect(toParameter(1.5)).toEqual({ type: 'float', value: 1.5 })
    expect(toParameter(null)).toEqual({ type: 'null' })
    expect(toParameter(undefined)).toEqual({ type: 'null' })
    expect(toParameter(true)).toEqual({ type: 'bool', value: true })
    expect(toParameter('x')).toEqual({ type: 'string', value: 'x' })
    const bytes = new Uint8Array([1])
    expect(toParameter(bytes)).toEqual({ type: 'binary', value: bytes })
    expect(toParameter(sint(5))).toEqual({ type: 'sint', value: 5n })
    expect(toParameter(float(2))).toEqual({ type: 'float', value: 2 })
    expect(toParameter(uint(7n))).toEqual({ type: 'uint', value: 7n })
    expect(() => toParameter({} as never)).toThrow(TypeError)
    expect(() => sint(1.5)).toThrow(RangeError)
  })

  it('returns typed results, and plain values on request', async () => {
    await withAccounts()
    expect(await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(10))).toEqual({
      type: 'empty',
    })
    const row = await db.query('select * from bank.accounts where id = ?', 1)
    expect(row).toEqual({
      type: 'row',
      values: [
        { type: 'uint64', value: 1n },
        { type: 'string', value: 'ann' },
        { type: 'sint64', value: 10n },
      ],
    })
    expect(toPlain(row)).toEqual([1n, 'ann', 10n])
    expect(toPlain(await db.query('inspect space bank'))).toBe('{"models":["accounts"]}')
    expect(toPlain(await db.query('create space if not exists bank'))).toBe(false)
    expect(() => plainRows(row)).toThrow(TypeError)
  })

  it('throws QueryError with the Skytable code', async () => {
    await withAccounts()
    const error = await db.query('select * from bank.accounts where id = ?', 9).catch((e) => e)
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ skytableCode: 111, code: 'QL_ROW_NOT_FOUND' })
    expect(await codeOf(db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', 10))).toBe(109)
  })

  it('refuses begin in db.query and leaves no transaction behind', async () => {
    await withAccounts()
    expect(await codeOf(db.query('begin'))).toBe(4)
    expect(await db.query('insert into bank.accounts(?, ?, ?)', 2, 'bo', sint(0))).toEqual({
      type: 'empty',
    })
  })
})

describe('fairness', () => {
  it('lets a commit finish while a loop of reads runs without any other await', async () => {
    await withAccounts()
    let durable = false
    const write = db.query('insert into bank.accounts(?, ?, ?)', 7, 'gus', sint(1))
    void write.then(() => (durable = true))
    let reads = 0
    while (!durable) {
      await db.query('select * from bank.accounts where id = ?', 7).catch(() => undefined)
      reads++
    }
    expect(reads).toBeGreaterThan(0)
  })
})

describe('sessions and transactions', () => {
  it('keeps use and a transaction per session', async () => {
    await withAccounts()
    const session = db.session()
    await session.query('use bank')
    expect(session.currentSpace).toBe('bank')
    await session.query('begin')
    await session.query('insert into accounts(?, ?, ?)', 3, 'cy', sint(1))
    expect(session.transactionState).toBe('open')
    expect(await codeOf(db.query('select * from bank.accounts where id = ?', 3))).toBe(111)
    await session.query('commit')
    expect(await codeOf(db.query('select * from bank.accounts where id = ?', 3))).toBe('ok')
    expect(await session.respond('select * from accounts where id = ?', [uint(99)])).toEqual({
      type: 'error',
      code: 111,
    })
  })

  it('retries a transaction that loses a serialization race, then commits it once', async () => {
    await withAccounts()
    await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(0))
    const select = 'select balance from bank.accounts where id = ?'
    const set = 'update bank.accounts set balance = ? where id = ?'
    // 20 read-modify-write transactions on one row: one wins each round, so 19 retries suffice.
    const move = (amount: number) =>
      db.transaction(
        async (tx) => {
          const [balance] = plainRow(await tx.query(select, 1)) as [bigint]
          await tx.query(set, sint(balance + BigInt(amount)), 1)
          return amount
        },
        { retries: 19 },
      )
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => move(index + 1)))
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index + 1))
    expect(plainRow(await db.query(select, 1))).toEqual([210n])
  })

  it('gives up after the retries with the retryable error 200', async () => {
    await withAccounts()
    await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(0))
    let runs = 0
    const error = await db
      .transaction(
        async (tx) => {
          runs++
          await tx.query('select balance from bank.accounts where id = ?', 1)
          await db.query('update bank.accounts set balance += ? where id = ?', sint(1), 1)
          await tx.query('update bank.accounts set balance += ? where id = ?', sint(1), 1)
        },
        { retries: 2 },
      )
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ skytableCode: 200, retryable: true })
    expect(runs).toBe(3)
  })

  it('counts commits, aborts, open transactions and checkpoints in stats', async () => {
    await withAccounts()
    const before = db.stats
    expect(before).toMatchObject({ aborts: 0, openTransactions: 0, healthy: true })
    await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(0))
    await db.query('select balance from bank.accounts where id = ?', 1) // reads commit nothing
    expect(db.stats.commits - before.commits).toBe(1)
    // Each run loses to the update made inside it: one commit and one abort per run.
    await db
      .transaction(
        async (tx) => {
          await tx.query('select balance from bank.accounts where id = ?', 1)
          await db.query('update bank.accounts set balance += ? where id = ?', sint(1), 1)
          await tx.query('update bank.accounts set balance += ? where id = ?', sint(1), 1)
        },
        { retries: 1 },
      )
      .catch(() => {})
    expect(db.stats.commits - before.commits).toBe(3)
    expect(db.stats.aborts - before.aborts).toBe(2)
    const session = db.session()
    await session.query('begin')
    expect(db.stats.openTransactions).toBe(1)
    await session.query('rollback')
    session.close()
    expect(db.stats.openTransactions).toBe(0)
    const checkpoint = await db.checkpoint()
    expect(db.stats.checkpoints).toBe(before.checkpoints + 1)
    expect(db.stats.lastCheckpoint).toEqual(checkpoint)
    expect(db.stats.journalBytesSinceCheckpoint).toBe(0)
  })

  it('rolls back when fn throws, and runs at the isolation asked for', async () => {
    await withAccounts()
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into bank.accounts(?, ?, ?)', 5, 'eve', sint(1))
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(await codeOf(db.query('select * from bank.accounts where id = ?', 5))).toBe(111)
    await db.query('insert into bank.accounts(?, ?, ?)', 5, 'eve', sint(1))
    const seen = await db.transaction(
      async (tx) => {
        await tx.query('select owner from bank.accounts where id = ?', 5)
        await db.query('update bank.accounts set owner = ? where id = ?', 'eva', 5)
        return plainRow(await tx.query('select owner from bank.accounts where id = ?', 5))
      },
      { isolation: 'read-committed' },
    )
    expect(seen).toEqual(['eva']) // read committed: the latest committed value at each read
  })
})

describe('checkpoint and close', () => {
  it('checkpoints on demand and refuses everything after close', async () => {
    await withAccounts()
    await db.query('insert into bank.accounts(?, ?, ?)', 1, 'ann', sint(0))
    const info = await db.checkpoint()
    expect(info?.rows).toBe(1)
    const session = db.session()
    await session.query('begin')
    await db.close()
    expect(db.closed).toBe(true)
    await expect(db.query('inspect global')).rejects.toBeInstanceOf(DatabaseClosedError)
    await expect(session.query('commit')).rejects.toBeInstanceOf(DatabaseClosedError)
    expect(() => db.session()).toThrow(DatabaseClosedError)
    await expect(db.checkpoint()).rejects.toBeInstanceOf(DatabaseClosedError)
    await db.close() // idempotent
  })
})
