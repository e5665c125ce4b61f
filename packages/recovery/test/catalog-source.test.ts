/**
 * The data side is the catalog's backup: with every GNS file gone, open rebuilds the catalog from
 * the images in the data checkpoints and the DDL echoes in the data journal.
 */
import { readEcho } from '@sky/gns'
import { SimFileSystem, joinPath } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { DataCatalogSource, openEngine, storeIdOf } from '../src/index.js'

async function removeFiles(fs: SimFileSystem, dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const path = joinPath(dir, name)
    if ((await fs.stat(path)).isDirectory) await removeFiles(fs, path)
    else await fs.unlink(path)
  }
}

describe('DataCatalogSource', () => {
  it('rebuilds a lost catalog from the checkpoint image and the echoes after it', async () => {
    const fs = new SimFileSystem()
    const options = {
      dir: '/db',
      idleTimeoutMs: 0,
      segmentBytesMax: 256,
      checkpoint: { intervalMs: 0, onClose: false, retain: 1 },
    }
    const engine = await openEngine({ fs, ...options })
    await engine.ddl({ kind: 'createSpace', name: 's' })
    const first = await engine.ddl({
      kind: 'createModel',
      space: 's',
      name: 'early',
      fields: [{ name: 'id', type: { name: 'string' } }],
    })
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      await engine.manager.transaction((txn) =>
        txn.insert(storeIdOf(first.version.model('s', 'early')!), key, [key]),
      )
    }
    await engine.checkpoint()
    const second = await engine.ddl({
      kind: 'createModel',
      space: 's',
      name: 'late',
      fields: [
        { name: 'id', type: { name: 'uint8' } },
        { name: 'x', type: { name: 'string' }, nullable: true },
      ],
    })
    const lateId = storeIdOf(second.version.model('s', 'late')!)
    await engine.manager.transaction((txn) => txn.insert(lateId, 1n, [1n, null]))
    const seq = engine.gns.current.seq
    await engine.close()

    const source = new DataCatalogSource({ fs, dir: '/db' })
    const echoes: number[] = []
    for await (const echo of source.events(0)) echoes.push(readEcho(echo)!.seq)
    // The segments holding echoes 1 and 2 were removed after the checkpoint, whose image holds them.
    expect(echoes).toEqual([3])
    let images = 0
    for await (const _ of source.snapshots()) images++
    expect(images).toBe(1)

    await removeFiles(fs, '/db/gns')
    const reopened = await openEngine({ fs, ...options })
    expect(reopened.report.catalog.seq).toBe(seq)
    expect(reopened.report.catalog.base).toMatch(/catalog source/)
    expect([...reopened.gns.current.space('s')!.models.keys()].sort()).toEqual(['early', 'late'])
    expect(reopened.store.store(lateId)!.get(1n, reopened.store.lastCommitTs)).toEqual([1n, null])
    await reopened.close()
  })
})
