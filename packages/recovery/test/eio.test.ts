/**
 * An fdatasync that fails (EIO) under load: the engine stops acknowledging (fail-stop, as the
 * journal does), refuses DDL and checkpoints, closes without writing, and the next open, in every
 * state the disk could be in, recovers every write acknowledged before the failure, whole.
 */
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { openEngine, storeIdOf } from '../src/index.js'
import { turn } from './helpers.js'

const options = { dir: '/db', idleTimeoutMs: 0, checkpoint: { intervalMs: 0 } }

describe('fdatasync EIO during load', () => {
  it('stops acknowledging, and every acknowledged write survives', async () => {
    const fs = new SimFileSystem({ tearStepBytes: 64 })
    const engine = await openEngine({ fs, ...options })
    await engine.ddl({ kind: 'createSpace', name: 's' })
    const ids: string[] = []
    for (const name of ['left', 'right']) {
      const { version } = await engine.ddl({
        kind: 'createModel',
        space: 's',
        name,
        fields: [{ name: 'id', type: { name: 'uint64' } }],
      })
      ids.push(storeIdOf(version.model('s', name)!))
    }
    const acknowledged: bigint[] = []
    const errors: string[] = []
    let failed = false
    let ackedAfterFailure = 0
    let next = 0n
    const writer = async (): Promise<void> => {
      while (!failed) {
        const key = next++
        try {
          await engine.manager.transaction((txn) => {
            txn.insert(ids[0]!, key, [key])
            txn.insert(ids[1]!, key, [key])
          })
          if (failed) ackedAfterFailure++
          acknowledged.push(key)
          if (acknowledged.length === 200) fs.failSync()
        } catch (error) {
          failed = true
          errors.push((error as { code?: string }).code ?? String(error))
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, writer))
    for (let idle = 0; idle < 10; idle++) await turn()
    expect(ackedAfterFailure).toBe(0)
    expect(new Set(errors)).toEqual(new Set(['TXN_JOURNAL_POISONED']))
    await expect(
      engine.manager.transaction((txn) => txn.insert(ids[0]!, 1_000_000n, [1_000_000n])),
    ).rejects.toMatchObject({ code: 'TXN_JOURNAL_POISONED' })
    await expect(engine.ddl({ kind: 'createSpace', name: 'later' })).rejects.toMatchObject({
      code: 'RECOVERY_ENGINE_FAILED',
    })
    await expect(engine.checkpoint()).rejects.toMatchObject({ code: 'RECOVERY_ENGINE_FAILED' })
    await engine.close()
    expect(await fs.readdir('/db/checkpoints')).toEqual([])

    let states = 0
    for (const state of fs.crashStates()) {
      states++
      const reopened = await openEngine({ fs: state, ...options })
      const [left, right] = ids.map((id) => reopened.store.store(id)!)
      const ts = reopened.store.lastCommitTs
      for (const key of acknowledged) expect(left!.get(key, ts)).toEqual([key])
      for (let key = 0n; key < next; key++)
        expect(left!.get(key, ts) === undefined).toBe(right!.get(key, ts) === undefined)
      await reopened.close()
    }
    console.log(
      `fdatasync EIO: ${acknowledged.length} acknowledged before the failure, ${states} crash states checked`,
    )
    expect(states).toBeGreaterThan(1)
  })
})
