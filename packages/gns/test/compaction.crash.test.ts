/**
 * Goal: a crash between a compaction's snapshot frame reaching the journal and its checkpoint
 * becoming durable is not damage. Open must report none, finish the compaction (write the
 * checkpoint, drop the journal segments before the snapshot frame) and say so in
 * `report.completedCompaction`; the catalog is the acknowledged one; and the next open, after more
 * events, finds nothing missing.
 *
 * Method: a catalog of eight statements on 256-byte journal segments (so the compaction has
 * segments to drop) compacts explicitly; the disk halts just before the compaction creates
 * `gns.a.tmp`, or just before it renames it to `gns.a`. Every disk state a crash could leave there
 * is reopened. Then the completing open itself is crashed at each of its disk calls.
 */
import { describe, expect, it } from 'vitest'
import type { SimFileSystem } from '@sky/vfs'
import { openGns } from '../src/index.js'
import type { Gns } from '../src/index.js'
import {
  createModel,
  createSpace,
  describeCatalog,
  dir,
  fastScrypt,
  haltingBefore,
  newSim,
  open,
  settle,
} from './helpers.js'

const options = { compactEvery: 1000, segmentBytesMax: 256 } as const

const haltPoints = {
  'before the checkpoint temp file is created': (method: string, path: string) =>
    method === 'open' && path === `${dir}/gns.a.tmp`,
  'before the checkpoint rename': (method: string, path: string) =>
    method === 'rename' && path === `${dir}/gns.a.tmp`,
} as const

/** Eight acknowledged statements, then a compaction the disk halts under at `haltPoint`. */
async function interruptedCompaction(
  haltPoint: keyof typeof haltPoints,
): Promise<{ fs: SimFileSystem; expected: unknown }> {
  const fs = await newSim({ tearStepBytes: 64 })
  const trap = haltingBefore(fs)
  const gns: Gns = await openGns({ fs: trap.fs, dir, scrypt: fastScrypt, ...options })
  for (const space of ['a', 'b', 'c', 'd']) {
    await gns.execute(createSpace(space))
    await gns.execute(createModel(space, 'm', 'id:uint64', '?note:string'))
  }
  const expected = describeCatalog(gns.current)
  trap.at = haltPoints[haltPoint]
  expect(await settle(gns.compact(), fs)).toBe('halted')
  return { fs, expected }
}

describe('a compaction interrupted between its snapshot frame and its checkpoint', () => {
  for (const haltPoint of Object.keys(haltPoints) as (keyof typeof haltPoints)[]) {
    it(`is finished by open, with no damage, after a crash ${haltPoint}`, async () => {
      const { fs, expected } = await interruptedCompaction(haltPoint)
      let states = 0
      for (const state of fs.crashStates()) {
        states++
        const where = `${haltPoint}, state ${states}`
        expect(await state.exists(`${dir}/gns.a`), where).toBe(false)
        const segments = (await state.readdir(`${dir}/journal`)).length
        expect(segments, where).toBeGreaterThan(1)
        const gns = await open(state, options)
        expect(gns.report.damage, where).toEqual([])
        expect(gns.report.lost, where).toEqual([])
        expect(gns.report.completedCompaction, where).toBe(true)
        expect(gns.report.healed.slice(-2), where).toEqual([
          expect.stringMatching(/^wrote gns\.a \(generation 1\) from the journal's snapshot frame/),
          expect.stringMatching(
            /^completed an interrupted compaction at seq 8 \(.*\): its checkpoint written, [1-9]/,
          ),
        ])
        expect(describeCatalog(gns.current), where).toEqual(expected)
        expect(await state.exists(`${dir}/gns.a`), where).toBe(true)
        expect((await state.readdir(`${dir}/journal`)).length, where).toBeLessThan(segments)
        await gns.execute(createSpace('later'))
        const later = describeCatalog(gns.current)
        await gns.close()
        const again = await open(state, options)
        expect(again.report.damage, `${where}, next open`).toEqual([])
        expect(again.report.completedCompaction, `${where}, next open`).toBe(false)
        expect(again.report.base, `${where}, next open`).toBe('gns.a (generation 1)')
        expect(describeCatalog(again.current), `${where}, next open`).toEqual(later)
        await again.close()
      }
      expect(states).toBeGreaterThan(0)
    })
  }

  it('is finished by open when it compacted the empty catalog', async () => {
    // The journal then holds one snapshot frame and no event 1: still no checkpoint is proven.
    const fs = await newSim()
    const trap = haltingBefore(fs)
    const gns = await openGns({ fs: trap.fs, dir, scrypt: fastScrypt, ...options })
    trap.at = haltPoints['before the checkpoint rename']
    expect(await settle(gns.compact(), fs)).toBe('halted')
    for (const state of fs.crashStates()) {
      const reopened = await open(state, options)
      expect(reopened.report.damage).toEqual([])
      expect(reopened.report.seq).toBe(0)
      await reopened.close()
    }
  })

  it('reopens complete and undamaged from every crash of the open that finishes it', async () => {
    const { fs, expected } = await interruptedCompaction('before the checkpoint rename')
    const crashed = fs.crash()
    const probe = crashed.cleanCopy()
    const start = probe.calls
    await (await open(probe, options)).close()
    const calls = probe.calls - start
    let states = 0
    for (let point = 0; point <= calls; point++) {
      const disk = crashed.cleanCopy()
      disk.haltAfter(disk.calls + point)
      await settle(
        open(disk, options).then((gns) => gns.close()),
        disk,
      )
      for (const state of disk.crashStates()) {
        states++
        const where = `crash point ${point} of the completing open, state ${states}`
        const gns = await open(state, options)
        expect(gns.report.damage, where).toEqual([])
        expect(gns.report.lost, where).toEqual([])
        expect(describeCatalog(gns.current), where).toEqual(expected)
        await gns.execute(createSpace('later'))
        await gns.close()
        const again = await open(state, options)
        expect(again.report.damage, `${where}, next open`).toEqual([])
        await again.close()
      }
    }
    console.log(
      `interrupted compaction: ${calls + 1} crash points of the completing open, ` +
        `checked ${states} crash states`,
    )
  })
})
