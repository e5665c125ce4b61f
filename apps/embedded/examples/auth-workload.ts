/**
 * An auth-style workload on skydb: users with a password and a failed-login counter, sessions
 * created at login, failed attempts recorded, accounts locked after five failures. Every step that
 * touches several rows is one transaction. Used by `auth.ts` (the runnable example) and by the
 * tests (atomic session creation, lockout under concurrency, SIGKILL in the middle).
 *
 * Schema (space `auth`):
 *   users(username: string, password: binary, failed: uint8, locked: bool, logins: uint64)
 *   sessions(token: string, username: string, created: uint64)
 *   attempts(id: string, username: string, at: uint64)
 *
 * Invariants the transactions keep (and the tests check): for every user, `logins` equals the
 * number of its sessions and `failed` the number of its failed attempts; no user ever has more
 * than five attempts (the account locks instead). A real application would also expire sessions
 * and forgive old failures; this one keeps the rules small enough to check.
 */
import { createHash, randomUUID } from 'node:crypto'
import { plainRow, plainRows, uint } from '../src/index.js'
import type { Database, DatabaseSession, IsolationLevel } from '../src/index.js'

/** Failed logins after which an account is locked. */
export const lockoutAttempts = 5

/** Creates the space and models if they are missing. */
export async function createSchema(db: Database): Promise<void> {
  await db.query('create space if not exists auth')
  await db.query(
    'create model if not exists auth.users(username: string, password: binary, failed: uint8, ' +
      'locked: bool, logins: uint64)',
  )
  await db.query(
    'create model if not exists auth.sessions(token: string, username: string, created: uint64)',
  )
  await db.query(
    'create model if not exists auth.attempts(id: string, username: string, at: uint64)',
  )
}

/** The stored form of a password (a real application would use a slow, salted hash). */
export function passwordHash(password: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(password).digest())
}

/** Registers a user (one statement: its own transaction). @throws QueryError 108 if taken. */
export async function register(db: Database, username: string, password: string): Promise<void> {
  await db.query(
    'insert into auth.users(?, ?, ?, false, ?)',
    username,
    passwordHash(password),
    uint(0),
    uint(0),
  )
}

/** What a login did. */
export type LoginOutcome =
  | { readonly kind: 'session'; readonly token: string }
  | { readonly kind: 'attempt'; readonly id: string; readonly failed: number }
  | { readonly kind: 'locked' }
  | { readonly kind: 'unknown-user' }

function sameBytes(left: unknown, right: Uint8Array): boolean {
  return left instanceof Uint8Array && Buffer.compare(left, right) === 0
}

/** Seconds since the epoch, as the `created`/`at` columns hold them. */
function nowSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000))
}

/** Creates a session: insert it and count the login, in one transaction. */
export async function createSession(tx: DatabaseSession, username: string): Promise<string> {
  const token = randomUUID()
  await tx.query('insert into auth.sessions(?, ?, ?)', token, username, uint(nowSeconds()))
  await tx.query('update auth.users set logins += ? where username = ?', uint(1), username)
  return token
}

/** Counts the failed logins recorded for a user (a scan: serializable validates the range). */
export async function countAttempts(tx: DatabaseSession, username: string): Promise<number> {
  const all = 'select all username from auth.attempts limit ?'
  const rows = plainRows(await tx.query(all, uint(1e9)))
  return rows.filter(([name]) => name === username).length
}

/** Options of {@link login}. */
export interface LoginOptions {
  readonly isolation?: IsolationLevel
  readonly retries?: number
  /**
   * Where the lockout check counts failed logins. `counter` (default): the `failed` column of the
   * user row, which every failure also writes, so concurrent failures of one user conflict on that
   * row at any isolation level. `rows`: the attempt rows themselves, scanned, and the user row is
   * written only to lock it: then only serializable isolation (which validates the scanned range)
   * keeps the count at five; at snapshot isolation concurrent failures all see four and all insert.
   */
  readonly count?: 'counter' | 'rows'
}

/**
 * A login, as one transaction: a right password creates a session; a wrong one counts the failed
 * logins, locks the account at five or else records the attempt; a locked account refuses both.
 */
export function login(
  db: Database,
  username: string,
  password: string,
  options: LoginOptions = {},
): Promise<LoginOutcome> {
  const { count = 'counter' } = options
  const select = 'select password, locked, failed from auth.users where username = ?'
  return db.transaction(
    async (tx): Promise<LoginOutcome> => {
      const found = await tx.query(select, username).catch((error: unknown) => {
        if ((error as { skytableCode?: number }).skytableCode === 111) return undefined
        throw error
      })
      if (found === undefined) return { kind: 'unknown-user' }
      const [stored, locked, counter] = plainRow(found)
      if (locked === true) return { kind: 'locked' }
      if (sameBytes(stored, passwordHash(password))) {
        return { kind: 'session', token: await createSession(tx, username) }
      }
      const failed = count === 'rows' ? await countAttempts(tx, username) : Number(counter)
      if (failed >= lockoutAttempts) {
        await tx.query('update auth.users set locked = true where username = ?', username)
        return { kind: 'locked' }
      }
      const id = randomUUID()
      await tx.query('insert into auth.attempts(?, ?, ?)', id, username, uint(nowSeconds()))
      if (count === 'counter') {
        await tx.query('update auth.users set failed += ? where username = ?', uint(1), username)
      }
      return { kind: 'attempt', id, failed: failed + 1 }
    },
    {
      ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
      retries: options.retries ?? 64,
    },
  )
}
