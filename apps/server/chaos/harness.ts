/**
 * The skyd chaos harness: real skyd processes killed with SIGKILL under a concurrent client
 * load, restarted on the same data directory, and checked:
 *
 * - every write a client saw acknowledged is present (autocommit inserts, and both rows of each
 *   acknowledged two-row transaction);
 * - every transaction is atomic: its two rows are both present or both absent, acknowledged or
 *   not (a commit in flight at the kill may land or not, but never half);
 * - nothing else appears (every row found was attempted by some writer);
 * - after the last cycle, a graceful stop exits 0 and `skyd verify` finds no problem.
 *
 * The kill point is an event (the n-th acknowledgement, n drawn from a seeded generator), not a
 * timer, so runs are reproducible in what they check though not in where the kill lands.
 *
 * The loop itself (kill moment, SIGKILL, waiting for the death and for the writers, one line per
 * cycle) is `@sky/chaos`'s `runChaos`, shared with the engine's chaos harness; what is here is
 * skyd's: the client load, the restart and the checks.
 */
import { runChaos as runChaosLoop } from '@sky/chaos'
import { connect } from '@sky/client'
import type { Connection } from '@sky/client'
import { removeDir, rootPassword, runSkyd, startSkyd, tempDir } from '../test/support/skyd.js'
import type { SkydProcess } from '../test/support/skyd.js'

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** Kill-and-restart cycles. */
  readonly cycles: number
  /** Concurrent client connections writing. */
  readonly writers: number
  /**
   * Acknowledgements (an insert, or a two-row transaction) in a cycle before its kill, drawn from
   * [min, max).
   */
  readonly acksBeforeKill: readonly [number, number]
  readonly seed?: number
  readonly log?: (line: string) => void
}

/** What a run checked. */
export interface ChaosReport {
  readonly cycles: number
  readonly acknowledged: number
  /** Writes in flight at a kill (outcome unknown to the client), and how many of them landed. */
  readonly inFlight: number
  readonly inFlightLanded: number
  readonly transactions: number
  readonly problems: readonly string[]
}

interface State {
  readonly acked: Set<string>
  readonly attempted: Set<string>
  readonly pairs: Map<string, boolean>
  readonly problems: string[]
  inFlight: number
  inFlightLanded: number
}

async function exists(connection: Connection, key: string): Promise<boolean> {
  try {
    await connection.query('select k from c.kv where k = ?', key)
    return true
  } catch (error) {
    if ((error as { skytableCode?: unknown }).skytableCode === 111) return false
    throw error
  }
}

/** One writer: autocommit inserts and two-row transactions, until its connection dies. */
async function writer(
  connection: Connection,
  name: string,
  state: State,
  onAck: () => void,
): Promise<void> {
  for (let index = 0; ; index += 1) {
    const key = `${name}-${index}`
    try {
      if (index % 2 === 0) {
        state.attempted.add(key)
        await connection.query('insert into c.kv(?, ?)', key, 'v')
        state.acked.add(key)
      } else {
        state.attempted.add(`${key}-a`)
        state.attempted.add(`${key}-b`)
        state.pairs.set(key, false)
        await connection.query('begin')
        await connection.query('insert into c.kv(?, ?)', `${key}-a`, 't')
        await connection.query('insert into c.kv(?, ?)', `${key}-b`, 't')
        await connection.query('commit')
        state.pairs.set(key, true)
        state.acked.add(`${key}-a`)
        state.acked.add(`${key}-b`)
      }
      onAck()
    } catch {
      return // killed: this write's outcome is unknown
    }
  }
}

