/**
 * Goal: after a crash at any point of a DDL workload, the reopened catalog is exactly the
 * acknowledged prefix: every statement whose promise resolved is there, nothing after the statement
 * in flight is, and the statement in flight is either wholly there or wholly absent.
 *
 * Method: the 55-step workload (workload.ts; compaction every 8 events, 512-byte journal segments
 * so segments roll and are dropped) runs once to count its disk calls, then once per crash point n
 * (`haltAfter(n)`, every call from opening the empty directory to `close()`). At each crash point
 * every disk state a crash could leave is enumerated (`crashStates()`, unsynced writes torn every
 * 16 bytes plus 1 byte and 1 byte short of whole, every prefix of unsynced name changes), reopened,
 * and compared with the reference run's catalog after k and k+1 acknowledged steps. A crash is not
 * damage: the report must list none, and nothing may be lost. That includes a crash between a
 * compaction's snapshot frame and its checkpoint: open finishes that compaction
 * (`report.completedCompaction`). Each reopened catalog then runs one more statement and is
 * reopened once more, which must again report no damage: an event written after the interrupted
 * compaction's snapshot frame must not make the next open believe the checkpoint was written and
 * then lost.
 */
import { describe, expect, it } from 'vitest'
import type { SimFileSystem } from '@sky/vfs'
import type { Gns } from '../src/index.js'
import { createSpace, describeCatalog, newSim, open, settle } from './helpers.js'
import { type Prepared, type Step, workloadSteps } from './workload.js'

const options = { compactEvery: 8, segmentBytesMax: 512 } as const
const tearStepBytes = 16

interface Expected {
  readonly catalog: unknown
  readonly pending: number
}

/** The reference run: the catalog after each step (index k = after k steps). */
async function referenceRun(
  steps: readonly Step[],
): Promise<{ expected: Expected[]; calls: number }> {
  const fs = await newSim({ tearStepBytes })
  const start = fs.calls
  const gns = await open(fs, options)
  const prepared: Prepared = new Map()
  const expected: Expected[] = [{ catalog: describeCatalog(gns.current), pending: 0 }]
  let pending = 0
  for (const step of steps) {
    await step.run(gns, prepared)
    pending += step.pendingDelta
    expected.push({ catalog: describeCatalog(gns.current), pending })
  }
  await gns.close()
  return { expected, calls: fs.calls - start }
}

/** Runs the workload until the disk halts; returns how many steps were acknowledged. */
async function runUntilHalt(fs: SimFileSystem, steps: readonly Step[]): Promise<number> {
  const opened = await settle(open(fs, options), fs)
  if (opened === 'halted') return 0
  if ('error' in opened) throw opened.error
  const gns: Gns = opened.value
  const prepared: Prepared = new Map()
  for (let index = 0; index < steps.length; index++) {
    const outcome = await settle(steps[index]!.run(gns, prepared), fs)
    if (outcome === 'halted') return index
    if ('error' in outcome) throw outcome.error
  }
  await settle(gns.close(), fs)
  return steps.length
}

describe('crash enumeration over a 55-step DDL workload with compaction', () => {
  it('reopens every crash state as exactly the acknowledged prefix', async () => {
    const steps = workloadSteps()
    expect(steps.length).toBeGreaterThanOrEqual(50)
    const { expected, calls } = await referenceRun(steps)
    let states = 0
    let inFlightSurvived = 0
    let compactionsCompleted = 0
    const compactionPoints = new Set<number>()
    for (let point = 0; point <= calls; point++) {
      const fs = await newSim({ tearStepBytes })
      fs.haltAfter(fs.calls + point)
      const acknowledged = await runUntilHalt(fs, steps)
      for (const state of fs.crashStates()) {
        states++
        const where = `crash point ${point} (${acknowledged} acknowledged), state ${states}`
        const gns = await open(state, options)
        expect(gns.report.damage, where).toEqual([])
        expect(gns.report.lost, where).toEqual([])
        if (gns.report.completedCompaction) {
          compactionsCompleted++
          compactionPoints.add(point)
        }
        const got = { catalog: describeCatalog(gns.current), pending: gns.inDoubt.length }
        const candidates = [
          expected[acknowledged]!,
          expected[Math.min(acknowledged + 1, steps.length)]!,
        ]
        expect(candidates, where).toContainEqual(got)
        if (acknowledged < steps.length && JSON.stringify(got) !== JSON.stringify(candidates[0]))
          inFlightSurvived++
        await gns.execute(createSpace('afterwards'))
        const afterwards = describeCatalog(gns.current)
        await gns.close()
        const again = await open(state, options)
        expect(again.report.damage, `${where}, reopened after one more statement`).toEqual([])
        expect(again.report.completedCompaction, `${where}, reopened`).toBe(false)
        expect(describeCatalog(again.current), `${where}, reopened`).toEqual(afterwards)
        await again.close()
      }
    }
    console.log(
      `crash enumeration: ${calls + 1} crash points, checked ${states} crash states ` +
        `(in-flight statement survived in ${inFlightSurvived}; ` +
        `open completed an interrupted compaction in ${compactionsCompleted} states ` +
        `at ${compactionPoints.size} crash points), ` +
        'each reopened twice with no damage',
    )
    expect(states).toBeGreaterThan(calls)
    expect(compactionPoints.size).toBeGreaterThan(0)
  })
})

describe('crash enumeration while open heals damage', () => {
  /**
   * Goal: healing never loses a fact, whatever point a crash interrupts it at. Method: damage
   * gns.b (one record) and the journal's last segment (one frame in the middle), then crash the
   * healing open at each of its disk calls; every crash state must reopen (with the catalog source)
   * to the complete catalog.
   */
  it('reopens the complete catalog from every crash state of a healing open', async () => {
    const { buildSmallGns, gnsFiles, smallOptions } = await import('./small-gns.js')
    const { openWithSource } = await import('./helpers.js')
    const small = await buildSmallGns()
    const damaged = small.fs.cleanCopy()
    damaged.flipBit('/db/gns/gns.b', 300, 2)
    const segments = (await gnsFiles(damaged)).filter((file) => file.path.includes('/journal/'))
    const last = segments.at(-1)!
    damaged.flipBit(last.path, 40, 4)
    const probe = damaged.cleanCopy()
    const start = probe.calls
    await (await openWithSource(probe, small.source, smallOptions)).close()
    const calls = probe.calls - start
    let states = 0
    for (let point = 0; point <= calls; point++) {
      const fs = damaged.cleanCopy()
      fs.haltAfter(fs.calls + point)
      await settle(
        openWithSource(fs, small.source, smallOptions).then((gns) => gns.close()),
        fs,
      )
      for (const state of fs.crashStates()) {
        states++
        const gns = await openWithSource(state, small.source, smallOptions)
        expect(describeCatalog(gns.current), `heal crash point ${point}`).toEqual(small.expected)
        expect(gns.report.lost, `heal crash point ${point}`).toEqual([])
        await gns.close()
      }
    }
    console.log(`heal crash enumeration: ${calls + 1} crash points, checked ${states} crash states`)
  })
})
