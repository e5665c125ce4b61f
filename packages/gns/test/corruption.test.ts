/**
 * Goal: one damaged copy never costs a fact, is always named, and is always healed.
 * Method: build a small catalog (two checkpoint generations, a journal of two segments with a
 * snapshot frame and events after the newest checkpoint, a catalog source double holding every
 * echo). For every byte of every file, flip one bit of it (bit = offset % 8) on a clean copy of the
 * disk, open, and check: the catalog equals the one written; the report names exactly the flipped
 * file as damaged; a second open, without the catalog source, finds no damage and the same catalog.
 *
 * Which copies hold each fact: facts up to the newest checkpoint are in both checkpoints or one
 * checkpoint plus the journal's snapshot frame; the events after it are in the journal and the
 * source. So one flipped file always leaves a valid copy of every fact, and the journal flips use
 * the source (a flip in the journal's last frame looks like a crash's torn tail and is cut by the
 * journal: only the source's echo still proves that event).
 */
import { describe, expect, it } from 'vitest'
import type { SimFileSystem } from '@sky/vfs'
import type { Gns } from '../src/index.js'
import { describeCatalog, open, openWithSource } from './helpers.js'
import { type SmallGns, buildSmallGns, gnsFiles, smallOptions } from './small-gns.js'

async function flipAndCheck(
  small: SmallGns,
  path: string,
  offset: number,
  withSource: boolean,
): Promise<void> {
  const fs: SimFileSystem = small.fs.cleanCopy()
  fs.flipBit(path, offset, offset % 8)
  const file = path.startsWith('/db/gns/journal/') ? 'journal' : path.slice('/db/gns/'.length)
  const where = `${path} byte ${offset}`
  let gns: Gns
  try {
    gns = withSource
      ? await openWithSource(fs, small.source, smallOptions)
      : await open(fs, smallOptions)
  } catch (error) {
    throw new Error(`${where}: open failed: ${(error as Error).message}`)
  }
  expect(describeCatalog(gns.current), where).toEqual(small.expected)
  expect(gns.report.lost, where).toEqual([])
  const damagedFiles = new Set(gns.report.damage.map((damage) => damage.file))
  expect([...damagedFiles], where).toEqual([file])
  if (file !== 'journal') {
    const offsets = gns.report.damage.map((damage) => damage.offset)
    expect(
      offsets.some((reported) => reported !== undefined && reported <= offset),
      where,
    ).toBe(true)
  } else {
    const segment = path.slice('/db/gns/journal/'.length)
    const named =
      gns.report.damage.some((damage) => damage.segment === segment) ||
      gns.report.tornTails.some((tail) => tail.segment === segment)
    expect(
      named || gns.report.damage.some((damage) => damage.kind === 'missing-events'),
      where,
    ).toBe(true)
  }
  await gns.close()
  const again = await open(fs, smallOptions)
  expect(again.report.damage, `${where}, after healing`).toEqual([])
  expect(describeCatalog(again.current), `${where}, after healing`).toEqual(small.expected)
  await again.close()
}

describe('byte flips in every file of a small catalog', () => {
  it('opens the whole catalog, names the damaged copy and heals it, for every byte', async () => {
    const small = await buildSmallGns()
    const files = await gnsFiles(small.fs)
    expect(files.map((file) => file.path).sort()).toEqual(
      expect.arrayContaining(['/db/gns/gns.a', '/db/gns/gns.b']),
    )
    const counts: Record<string, number> = {}
    for (const { path, size } of files) {
      const journal = path.includes('/journal/')
      for (let offset = 0; offset < size; offset++) await flipAndCheck(small, path, offset, journal)
      counts[path] = size
    }
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0)
    console.log(
      `byte flips: tried ${total} corruptions (${Object.entries(counts)
        .map(([path, count]) => `${path}: ${count}`)
        .join(', ')})`,
    )
    expect(total).toBeGreaterThan(2000)
  })
})
