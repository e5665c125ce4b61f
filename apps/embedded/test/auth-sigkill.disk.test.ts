/**
 * SIGKILL in the middle of the example workload loses no acknowledged statement.
 *
 * Method: run examples/auth.ts in a child process on a real temp directory (durable, fdatasync),
 * with `--acks`: it prints `ACK {json}` after each registration, session and failed attempt is
 * durable. After a chosen number of acknowledgements the parent sends SIGKILL (no shutdown, no
 * checkpoint, commits in flight), waits for the exit, reopens the directory and checks that every
 * acknowledged operation is there and that every user's counters match its rows (no transaction
 * half applied). Three rounds on the same directory, so later rounds recover recovered data.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { open, plainRows, uint } from '../src/index.js'
import { lockoutAttempts } from '../examples/auth-workload.js'
import { tempDir } from './helpers.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const script = fileURLToPath(new URL('../examples/auth.ts', import.meta.url))

interface Ack {
  readonly op: 'register' | 'session' | 'attempt' | 'locked'
  readonly user: string
  readonly token?: string
  readonly id?: string
}

/** Runs the example until `acks` acknowledgements arrived, then kills it with SIGKILL. */
function runAndKill(dir: string, acks: number, seed: number): Promise<Ack[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@sky/source', script, '--dir', dir, '--acks', '--quiet',
      '--users', '300', '--logins', '1000000', '--concurrency', '8', '--wrong', '0.3',
      '--seed', String(seed)],
    { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const received: Ack[] = []
  let pending = ''
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('ACK ')) received.push(JSON.parse(line.slice(4)) as Ack)
      }
      if (received.length >= acks && child.exitCode === null) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(received)
      else reject(new Error(`the example ended by itself (${code}): ${errors}`))
    })
  })
}

describe('the auth example killed with SIGKILL', () => {
  const { dir, remove } = tempDir('sigkill')
  afterAll(remove)
  const acknowledged: Ack[] = []

  for (const [round, acks] of [[1, 150], [2, 400], [3, 250]] as const) {
    const title = `round ${round}: keeps all ${acks}+ acknowledged operations, no half transaction`
    it(title, async () => {
      acknowledged.push(...(await runAndKill(dir, acks, round)))
      const db = await open(dir)
      try {
        const all = (model: string) =>
          db.query(`select all * from auth.${model} limit ?`, uint(1e9)).then(plainRows)
        const users = await all('users')
        const sessions = await all('sessions')
        const attempts = await all('attempts')
        const names = new Set(users.map(([name]) => name))
        const tokens = new Set(sessions.map(([token]) => token))
        const attemptIds = new Set(attempts.map(([id]) => id))
        const locked = new Set(users.filter((row) => row[3] === true).map(([name]) => name))
        for (const ack of acknowledged) {
          if (ack.op === 'register') expect(names.has(ack.user), ack.user).toBe(true)
          if (ack.op === 'session') expect(tokens.has(ack.token), ack.token).toBe(true)
          if (ack.op === 'attempt') expect(attemptIds.has(ack.id), ack.id).toBe(true)
          if (ack.op === 'locked') expect(locked.has(ack.user), ack.user).toBe(true)
        }
        for (const [name, , failed, , logins] of users) {
          expect(sessions.filter((row) => row[1] === name).length).toBe(Number(logins))
          const count = attempts.filter((row) => row[1] === name).length
          expect(count).toBe(failed)
          expect(count).toBeLessThanOrEqual(lockoutAttempts)
        }
        console.log(
          `round ${round}: ${acknowledged.length} acknowledged operations checked; ` +
            `${sessions.length} sessions, ${attempts.length} attempts on disk; recovery replayed ` +
            `${db.recoveryReport.replay.transactions} transactions, ` +
            `${db.recoveryReport.tornTails.length} torn tail(s)`,
        )
      } finally {
        await db.close()
      }
    })
  }
})
