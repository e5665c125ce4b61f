/**
 * Two-phase DDL across a crash: for a crash after each disk call of a `drop model` of a model with
 * rows and of an `alter model remove` (which rewrites rows), the reopened database is either wholly
 * before the statement or wholly after it, and the report says how open resolved it: an in-doubt
 * prepare is aborted (presumed abort), a committed one gets its missing data change.
 * (The crash test enumerates every torn state; here everything written survives the crash, which
 * reaches the furthest point of each step.)
 */
import type { DdlOp } from '@sky/gns'
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type Engine, openEngine } from '../src/index.js'
import { createModel, settle } from './helpers.js'

const options = { dir: '/db', idleTimeoutMs: 0, checkpoint: { intervalMs: 0, onClose: false } }

async function setup(fs: SimFileSystem): Promise<{ engine: Engine; id: string }> {
  const engine = await openEngine({ fs, ...options })
  const id = await createModel(engine, { strings: ['v', 'w'] })
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      engine.manager.transaction((txn) => txn.insert(id, BigInt(i), [BigInt(i), `v${i}`, `w${i}`])),
    ),
  )
  return { engine, id }
}

type Outcome = 'before' | 'after'

async function crashDuring(
  op: DdlOp,
  describeState: (engine: Engine, id: string) => Outcome,
): Promise<Map<string, Set<Outcome>>> {
  const probe = new SimFileSystem()
  const { engine, id } = await setup(probe)
  const start = probe.calls
  await engine.ddl(op)
  const calls = probe.calls - start
  await engine.close()
  const decisions = new Map<string, Set<Outcome>>()
  for (let call = 0; call <= calls; call++) {
    const fs = new SimFileSystem()
    const started = await setup(fs)
    fs.haltAfter(fs.calls + call)
    await settle(started.engine.ddl(op), fs)
    const reopened = await openEngine({ fs: fs.cleanCopy(), ...options })
    const outcome = describeState(reopened, id)
    const decision =
      reopened.report.twoPhase[0]?.decision ??
      (outcome === 'before' ? 'nothing pending: before' : 'nothing pending: after')
    if (!decisions.has(decision)) decisions.set(decision, new Set())
    decisions.get(decision)!.add(outcome)
    expect(reopened.gns.inDoubt).toEqual([])
    await reopened.close()
  }
  return decisions
}

describe('two-phase DDL after a crash', () => {
  it('drop model with rows: aborted in doubt, finished when committed', async () => {
    const decisions = await crashDuring(
      { kind: 'dropModel', space: 's', name: 'm', allowNotEmpty: true },
      (engine, id) => {
        const model = engine.gns.current.model('s', 'm')
        const rows = engine.store.store(id)?.stats().liveKeyCount
        if (model !== undefined) {
          expect(rows).toBe(20)
          return 'before'
        }
        expect(rows).toBeUndefined()
        return 'after'
      },
    )
    expect(decisions.get('aborted: in doubt, no commit echo (presumed abort)')).toEqual(
      new Set(['before']),
    )
    expect(decisions.get('committed: data change finished at open')).toEqual(new Set(['after']))
  })

  it('alter model remove: rows rewritten exactly once, or not at all', async () => {
    const decisions = await crashDuring(
      { kind: 'alterModel', space: 's', name: 'm', action: { kind: 'remove', names: ['v'] } },
      (engine, id) => {
        const fields = engine.gns.current.model('s', 'm')!.fields.map((field) => field.name)
        const store = engine.store.store(id)!
        const row = store.get(3n, engine.store.lastCommitTs)
        if (fields.length === 3) {
          expect(row).toEqual([3n, 'v3', 'w3'])
          return 'before'
        }
        expect(fields).toEqual(['id', 'w'])
        for (let i = 0n; i < 20n; i++)
          expect(store.get(i, engine.store.lastCommitTs)).toEqual([i, `w${i}`])
        return 'after'
      },
    )
    expect(decisions.get('aborted: in doubt, no commit echo (presumed abort)')).toEqual(
      new Set(['before']),
    )
    expect(decisions.get('committed: data change finished at open')).toEqual(new Set(['after']))
    expect(decisions.get('committed: data change already done')).toEqual(new Set(['after']))
  })
})
