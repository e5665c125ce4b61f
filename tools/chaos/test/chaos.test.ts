/**
 * A short chaos run (20 rounds): a child process runs the engine under a concurrent write load and
 * is killed with SIGKILL at a random moment; every acknowledged write must be there on reopen, and
 * no transaction partly present. The long run (`pnpm chaos --rounds 1000`) is in the README.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runEngineChaos } from '../src/engine-chaos.js'

describe('chaos', () => {
  it('loses no acknowledged write over 20 SIGKILLs under load', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sky-chaos-test-'))
    try {
      const result = await runEngineChaos({
        dir,
        rounds: 20,
        seed: 7,
        writers: 8,
        slots: 64,
        killAfterMs: [20, 400],
      })
      console.log(
        `chaos: ${result.rounds} rounds, ${result.acknowledged} acknowledged transactions checked, ` +
          `${result.tornTails} torn tails, ${result.checkpoints} checkpoints, ${result.violations.length} violations`,
      )
      expect(result.violations).toEqual([])
      expect(result.acknowledged).toBeGreaterThan(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})

describe('the chaos checker', () => {
  it('finds a lost acknowledged write and a partly present transaction', async () => {
    const { openEngine, storeIdOf } = await import('@sky/recovery')
    const { SimFileSystem } = await import('@sky/vfs')
    const { check } = await import('../src/engine-chaos.js')
    const engine = await openEngine({ fs: new SimFileSystem(), dir: '/db', idleTimeoutMs: 0 })
    await engine.ddl({ kind: 'createSpace', name: 'chaos' })
    const ids: string[] = []
    for (const name of ['a', 'b', 'c']) {
      const { version } = await engine.ddl({
        kind: 'createModel',
        space: 'chaos',
        name,
        fields: [
          { name: 'k', type: { name: 'string' } },
          { name: 'v', type: { name: 'string' } },
        ],
      })
      ids.push(storeIdOf(version.model('chaos', name)!))
    }
    await engine.manager.transaction((txn) => {
      txn.upsert(ids[0]!, '0:1', ['0:1', '000001.000000001'])
      txn.upsert(ids[2]!, '0', ['0', '000001.000000001'])
    })
    const acked = new Map([
      ['0:1', '000001.000000001'],
      ['0:2', '000001.000000002'],
    ])
    const options = {
      dir: '/db',
      rounds: 1,
      seed: 1,
      writers: 1,
      slots: 4,
      killAfterMs: [0, 0] as const,
    }
    const violations = check(engine, acked, ['r1'], options, 1)
    expect(violations).toEqual([
      'round 1: acknowledged model r1 missing',
      'round 1: acknowledged 000001.000000002 at 0:2 lost (found undefined)',
      'round 1: 0:1: a holds 000001.000000001, b undefined (partial transaction)',
    ])
    await engine.close()
  })
})
