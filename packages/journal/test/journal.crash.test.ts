/**
 * Goal: an acknowledged append survives a crash at any point, and nothing half-written is ever read.
 *
 * Method: run a workload of 240 appends at mixed concurrency (1 to 40 in flight) with small segments
 * so roll-over happens, once to count its file-system calls. Then, for every call k, rerun it on a
 * fresh SimFileSystem halted after k calls (the process dies there) and enumerate every disk the
 * crash could leave (durable bytes + every prefix of pending writes torn every 16 bytes, + every
 * prefix of pending name changes). Reopen each and check:
 * - every acknowledged append is present with its LSN and payload,
 * - every frame read is exactly an append that was issued (nothing half-present),
 * - LSNs run 1, 2, 3 ... without gaps, and the journal accepts the next append at the next LSN.
 * For the first two states of each crash point whose reopen cut a torn tail, that reopen is crashed
 * again at every call, and every state of that second crash is reopened and checked the same way.
 */
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { openJournal } from '../src/index.js'
import { collect, decoder, payloadFor, turn } from './helpers.js'

const concurrencyPattern = [1, 3, 1, 8, 2, 40, 1, 16, 5, 1, 30, 4]
const appendCount = 240
const options = { dir: '/db/j', segmentBytesMax: 1024 } as const

interface Run {
  readonly acknowledged: Map<bigint, Uint8Array>
  done: boolean
}

async function workload(fs: SimFileSystem, run: Run): Promise<void> {
  await fs.mkdir('/db')
  await fs.syncDir('/')
  const journal = await openJournal({ fs, ...options })
  let sequence = 0
  for (let round = 0; sequence < appendCount; round++) {
    const width = Math.min(concurrencyPattern[round % concurrencyPattern.length]!, appendCount - sequence)
    const appends = Array.from({ length: width }, () => {
      const payload = payloadFor(sequence++, 20 + (sequence % 13))
      return journal.append(payload).then((lsn) => run.acknowledged.set(lsn, payload))
    })
    await Promise.all(appends)
  }
  await journal.close()
  run.done = true
}

/** Runs the workload until it finishes or the disk halts, and returns what was acknowledged. */
async function runUntilHalt(haltAfter: number): Promise<{ fs: SimFileSystem; run: Run }> {
  const fs = new SimFileSystem({ tearStepBytes: 16 })
  fs.haltAfter(haltAfter)
  const run: Run = { acknowledged: new Map(), done: false }
  void workload(fs, run)
  while (!run.done && !fs.halted) await turn()
  await turn()
  return { fs, run }
}

const issued = Array.from({ length: appendCount }, (_, at) => payloadFor(at, 20 + ((at + 1) % 13)))

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)
}

/**
 * Reopens a crashed disk and checks the invariants (plain comparisons: this runs for thousands of
 * states); returns whether the reopen found a torn tail to keep.
 */
async function checkState(state: SimFileSystem, acknowledged: Map<bigint, Uint8Array>): Promise<boolean> {
  const journal = await openJournal({ fs: state, ...options })
  const { frames, ending } = await collect(journal)
  const problems: string[] = []
  if (ending.kind !== 'clean') problems.push(`ending ${ending.kind}`)
  frames.forEach((frame, at) => {
    if (frame.lsn !== BigInt(at + 1)) problems.push(`frame ${at} has lsn ${frame.lsn}`)
    const sequence = Number(/^#(\d+):/.exec(decoder.decode(frame.payload.subarray(0, 8)))?.[1])
    if (!sameBytes(frame.payload, issued[sequence])) problems.push(`lsn ${frame.lsn} is not an issued payload`)
  })
  for (const [lsn, payload] of acknowledged) {
    if (!sameBytes(payload, frames[Number(lsn) - 1]?.payload)) problems.push(`acknowledged lsn ${lsn} lost`)
  }
  const next = await journal.append(payloadFor(9999))
  if (next !== BigInt(frames.length + 1)) problems.push(`next append got lsn ${next}`)
  await journal.close()
  expect(problems).toEqual([])
  return await state.exists('/db/j/torn')
}

describe('journal crash enumeration', () => {
  it('keeps every acknowledged append in every crash state', async () => {
    const full = await runUntilHalt(Number.POSITIVE_INFINITY)
    expect(full.run.done).toBe(true)
    expect(full.run.acknowledged.size).toBe(appendCount)
    const totalCalls = full.fs.calls
    let states = 0
    let recoveryStates = 0
    let tornStates = 0
    for (let haltAfter = 0; haltAfter <= totalCalls; haltAfter++) {
      const { fs, run } = await runUntilHalt(haltAfter)
      let tornHere = 0
      for (const state of fs.crashStates()) {
        states++
        const pristine = state.cleanCopy()
        const tornCut = await checkState(state, run.acknowledged)
        if (!tornCut) continue
        tornStates++
        if (++tornHere > 2) continue
        // Crash again at every call of the reopen that cut the tail, and reopen once more.
        const probe = pristine.cleanCopy()
        const before = probe.calls
        await openJournal({ fs: probe, ...options }).then((journal) => journal.close())
        for (let again = 0; again < probe.calls - before; again++) {
          const second = pristine.cleanCopy()
          second.haltAfter(second.calls + again)
          let finished = false
          void openJournal({ fs: second, ...options }).then(
            (journal) => journal.close(),
            (error: unknown) => {
              throw error
            },
          ).finally(() => {
            finished = true
          })
          while (!second.halted && !finished) await turn()
          expect(finished).toBe(false)
          for (const afterSecond of second.crashStates()) {
            recoveryStates++
            await checkState(afterSecond, run.acknowledged)
          }
        }
      }
    }
    console.log(
      `journal crash enumeration: ${totalCalls + 1} crash points, ${states.toLocaleString('en')} crash ` +
        `states (${tornStates} with a torn tail), ${recoveryStates.toLocaleString('en')} states of a ` +
        `second crash during recovery`,
    )
    expect(states).toBeGreaterThan(totalCalls)
    expect(tornStates).toBeGreaterThan(0)
  })
})
