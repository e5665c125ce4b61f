/**
 * skydb quick start: an auth service's data on skydb, in-process, printing what it does.
 *
 * It opens a database, creates the schema, registers users, then runs logins from several
 * concurrent clients. Each login is one serializable transaction: a right password creates a
 * session (insert + update, atomically); a wrong one counts the failed logins, records the
 * attempt, and locks the account at five. At the end it checks the invariants and closes.
 *
 *   pnpm --filter @sky/embedded example
 *   tsx --conditions=@sky/source examples/auth.ts [--dir DIR] [--users N] [--logins N]
 *     [--concurrency N] [--wrong P (share of wrong passwords)] [--seed N] [--acks] [--quiet]
 *
 * `--acks` prints one `ACK {json}` line per acknowledged (durable) operation: the SIGKILL test
 * kills this program mid-run and checks that every acknowledged operation survived.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { open, plainRows, uint } from '../src/index.js'
import type { Database } from '../src/index.js'
import { createSchema, lockoutAttempts, login, register } from './auth-workload.js'

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    users: { type: 'string', default: '4' },
    logins: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '4' },
    wrong: { type: 'string', default: '0.4' },
    seed: { type: 'string', default: '7' },
    acks: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
})

const dir = args.dir ?? join(tmpdir(), `skydb-auth-example-${process.pid}`)
const userCount = Number(args.users)
const loginCount = Number(args.logins)
const concurrency = Number(args.concurrency)
const wrongShare = Number(args.wrong)
const seed = Number(args.seed)

function say(line: string): void {
  if (!args.quiet) console.log(line)
}

function ack(record: Record<string, unknown>): void {
  if (args.acks) process.stdout.write(`ACK ${JSON.stringify(record)}\n`)
}

/** A small deterministic generator, so a run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

async function registerAll(db: Database): Promise<string[]> {
  const names = Array.from({ length: userCount }, (_, index) => `user${index}`)
  for (const name of names) {
    try {
      await register(db, name, `${name}-password`)
      say(`register ${name}`)
      ack({ op: 'register', user: name })
    } catch (error) {
      if ((error as { skytableCode?: number }).skytableCode !== 108) throw error
      say(`register ${name}: already there (error 108, duplicate key)`)
    }
  }
  return names
}

async function runLogins(db: Database, names: readonly string[]): Promise<void> {
  const next = random(seed)
  let issued = 0
  const client = async (id: number) => {
    while (issued < loginCount) {
      issued++
      const name = names[Math.floor(next() * names.length)]!
      const right = next() >= wrongShare
      const outcome = await login(db, name, right ? `${name}-password` : 'guess')
      switch (outcome.kind) {
        case 'session':
          say(`client ${id}: ${name} logs in → session ${outcome.token.slice(0, 8)}…`)
          ack({ op: 'session', user: name, token: outcome.token })
          break
        case 'attempt':
          say(`client ${id}: ${name} wrong password → failed login ${outcome.failed}`)
          ack({ op: 'attempt', user: name, id: outcome.id })
          break
        case 'locked':
          say(`client ${id}: ${name} refused: locked after ${lockoutAttempts} failed logins`)
          ack({ op: 'locked', user: name })
          break
        case 'unknown-user':
          say(`client ${id}: ${name} unknown`)
          break
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, id) => client(id)))
}

async function report(db: Database): Promise<boolean> {
  const all = (model: string) => db.query(`select all * from auth.${model} limit ?`, uint(1e9))
  const users = plainRows(await all('users'))
  const sessions = plainRows(await all('sessions'))
  const attempts = plainRows(await all('attempts'))
  let consistent = true
  for (const [name, , failed, locked, logins] of users) {
    const sessionCount = sessions.filter((row) => row[1] === name).length
    const attemptCount = attempts.filter((row) => row[1] === name).length
    const fits = BigInt(sessionCount) === logins && attemptCount === failed
    consistent &&= fits && attemptCount <= lockoutAttempts
    say(`${String(name)}: ${sessionCount} sessions, ${attemptCount} failed logins` +
      `${locked === true ? ', locked' : ''}${fits ? '' : '  ← counters disagree!'}`)
  }
  return consistent
}

const db = await open(dir)
const recovery = db.recoveryReport
say(`opened ${dir}: ${recovery.fresh ? 'new database' : 'recovered'}, ` +
  `${recovery.replay.transactions} transactions replayed in ${recovery.durationMs.toFixed(1)} ms`)
await createSchema(db)
say('schema: auth.users, auth.sessions, auth.attempts')
const names = await registerAll(db)
await runLogins(db, names)
const consistent = await report(db)
say(consistent ? 'every counter matches its rows' : 'INCONSISTENT')
await db.close()
say(`closed (data stays in ${dir})`)
if (!consistent) process.exitCode = 1