/** Checks the directory's content against what clients saw. */
async function check(skyd: SkydProcess, state: State): Promise<void> {
  const connection = await connect({ port: skyd.port, username: 'root', password: rootPassword })
  try {
    const keys = [...state.attempted]
    // Pipelined in batches: one connection holds at most 16,384 pending queries.
    const found: boolean[] = []
    for (let start = 0; start < keys.length; start += 4096) {
      const batch = keys.slice(start, start + 4096)
      found.push(...(await Promise.all(batch.map((key) => exists(connection, key)))))
    }
    const present = new Set(keys.filter((_key, index) => found[index] === true))
    for (const key of state.acked) {
      if (!present.has(key)) state.problems.push(`acknowledged ${key} is missing`)
    }
    for (const [pair, acknowledged] of state.pairs) {
      const a = present.has(`${pair}-a`)
      const b = present.has(`${pair}-b`)
      if (a !== b) state.problems.push(`transaction ${pair} is half there (a: ${a}, b: ${b})`)
      if (acknowledged && !(a && b))
        state.problems.push(`acknowledged transaction ${pair} is missing`)
    }
    const unknown = keys.filter((key) => !state.acked.has(key))
    state.inFlight = unknown.length
    state.inFlightLanded = unknown.filter((key) => present.has(key)).length
    const rows = await connection.query('select all k from c.kv limit ?', state.attempted.size + 10)
    for (const row of rows.allRows()) {
      if (!state.attempted.has(row[0] as string))
        state.problems.push(`unexpected row ${String(row[0])}`)
    }
  } finally {
    await connection.close()
  }
}

/** Runs the chaos cycles (see the file header) on the shared loop of `@sky/chaos`. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {})
  const dataDir = await tempDir('skyd-chaos-')
  const state: State = {
    acked: new Set(),
    attempted: new Set(),
    pairs: new Map(),
    problems: [],
    inFlight: 0,
    inFlightLanded: 0,
  }
  try {
    let skyd = await startSkyd({ dataDir })
    const setup = await connect({ port: skyd.port, username: 'root', password: rootPassword })
    await setup.query('create space c')
    await setup.query('create model c.kv(k: string, v: string)')
    await setup.close()
    const [min, max] = options.acksBeforeKill
    const result = await runChaosLoop({
      rounds: options.cycles,
      seed: options.seed ?? 1,
      // The n-th acknowledgement of the cycle, n in [min, max).
      killAt: { afterAcks: [min, Math.max(min, max - 1)] },
      stopOnViolation: true,
      spawnChild: async ({ round, acknowledge }) => {
        const connections = await Promise.all(
          Array.from({ length: options.writers }, () =>
            connect({ port: skyd.port, username: 'root', password: rootPassword }),
          ),
        )
        const writers = connections.map((connection, index) =>
          writer(connection, `c${round}w${index}`, state, acknowledge),
        )
        const { child, exited, stderr } = skyd
        const settled = Promise.all(writers)
        return { process: child, ready: Promise.resolve(), exited, settled, stderr }
      },
      check: async () => {
        const before = state.problems.length
        skyd = await startSkyd({ dataDir, rootPassword: null })
        await check(skyd, state)
        const line =
          `${state.acked.size} acknowledged writes present; ` +
          `${state.inFlightLanded} of ${state.inFlight} in-flight writes landed`
        return { violations: state.problems.slice(before), line }
      },
      log: (line) => log(line.replace(/^round/, 'cycle')),
    })
    // The loop's own findings (skyd exiting by itself) join the checks'.
    for (const violation of result.violations)
      if (!state.problems.includes(violation)) state.problems.push(violation)
    const exit = await skyd.stop()
    if (exit.code !== 0) state.problems.push(`graceful stop exited with ${exit.code}`)
    const verified = await runSkyd(['verify', '--data-dir', dataDir])
    if (verified.code !== 0)
      state.problems.push(`skyd verify exited ${verified.code}: ${verified.stdout}`)
  } finally {
    if (state.problems.length === 0) await removeDir(dataDir)
    else log(`data directory kept for inspection: ${dataDir}`)
  }
  return {
    cycles: options.cycles,
    acknowledged: state.acked.size,
    inFlight: state.inFlight,
    inFlightLanded: state.inFlightLanded,
    transactions: state.pairs.size,
    problems: state.problems,
  }
}
