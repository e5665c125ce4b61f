/**
 * The catalog on the real disk (NodeFileSystem, a temp directory): the workload, reopen, and a
 * healed flip.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { NodeFileSystem, joinPath, readFully } from '@sky/vfs'
import { openGns } from '../src/index.js'
import { describeCatalog, fastScrypt } from './helpers.js'
import { type Prepared, workloadSteps } from './workload.js'

const fs = new NodeFileSystem()
// Creating and removing the temporary directory tree is test scaffolding, outside FileSystem.
const root = mkdtempSync(joinPath(tmpdir(), 'sky-gns-'))

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('gns on the real disk', () => {
  it('runs the workload, reopens it, and heals a flipped byte of gns.a', async () => {
    const dir = joinPath(root, 'gns')
    const options = { fs, dir, scrypt: fastScrypt, compactEvery: 8, segmentBytesMax: 512 }
    const gns = await openGns(options)
    const prepared: Prepared = new Map()
    for (const step of workloadSteps()) await step.run(gns, prepared)
    const expected = describeCatalog(gns.current)
    await gns.close()
    const reopened = await openGns(options)
    expect(describeCatalog(reopened.current)).toEqual(expected)
    expect(reopened.report.damage).toEqual([])
    await reopened.close()
    const file = await fs.open(joinPath(dir, 'gns.a'))
    const byte = await readFully(file, 60, 1)
    await file.write(60, new Uint8Array([byte[0]! ^ 0x20]))
    await file.sync()
    await file.close()
    const healed = await openGns(options)
    expect(healed.report.damage.map((damage) => damage.file)).toEqual(['gns.a'])
    expect(describeCatalog(healed.current)).toEqual(expected)
    await healed.close()
    const clean = await openGns(options)
    expect(clean.report.damage).toEqual([])
    await clean.close()
  })
})
