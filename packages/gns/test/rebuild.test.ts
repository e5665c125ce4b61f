/**
 * Recovery beyond one damaged copy: rebuilding from the journal alone, from the catalog source
 * alone, repairing one damaged record from another copy, marking a model unavailable when no copy
 * holds it, and refusing to touch files of an unknown format version.
 */
import { describe, expect, it } from 'vitest'
import type { SimFileSystem } from '@sky/vfs'
import { readWhole } from '@sky/vfs'
import { scanJournal } from '@sky/journal'
import { MemoryCatalogSource } from '../src/index.js'
import { crc32 } from '../src/internal/crc.js'
import { decodeImage, recordKinds } from '../src/internal/image-codec.js'
import {
  createModel,
  createSpace,
  describeCatalog,
  dir,
  newSim,
  open,
  openWithSource,
} from './helpers.js'
import { buildSmallGns, gnsFiles, smallOps, smallOptions } from './small-gns.js'

async function removeTree(fs: SimFileSystem, path: string): Promise<void> {
  for (const { path: file } of await gnsFiles(fs, path)) await fs.unlink(file)
}

async function destroyEverything(fs: SimFileSystem): Promise<void> {
  await removeTree(fs, dir)
}

async function bytesOf(fs: SimFileSystem, path: string): Promise<Uint8Array> {
  const file = await fs.open(path)
  const bytes = await readWhole(file)
  await file.close()
  return bytes
}

async function overwrite(fs: SimFileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const file = await fs.open(path)
  await file.truncate(0)
  await file.write(0, bytes)
  await file.sync()
  await file.close()
}

/** Offset of the payload of the model record named `name` in a checkpoint file. */
async function modelPayloadOffset(fs: SimFileSystem, path: string, name: string): Promise<number> {
  const image = decodeImage(await bytesOf(fs, path))
  if (image.status !== 'read') throw new Error('image unreadable')
  const record = image.records.find(
    (candidate) => candidate.kind === recordKinds.model && candidate.name === name,
  )
  if (record === undefined) throw new Error(`no model ${name}`)
  return record.offset + 40 + Buffer.byteLength(name) + 2
}

