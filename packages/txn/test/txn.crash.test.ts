/**
 * Goal: after a crash in the middle of a concurrent run, replaying the journal yields exactly the
 * committed transactions, each whole: every acknowledged one, possibly some whose record reached the
 * disk unacknowledged, and never part of one.
 *
 * Method: 300 transactions, 40 at a time, each writing 1-3 fresh keys across the three models (every
 * row carries its transaction's number). The run is halted after k file-system calls for every k,
 * and for each halt point every crash state of the disk is replayed into a fresh store.
 */
import { openJournal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type Row, TxnManager, redoFrameKind } from '../src/index.js'
import { createModels, fixture, pause, random } from './helpers.js'

const transactions = 300

interface Outcome {
  readonly acknowledged: Set<number>
  done: boolean
}

function keysOf(number: number): Array<{ model: string; key: string | bigint | Uint8Array }> {
  const keys: Array<{ model: string; key: string | bigint | Uint8Array }> = [{ model: 'items', key: BigInt(number) }]
  if (number % 2 === 0) keys.push({ model: 'accounts', key: `t${number}` })
  if (number % 3 === 0) keys.push({ model: 'blobs', key: new Uint8Array([number >> 8, number & 0xff]) })
  return keys
}

async function run(fs: SimFileSystem, outcome: Outcome): Promise<void> {
  const { manager } = await fixture({}, fs)
  const next = random(3)
  let started = 0
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      while (started < transactions) {
        const number = started++
        const txn = manager.begin()
        for (const { model, key } of keysOf(number)) {
          txn.insert(model, key, [key, number])
          await pause(Math.floor(next() * 2))
        }
        await txn.commit()
        outcome.acknowledged.add(number)
      }
    }),
  )
  outcome.done = true
}

async function replay(fs: SimFileSystem): Promise<Map<number, number>> {
  const journal = await openJournal({ fs, dir: '/db/journal' })
  const store = new MvccDatabase<Row>()
  createModels(store)
  const manager = new TxnManager({ store, journal })
  for await (const frame of journal.scan()) if (frame.kind === redoFrameKind) manager.replay(frame.payload)
  await journal.close()
  // Count, per transaction number, how many of its keys are present.
  const present = new Map<number, number>()
  const txn = manager.begin()
  for (const model of ['items', 'accounts', 'blobs']) {
    for (const entry of txn.scan(model).entries) {
      const number = entry.row[1] as number
      present.set(number, (present.get(number) ?? 0) + 1)
    }
  }
  return present
}

describe('txn crash', () => {
  it('replays exactly whole committed transactions after a crash at any call', async () => {
    const probe = new SimFileSystem()
    await probe.mkdir('/db')
    await probe.syncDir('/')
    const callsBefore = probe.calls
    const full: Outcome = { acknowledged: new Set(), done: false }
    await run(probe, full)
    expect(full.acknowledged.size).toBe(transactions)
    let states = 0
    let unacknowledgedSurvivors = 0
    for (let haltAfter = 0; haltAfter <= probe.calls - callsBefore; haltAfter++) {
      const fs = new SimFileSystem({ tearStepBytes: 64 })
      await fs.mkdir('/db')
      await fs.syncDir('/')
      fs.haltAfter(fs.calls + haltAfter)
      const outcome: Outcome = { acknowledged: new Set(), done: false }
      void run(fs, outcome).catch(() => {})
      while (!outcome.done && !fs.halted) await pause(1)
      await pause(1)
      for (const state of fs.crashStates()) {
        states++
        const present = await replay(state)
        const problems: string[] = []
        for (const number of outcome.acknowledged) if (!present.has(number)) problems.push(`acknowledged ${number} lost`)
        for (const [number, count] of present) {
          if (count !== keysOf(number).length) problems.push(`transaction ${number} partially present`)
          if (!outcome.acknowledged.has(number)) unacknowledgedSurvivors++
        }
        expect(problems).toEqual([])
      }
    }
    console.log(
      `txn crash: ${probe.calls - callsBefore + 1} crash points, ${states} crash states replayed; ` +
        `${unacknowledgedSurvivors} unacknowledged-but-durable transactions seen whole`,
    )
  })
})
