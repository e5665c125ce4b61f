/**
 * The auth scenarios of the example workload (examples/auth-workload.ts) as tests:
 * - session creation (insert a session + count the login) is atomic: a failing update leaves no
 *   session, concurrent readers never see one without the other, and a crash of the simulated
 *   disk at any moment keeps each login whole or absent;
 * - the lockout check (count failed logins, lock, insert an attempt) cannot be raced past five
 *   attempts by 100 concurrent sessions at serializable, even with no counter row to conflict on,
 *   while snapshot isolation lets the same race through (which shows the test has teeth).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { open, plainRow, plainRows, uint } from '../src/index.js'
import type { Database } from '../src/index.js'
import {
  countAttempts,
  createSchema,
  lockoutAttempts,
  login,
  register,
} from '../examples/auth-workload.js'
import { cheapHashing, codeOf, simDatabase } from './helpers.js'

let db: Database

afterEach(async () => {
  await db?.close()
})

async function authDatabase(options: Parameters<typeof simDatabase>[0] = {}) {
  const opened = await simDatabase(options)
  db = opened.db
  await createSchema(db)
  return opened
}

/** For each user: [logins, sessions rows, failed, attempts rows]. */
async function counters(target: Database): Promise<Map<string, [bigint, number, number, number]>> {
  const all = (model: string) =>
    target.query(`select all * from auth.${model} limit ?`, uint(1_000_000)).then(plainRows)
  const users = await all('users')
  const sessions = await all('sessions')
  const attempts = await all('attempts')
  const result = new Map<string, [bigint, number, number, number]>()
  for (const [name, , failed, , logins] of users) {
    result.set(name as string, [
      logins as bigint,
      sessions.filter((row) => row[1] === name).length,
      failed as number,
      attempts.filter((row) => row[1] === name).length,
    ])
  }
  return result
}

function expectConsistent(table: Map<string, [bigint, number, number, number]>): void {
  for (const [name, [logins, sessions, failed, attempts]] of table) {
    expect(Number(logins), `${name}: logins = sessions`).toBe(sessions)
    expect(failed, `${name}: failed = attempts`).toBe(attempts)
    expect(attempts, `${name}: at most five attempts`).toBeLessThanOrEqual(lockoutAttempts)
  }
}

describe('session creation (insert + update)', () => {
  it('leaves no session when the update fails', async () => {
    await authDatabase()
    await register(db, 'ann', 'pw')
    const set = 'update auth.users set logins = ? where username = ?'
    await db.query(set, uint(2n ** 64n - 1n), 'ann')
    expect(await codeOf(login(db, 'ann', 'pw'))).toBe(109) // logins += 1 overflows uint64
    const sessions = plainRows(await db.query('select all * from auth.sessions limit ?', 10))
    expect(sessions).toEqual([])
  })

  it('is never seen half done by concurrent readers', async () => {
    await authDatabase()
    const names = ['ann', 'bob', 'cy']
    for (const name of names) await register(db, name, 'pw')
    let done = false
    let checks = 0
    const reader = async () => {
      while (!done) {
        // One snapshot: every user row and every session row as of one moment.
        await db.transaction(async (tx) => {
          const users = plainRows(
            await tx.query('select all username, logins from auth.users limit ?', 10),
          )
          const sessions = plainRows(
            await tx.query('select all username from auth.sessions limit ?', 1e6),
          )
          for (const [name, logins] of users) {
            const owned = sessions.filter(([owner]) => owner === name).length
            expect(owned, `${String(name)}: sessions = logins`).toBe(Number(logins))
          }
        }, { isolation: 'snapshot' })
        checks++ // no explicit yield: the executor yields to the event loop every 64 statements
      }
    }
    const writers = Array.from({ length: 20 }, async (_, index) => {
      for (let round = 0; round < 10; round++) {
        const outcome = await login(db, names[(index + round) % 3]!, 'pw')
        expect(outcome).toMatchObject({ kind: 'session' })
      }
    })
    const readers = [reader(), reader()]
    await Promise.all(writers)
    done = true
    await Promise.all(readers)
    const table = await counters(db)
    expectConsistent(table)
    expect([...table.values()].reduce((sum, [logins]) => sum + Number(logins), 0)).toBe(200)
    expect(checks).toBeGreaterThan(0)
  })

  it('keeps every acknowledged login whole, and no login half, when the disk crashes', async () => {
    let crashes = 0
    for (const stopAfter of [1, 7, 23, 60]) {
      const { fs } = await authDatabase({ checkpoint: { onClose: false, journalBytes: 4096 } })
      for (const name of ['ann', 'bob']) await register(db, name, 'pw')
      const acknowledged: string[] = []
      let crashed: ReturnType<typeof fs.crash> | undefined
      await Promise.all(Array.from({ length: 8 }, async (_, index) => {
        while (crashed === undefined) {
          const user = index % 2 === 0 ? 'ann' : 'bob'
          const outcome = await login(db, user, 'pw').catch(() => undefined)
          if (crashed !== undefined) return
          if (outcome?.kind === 'session') acknowledged.push(outcome.token)
          if (acknowledged.length >= stopAfter) crashed = fs.crash() // commits still in flight
        }
      }))
      await db.close()
      db = await open('/db', { fs: crashed!, passwordHashing: cheapHashing })
      expectConsistent(await counters(db))
      const tokens = plainRows(await db.query('select all token from auth.sessions limit ?', 1e6))
      const present = new Set(tokens.map(([token]) => token))
      for (const token of acknowledged) expect(present.has(token), token).toBe(true)
      await db.close()
      crashes++
    }
    expect(crashes).toBe(4)
  })
})

describe('account lockout under 100 concurrent sessions', () => {
  const attemptsAfterRace = async (
    isolation: 'serializable' | 'snapshot',
    count: 'counter' | 'rows',
  ) => {
    await authDatabase()
    await register(db, 'victim', 'right')
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        login(db, 'victim', 'wrong', { isolation, count, retries: 200 }),
      ),
    )
    const attempts = await db.transaction((tx) => countAttempts(tx, 'victim'))
    const kinds = outcomes.map((outcome) => outcome.kind)
    const select = 'select failed, locked from auth.users where username = ?'
    const user = plainRow(await db.query(select, 'victim'))
    await db.close()
    return { attempts, kinds, user }
  }

  it('records exactly five attempts at serializable, counting rows only', async () => {
    const { attempts, kinds } = await attemptsAfterRace('serializable', 'rows')
    expect(attempts).toBe(lockoutAttempts)
    expect(kinds.filter((kind) => kind === 'attempt').length).toBe(lockoutAttempts)
    expect(kinds.filter((kind) => kind === 'locked').length).toBe(100 - lockoutAttempts)
  })

  it('records exactly five attempts at serializable with the counter row too', async () => {
    const { attempts, kinds, user } = await attemptsAfterRace('serializable', 'counter')
    expect(attempts).toBe(lockoutAttempts)
    expect(kinds.filter((kind) => kind === 'attempt').length).toBe(lockoutAttempts)
    expect(user).toEqual([lockoutAttempts, true]) // failed = 5, locked
  })

  it('is raced past five at snapshot isolation, counting rows only (write skew)', async () => {
    const { attempts } = await attemptsAfterRace('snapshot', 'rows')
    console.log(`snapshot isolation, rows counted: ${attempts} attempts recorded by 100 sessions`)
    expect(attempts).toBeGreaterThan(lockoutAttempts)
  })
})