describe('rebuild', () => {
  it('rebuilds from the catalog source when both copies and the journal are gone', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    await destroyEverything(fs)
    const gns = await openWithSource(fs, small.source, smallOptions)
    expect(describeCatalog(gns.current)).toEqual(small.expected)
    expect(gns.report.fromSource).toBe(smallOps.length)
    expect(gns.report.damage.map((damage) => [damage.file, damage.kind])).toContainEqual([
      'journal',
      'missing-events',
    ])
    await gns.close()
    const again = await open(fs, smallOptions)
    expect(again.report.damage).toEqual([])
    expect(describeCatalog(again.current)).toEqual(small.expected)
    await again.close()
  })

  it('rebuilds from a source image plus the echoes after it', async () => {
    const fs = await newSim()
    const source = new MemoryCatalogSource()
    const gns = await open(fs)
    await gns.execute(createSpace('s'))
    await gns.execute(createModel('s', 'm', 'id:uint64'))
    source.recordSnapshot(gns.exportImage()) // a data checkpoint embeds the catalog
    const result = await gns.execute(createModel('s', 'n', 'id:string'))
    source.recordEvent(result.echo!)
    const expected = describeCatalog(gns.current)
    await gns.close()
    await destroyEverything(fs)
    const rebuilt = await openWithSource(fs, source)
    expect(rebuilt.report.base).toBe('catalog source image 0')
    expect(rebuilt.report.fromSource).toBe(1)
    expect(describeCatalog(rebuilt.current)).toEqual(expected)
    await rebuilt.close()
  })

  it('rebuilds from the journal alone when both checkpoint copies are bad', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    fs.flipBit(`${dir}/gns.a`, 10, 0)
    fs.flipBit(`${dir}/gns.b`, 10, 0)
    const gns = await open(fs, smallOptions)
    expect(gns.report.base).toMatch(/^journal snapshot/)
    expect(describeCatalog(gns.current)).toEqual(small.expected)
    expect(gns.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'gns.a:bad-header',
      'gns.b:bad-header',
    ])
    expect(gns.report.healed.filter((line) => line.startsWith('wrote gns.'))).toHaveLength(2)
    await gns.close()
    const again = await open(fs, smallOptions)
    expect(again.report.damage).toEqual([])
    await again.close()
  })

  it('opens at the newest checkpoint when the journal is gone, naming it missing', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    await removeTree(fs, `${dir}/journal`)
    const gns = await open(fs, smallOptions)
    expect(gns.report.base).toBe('gns.b (generation 2)')
    expect(gns.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'journal:missing',
    ])
    expect(gns.report.lost).toEqual([])
    // gns.b holds 12 events; the 3 after it were only in the journal, which nothing proves existed.
    expect(gns.current.seq).toBe(12)
    await gns.close()
    const withSource = await openWithSource(small.fs.cleanCopy(), small.source, smallOptions)
    expect(describeCatalog(withSource.current)).toEqual(small.expected)
    await withSource.close()
  })

  it('repairs a damaged record from the other copy when it did not change since', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    await removeTree(fs, `${dir}/journal`)
    // m1 last changed at event 6, which both checkpoints hold; damage it in the newer one only.
    fs.flipBit(`${dir}/gns.b`, await modelPayloadOffset(fs, `${dir}/gns.b`, 'm1'), 3)
    const gns = await open(fs, smallOptions)
    expect(gns.report.base).toBe('gns.b (generation 2, repaired)')
    expect(gns.report.healed).toContain('model m1 (id 2) restored from gns.a (generation 1)')
    expect(gns.report.lost).toEqual([])
    expect(gns.current.model('s1', 'm1')?.fields.map((field) => field.name)).toEqual([
      'id',
      'note',
      'tags',
    ])
    await gns.close()
  })

  it('marks a model unavailable when every copy of it is damaged; the rest works', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    await removeTree(fs, `${dir}/journal`)
    for (const slot of ['gns.a', 'gns.b'])
      fs.flipBit(`${dir}/${slot}`, await modelPayloadOffset(fs, `${dir}/${slot}`, 'm1'), 5)
    const gns = await open(fs, smallOptions)
    const model = gns.current.model('s1', 'm1')!
    expect(model.unavailable).toMatch(
      /gns\.b offset \d+ damaged \(payload crc\); no other copy holds it as of event 6/,
    )
    expect(model.fields).toEqual([])
    expect(gns.current.unavailableModels().map((entry) => entry.name)).toEqual(['m1'])
    expect(gns.report.lost).toHaveLength(1)
    expect(gns.current.model('s2', 'm4')?.unavailable).toBeUndefined()
    await gns.execute(createModel('s2', 'fresh', 'id:uint8'))
    await expect(
      gns.execute({
        kind: 'alterModel',
        space: 's1',
        name: 'm1',
        action: { kind: 'remove', names: ['x'] },
      }),
    ).rejects.toMatchObject({
      code: 'GNS_MODEL_UNAVAILABLE',
      skytableCode: 0,
    })
    await expect(gns.execute(createModel('s1', 'm1', 'id:uint8'))).rejects.toMatchObject({
      code: 'GNS_ALREADY_EXISTS',
    })
    await gns.close()
    const again = await open(fs, smallOptions)
    expect(again.report.damage).toEqual([])
    expect(again.current.model('s1', 'm1')?.unavailable).toBe(model.unavailable)
    await again.execute({ kind: 'dropModel', space: 's1', name: 'm1' })
    expect(again.current.unavailableModels()).toEqual([])
    await again.close()
  })

  it('without a source, names the events a corrupt range hid and skips their numbers', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    const segments = (await gnsFiles(fs)).filter((file) => file.path.includes('/journal/'))
    const middle = segments.at(-2)! // holds events 13 and 14; the last segment holds event 15
    fs.flipBit(middle.path, 40, 0) // inside event 13's frame
    const gns = await open(fs, smallOptions)
    expect(gns.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'journal:corrupt-frames',
    ])
    expect(gns.report.lost).toEqual([
      'events 13..15: some copy proves they existed, no valid copy holds them',
    ])
    expect(gns.current.seq).toBe(15)
    expect(gns.current.space('s3')).toBeUndefined() // event 13 created s3
    await gns.execute(createSpace('after'))
    expect(gns.current.seq).toBe(16)
    await gns.close()
  })

  it('without a source, names the journal range after which nothing could be read', async () => {
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000 })
    for (const name of ['a', 'b']) await gns.execute(createSpace(name))
    await gns.compact() // gns.a holds a and b; the journal's one segment goes on
    for (const name of ['c', 'd', 'e', 'f']) await gns.execute(createSpace(name))
    await gns.close()
    const frames = []
    for await (const frame of scanJournal({ fs, dir: `${dir}/journal` })) frames.push(frame)
    const eventC = frames.find((frame) => frame.lsn === 4n)! // lsn 3 is the snapshot frame
    fs.flipBit(`${dir}/journal/${eventC.segment}`, eventC.offset + 30, 1)
    const reopened = await open(fs)
    expect(reopened.report.damage.map((damage) => damage.kind)).toEqual(['corrupt-frames'])
    expect(reopened.report.lost).toEqual([
      `journal ${eventC.segment} after offset ${eventC.offset} (lsn 3) unreadable: events held ` +
        'only there are lost, and no catalog source was given to supply them',
    ])
    expect([...reopened.current.spaces.keys()].sort()).toEqual(['a', 'b'])
    await reopened.close()
  })

  it('names both copies missing when the journal shows they were written', async () => {
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000 })
    await gns.execute(createSpace('a'))
    await gns.compact() // generation 1 in gns.a; the snapshot frame stays in segment 1
    await gns.execute(createSpace('b'))
    const expected = describeCatalog(gns.current)
    await gns.close()
    await fs.unlink(`${dir}/gns.a`)
    const reopened = await open(fs)
    expect(reopened.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'gns.a:missing',
    ])
    expect(describeCatalog(reopened.current)).toEqual(expected)
    await reopened.close()
    expect(await fs.exists(`${dir}/gns.a`)).toBe(true)
  })

  it('names gns.a missing when its compaction dropped segments, with nothing after', async () => {
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000, segmentBytesMax: 256 })
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) await gns.execute(createSpace(name))
    await gns.compact() // gns.a durable, then the segments before the snapshot frame dropped
    const expected = describeCatalog(gns.current)
    await gns.close()
    const frames = []
    for await (const frame of scanJournal({ fs, dir: `${dir}/journal` })) frames.push(frame)
    expect(frames[0]!.lsn).toBeGreaterThan(1n)
    expect(frames.at(-1)!.kind).toBe(2) // the snapshot frame is the journal's last frame
    await fs.unlink(`${dir}/gns.a`)
    const reopened = await open(fs, { segmentBytesMax: 256 })
    expect(reopened.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'gns.a:missing',
    ])
    expect(reopened.report.completedCompaction).toBe(false)
    expect(describeCatalog(reopened.current)).toEqual(expected)
    await reopened.close()
    expect(await fs.exists(`${dir}/gns.a`)).toBe(true)
  })

  it('names gns.b missing once a frame follows the snapshot frame of generation 2', async () => {
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000 })
    await gns.execute(createSpace('a'))
    await gns.compact() // generation 1 in gns.a
    await gns.execute(createSpace('b'))
    await gns.compact() // generation 2 in gns.b
    await gns.execute(createSpace('c')) // proves generation 2 was durable before it
    const expected = describeCatalog(gns.current)
    await gns.close()
    await fs.unlink(`${dir}/gns.b`)
    const reopened = await open(fs)
    expect(reopened.report.damage.map((damage) => `${damage.file}:${damage.kind}`)).toEqual([
      'gns.b:missing',
    ])
    expect(describeCatalog(reopened.current)).toEqual(expected)
    await reopened.close()
    expect(await fs.exists(`${dir}/gns.b`)).toBe(true)
  })

  it('restores as an interrupted compaction a gns.a deleted before anything followed', async () => {
    // Known limit (README, "Recovery decision table", row 13): with nothing after the snapshot
    // frame and no segment dropped, the journal cannot tell a deleted copy from one never written.
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000 })
    await gns.execute(createSpace('a'))
    await gns.compact()
    const expected = describeCatalog(gns.current)
    await gns.close()
    await fs.unlink(`${dir}/gns.a`)
    const reopened = await open(fs)
    expect(reopened.report.damage).toEqual([])
    expect(reopened.report.completedCompaction).toBe(true)
    expect(describeCatalog(reopened.current)).toEqual(expected)
    await reopened.close()
    expect(await fs.exists(`${dir}/gns.a`)).toBe(true)
  })

  it('refuses to open, rewriting nothing, when a checkpoint has a newer format', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    const bytes = await bytesOf(fs, `${dir}/gns.b`)
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    view.setUint32(8, 2, true)
    view.setUint32(40, crc32(bytes.subarray(0, 40)), true)
    view.setUint32(44, crc32(bytes.subarray(48), crc32(bytes.subarray(0, 44))), true)
    await overwrite(fs, `${dir}/gns.b`, bytes)
    await expect(open(fs, smallOptions)).rejects.toMatchObject({
      code: 'GNS_UNSUPPORTED_VERSION',
      file: 'gns.b',
      version: 2,
    })
    expect(await bytesOf(fs, `${dir}/gns.b`)).toEqual(bytes)
  })

  it('refuses to open when GNS files exist but no copy yields a catalog', async () => {
    const fs = await newSim()
    await fs.mkdir(dir)
    const file = await fs.open(`${dir}/gns.a`, { create: true })
    await file.write(0, new TextEncoder().encode('not a checkpoint at all, just some bytes ....'))
    await file.sync()
    await file.close()
    await expect(open(fs)).rejects.toMatchObject({ code: 'GNS_UNRECOVERABLE', skytableCode: 0 })
  })

  it('keeps the damaged bytes in the quarantine', async () => {
    const small = await buildSmallGns()
    const fs = small.fs.cleanCopy()
    fs.flipBit(`${dir}/gns.a`, 100, 1)
    const damaged = await bytesOf(fs, `${dir}/gns.a`)
    const gns = await open(fs, smallOptions)
    await gns.close()
    const kept = (await fs.readdir(`${dir}/quarantine`)).filter((name) =>
      name.endsWith('gns.a.damaged'),
    )
    expect(kept).toHaveLength(1)
    expect(await bytesOf(fs, `${dir}/quarantine/${kept[0]}`)).toEqual(damaged)
  })
})
