/**
 * The engine chaos harness, on the shared loop (loop.ts): for each round, start a child process
 * running the engine under a concurrent write load (child.ts), collect every acknowledgement it
 * prints, SIGKILL it at a random moment, reopen the data directory in this process, and check:
 *
 * - every acknowledged `create model` exists;
 * - every acknowledged write is there: for each worker's slot, the value present in `a` is the
 *   last acknowledged version written there or a later one (a write that was durable but not yet
 *   acknowledged may be present);
 * - no transaction is partly present: `a` and `b` hold the same value at every key, and each
 *   worker's row in `c` names a version whose `a` row holds exactly that version;
 * - open succeeds (torn tails go to the quarantine; the dead child's stale lock is taken over).
 *
 * The same directory carries over between rounds, so later rounds recover from the history of
 * earlier crashes. The reopen is a clean close (with a checkpoint) before the next round starts.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openEngine, storeIdOf } from '@sky/recovery'
import type { Engine } from '@sky/recovery'
import { NodeFileSystem } from '@sky/vfs'
import { type ChaosChild, type ChildExit, runChaos } from './loop.js'

/** Options of {@link runEngineChaos}. */
export interface EngineChaosOptions {
  readonly dir: string
  readonly rounds: number
  readonly seed: number
  /** Concurrent writers in the child. */
  readonly writers: number
  /** Keys per writer (the key space is bounded: every round costs the same). */
  readonly slots: number
  /** SIGKILL between these many milliseconds after the child said `ready`. */
  readonly killAfterMs: readonly [number, number]
  /** Called after each round with its line of the log. */
  readonly log?: (line: string) => void
}

/** What a run found. */
export interface EngineChaosResult {
  readonly rounds: number
  /** Transactions acknowledged by the children, all checked. */
  readonly acknowledged: number
  readonly tornTails: number
  readonly checkpoints: number
  /** Every violation found (empty when the engine kept its promises). */
  readonly violations: readonly string[]
  readonly durationMs: number
}

const toolDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const childPath = path.join(toolDir, 'src', 'child.ts')

interface RoundOutput {
  /** Last acknowledged version per worker in this round. */
  readonly acked: Map<number, string>
  readonly models: string[]
  checkpoints: number
}

function startChild(
  options: EngineChaosOptions,
  round: number,
  output: RoundOutput,
  acknowledge: () => void,
): ChaosChild {
  const args = [options.dir, String(round), String(options.writers), String(options.slots)]
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@sky/source', childPath, ...args],
    {
      cwd: toolDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let buffered = ''
  let stderr = ''
  let onReady!: () => void
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines) {
      const [word, first, second] = line.split(' ')
      if (word === 'ack') {
        output.acked.set(Number(first), second!)
        acknowledge()
      } else if (word === 'ddl') output.models.push(first!)
      else if (word === 'checkpoint') output.checkpoints++
      else if (word === 'ready') onReady()
    }
  })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // 'close' comes after the pipes are drained: no acknowledgement line is still in flight.
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return { process: child, ready, exited, stderr: () => stderr }
}

function rowsOf(engine: Engine, modelName: string): Map<string, string> {
  const model = engine.gns.current.model('chaos', modelName)
  const rows = new Map<string, string>()
  if (model === undefined) return rows
  const store = engine.store.store(storeIdOf(model))!
  let from: string | undefined
  for (;;) {
    const page = store.scan({
      snapshotTs: engine.store.lastCommitTs,
      limit: 10_000,
      ...(from === undefined ? {} : { from, fromExclusive: true }),
    })
    for (const entry of page.entries) rows.set(entry.key as string, entry.row[1] as string)
    if (page.resume === undefined) return rows
    from = page.resume as string
  }
}

/** Last acknowledged version per worker slot, over all rounds. */
export type Acknowledged = Map<string, string>

/** The checks of one round (exported for the harness's own test). */
export function check(
  engine: Engine,
  acked: Acknowledged,
  models: readonly string[],
  options: Pick<EngineChaosOptions, 'slots'>,
  round: number,
): string[] {
  const violations: string[] = []
  const say = (text: string): void => {
    violations.push(`round ${round}: ${text}`)
  }
  for (const name of models)
    if (engine.gns.current.model('chaos', name) === undefined)
      say(`acknowledged model ${name} missing`)
  const a = rowsOf(engine, 'a')
  const b = rowsOf(engine, 'b')
  const c = rowsOf(engine, 'c')
  for (const [key, version] of acked) {
    const present = a.get(key)
    if (present === undefined || present < version)
      say(`acknowledged ${version} at ${key} lost (found ${present})`)
  }
  for (const [key, value] of a)
    if (b.get(key) !== value) say(`${key}: a holds ${value}, b ${b.get(key)} (partial transaction)`)
  for (const key of b.keys()) if (!a.has(key)) say(`${key} in b but not in a (partial transaction)`)
  for (const [worker, version] of c) {
    const sequence = Number(version.split('.')[1])
    const key = `${worker}:${sequence % options.slots}`
    if (a.get(key) !== version)
      say(
        `c names ${version} for worker ${worker}, a holds ${a.get(
          key,
        )} at ${key} (partial transaction)`,
      )
  }
  return violations
}

/** Folds a round's last acknowledged version per worker into the newest per slot. */
function recordAcknowledged(
  acked: Acknowledged,
  output: RoundOutput,
  options: EngineChaosOptions,
): void {
  for (const [worker, version] of output.acked) {
    const sequence = Number(version.split('.')[1])
    // Every earlier acknowledged write of this worker to other slots stays recorded; this one
    // is the newest for its slot.
    for (let back = 0; back < options.slots && back <= sequence; back++) {
      const earlier = `${version.split('.')[0]}.${String(sequence - back).padStart(9, '0')}`
      const key = `${worker}:${(sequence - back) % options.slots}`
      if ((acked.get(key) ?? '') < earlier) acked.set(key, earlier)
    }
  }
}

/**
 * Runs the engine chaos rounds on the shared loop (`runChaos`).
 *
 * @example
 * ```ts
 * const result = await runEngineChaos({
 *   dir: '/tmp/chaos', rounds: 20, seed: 1, writers: 8, slots: 256, killAfterMs: [50, 600],
 * })
 * if (result.violations.length > 0) process.exitCode = 1
 * ```
 */
export async function runEngineChaos(options: EngineChaosOptions): Promise<EngineChaosResult> {
  const acked: Acknowledged = new Map()
  const models: string[] = []
  let output: RoundOutput = { acked: new Map(), models: [], checkpoints: 0 }
  let tornTails = 0
  let checkpoints = 0
  const result = await runChaos({
    rounds: options.rounds,
    seed: options.seed,
    killAt: { afterMs: options.killAfterMs },
    spawnChild: async ({ round, acknowledge }) => {
      output = { acked: new Map(), models: [], checkpoints: 0 }
      return startChild(options, round, output, acknowledge)
    },
    check: async (round) => {
      recordAcknowledged(acked, output, options)
      models.push(...output.models)
      checkpoints += output.checkpoints
      const engine = await openEngine({ fs: new NodeFileSystem(), dir: options.dir })
      tornTails += engine.report.tornTails.length
      const violations = check(engine, acked, models, options, round)
      await engine.close()
      const { frames } = engine.report.replay
      const line = `${frames} frames replayed, ${engine.report.tornTails.length} torn tails`
      return { violations, line }
    },
    ...(options.log === undefined ? {} : { log: options.log }),
  })
  return {
    rounds: result.rounds,
    acknowledged: result.acknowledged,
    tornTails,
    checkpoints,
    violations: result.violations,
    durationMs: result.durationMs,
  }
}
