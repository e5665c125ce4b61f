/**
 * Goal: after a crash at any point of a whole-engine workload, open succeeds, every acknowledged
 * operation is present and whole, no unacknowledged one is partly present, and the catalog agrees
 * with the data; and a second crash during that recovery is survived the same way.
 *
 * Method: the workload (workload.ts: DDL including a two-phase alter that rewrites rows and a
 * two-phase drop of a model with rows, concurrent multi-model transactions, checkpoints with
 * journal truncation, close) runs once to count its disk calls; then once per call k on a fresh
 * SimFileSystem halted after k calls, and every disk the crash could leave (`crashStates()`:
 * pending writes torn every `tearStepBytes`, plus 1 byte and 1 byte short; every prefix of pending
 * name changes) is opened. Because commits are ordered and the journal recovers a prefix of them,
 * the state must equal the modelled state after p operations for some p between the number
 * acknowledged and the number started. For two states of every `secondCrashEvery`-th crash point
 * (nothing pending kept, everything pending kept), the recovery itself is halted after each of its
 * calls that changes the disk (a halt after a read leaves the same states as the halt before it),
 * and every state of that second crash is opened and checked the same way.
 */
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type Engine, openEngine } from '../src/index.js'
import { catalogDataProblems, difference, settle, stateOf } from './helpers.js'
import { CallKinds } from './recording-fs.js'
import { expectedStates, ops, space, steps, workloadOptions } from './workload.js'

const tearStepBytes = 2
const secondCrashEvery = 4
const expected = expectedStates()
const counters = { completedCompactions: 0, tornTails: 0, twoPhase: 0 }

interface Run {
  /** Operations acknowledged (all before `started` resolved in order: a prefix). */
  acknowledged: number
  /** Operations started. */
  started: number
}

async function runUntilHalt(fs: SimFileSystem): Promise<Run> {
  const run: Run = { acknowledged: 0, started: 0 }
  const opened = await settle(openEngine({ fs, ...workloadOptions }), fs)
  if (opened === 'halted') return run
  if ('error' in opened) throw opened.error
  const engine: Engine = opened.value
  let index = 0
  for (const step of steps) {
    const batch = Array.isArray(step) ? step : [step]
    run.started = index + batch.length
    const acked = new Set<number>()
    const outcome = await settle(
      Promise.all(batch.map((op, at) => op.run(engine).then(() => acked.add(index + at)))),
      fs,
    )
    while (acked.has(run.acknowledged)) run.acknowledged++
    if (outcome === 'halted') return run
    if ('error' in outcome) throw outcome.error
    index += batch.length
  }
  await settle(engine.close(), fs)
  return run
}

const checkOptions = {
  ...workloadOptions,
  checkpoint: { ...workloadOptions.checkpoint, onClose: false },
}

/** Opens a crashed disk and checks it; returns a description of the first problem. */
async function check(state: SimFileSystem, run: Run): Promise<string | undefined> {
  const opened = await settle(openEngine({ fs: state, ...checkOptions }), state)
  if (opened === 'halted') return 'open halted on a disk that cannot halt'
  if ('error' in opened) return `open failed: ${String(opened.error)}`
  const engine = opened.value
  try {
    const problems = catalogDataProblems(engine)
    if (problems.length > 0) return problems.join('; ')
    const { catalog } = engine.report
    if (catalog.lost.length > 0) return `catalog lost: ${catalog.lost.join('; ')}`
    // No byte was damaged, so the catalog must report no damage: a crash inside a compaction is
    // an interrupted compaction that open completes, not a missing copy.
    if (catalog.damage.length > 0) return `catalog damage: ${JSON.stringify(catalog.damage)}`
    if (catalog.completedCompaction) counters.completedCompactions++
    counters.tornTails += engine.report.tornTails.length
    counters.twoPhase += engine.report.twoPhase.length
    const actual = stateOf(engine, space)
    const differences: string[] = []
    for (let p = run.acknowledged; p <= run.started; p++) {
      const found = difference(actual, expected[p]!)
      if (found === undefined) return undefined
      differences.push(`p=${p}: ${found}`)
    }
    return `state matches no prefix in [${run.acknowledged}, ${run.started}]: ${differences.join(
      ' | ',
    )}`
  } finally {
    await engine.close()
  }
}

/**
 * Halts the recovery of `state` after each of its calls that changes the disk (and before the
 * first), and checks every state of that second crash. A halt after a call that only reads leaves
 * the states of the halt before it, so those are skipped.
 */
async function secondCrashes(state: SimFileSystem, run: Run): Promise<number> {
  const probe = new CallKinds(state.cleanCopy())
  const engine = await openEngine({ fs: probe, ...checkOptions })
  const changes = [...probe.changes]
  await engine.close()
  let checked = 0
  for (let call = 0; call < changes.length; call++) {
    if (call > 0 && !changes[call - 1]!) continue
    const second = state.cleanCopy()
    second.haltAfter(second.calls + call)
    const outcome = await settle(openEngine({ fs: second, ...checkOptions }), second)
    if (outcome !== 'halted') {
      if ('value' in outcome) await outcome.value.close()
      continue
    }
    for (const afterSecond of second.crashStates()) {
      checked++
      const problem = await check(afterSecond, run)
      expect(problem, `second crash at recovery call ${call}`).toBeUndefined()
    }
  }
  return checked
}

describe('whole-engine crash enumeration', () => {
  it('recovers an acknowledged prefix in every crash state, and after a second crash during recovery', async () => {
    const full = new SimFileSystem({ tearStepBytes })
    const fullRun = await runUntilHalt(full)
    expect(fullRun.acknowledged).toBe(ops.length)
    const totalCalls = full.calls
    // The workload removed journal segments after its checkpoints, and GNS compacted.
    const segments = (await full.readdir('/db/journal')).filter((name) => name.endsWith('.log'))
    expect(segments[0]).not.toBe('00000001.log')
    expect(await full.exists('/db/gns/gns.a')).toBe(true)
    let states = 0
    let secondStates = 0
    for (let haltAfter = 0; haltAfter <= totalCalls; haltAfter++) {
      const fs = new SimFileSystem({ tearStepBytes })
      fs.haltAfter(haltAfter)
      const run = await runUntilHalt(fs)
      const count = fs.crashStateCount()
      let index = 0
      for (const state of fs.crashStates()) {
        states++
        // The states a second crash starts from: the first (nothing pending kept) and the last
        // (everything kept) of every `secondCrashEvery`-th crash point.
        const sampled = haltAfter % secondCrashEvery === 0 && (index === 0 || index === count - 1)
        index++
        const pristine = sampled ? state.cleanCopy() : undefined
        const problem = await check(state, run)
        expect(problem, `crash point ${haltAfter}, state ${states}`).toBeUndefined()
        if (pristine !== undefined) secondStates += await secondCrashes(pristine, run)
      }
    }
    console.log(
      `engine crash enumeration: ${totalCalls + 1} crash points, ${states.toLocaleString(
        'en',
      )} crash ` +
        `states, ${secondStates.toLocaleString('en')} states of a second crash during recovery ` +
        `(tear step ${tearStepBytes} B; reopens cut ${counters.tornTails} torn tails, resolved ` +
        `${counters.twoPhase} two-phase DDL, completed ${counters.completedCompactions} interrupted catalog compactions)`,
    )
    expect(states).toBeGreaterThanOrEqual(10_000)
  })
})
