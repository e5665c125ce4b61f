/**
 * The two-phase protocol for DDL that also changes data: prepare (durable PREPARE event, object
 * locked), the caller's PREPARE in the data journal, commit or abort; and in-doubt prepares found
 * at open after a crash between the phases.
 */
import { describe, expect, it } from 'vitest'
import { createModel, createSpace, describeCatalog, dict, newSim, open, uint } from './helpers.js'
import { readEcho } from '../src/index.js'
import type { Gns } from '../src/index.js'

async function catalogWithModel(): Promise<{ gns: Gns; fs: Awaited<ReturnType<typeof newSim>> }> {
  const fs = await newSim()
  const gns = await open(fs)
  await gns.execute(createSpace('s'))
  await gns.execute(createModel('s', 'm', 'id:uint64', 'v:string'))
  await gns.execute(createModel('s', 'other', 'id:uint64'))
  return { gns, fs }
}

const dropM = {
  kind: 'dropModel',
  space: 's',
  name: 'm',
  allowNotEmpty: true,
  hasData: true,
} as const

describe('two-phase DDL', () => {
  it('changes nothing at prepare, and applies the change at commit', async () => {
    const { gns } = await catalogWithModel()
    const prepared = await gns.prepare(dropM)
    if (!prepared.prepared) throw new Error('expected a prepare')
    expect(readEcho(prepared.echo)).toEqual({
      seq: prepared.seq,
      type: 'prepare',
      prepareId: prepared.id,
    })
    expect(gns.current.model('s', 'm')).toBeDefined()
    expect(gns.outcomeOf(prepared.id)).toBe('pending')
    const result = await gns.commit(prepared.id)
    expect(result.changed).toBe(true)
    expect(readEcho(result.echo!)).toMatchObject({ type: 'commit', prepareId: prepared.id })
    expect(gns.current.model('s', 'm')).toBeUndefined()
    expect(gns.outcomeOf(prepared.id)).toBe('committed')
    await gns.close()
  })

  it('leaves the catalog as it was after abort', async () => {
    const { gns } = await catalogWithModel()
    const before = describeCatalog(gns.current)
    const prepared = await gns.prepare({
      kind: 'alterModel',
      space: 's',
      name: 'm',
      action: { kind: 'remove', names: ['v'] },
    })
    if (!prepared.prepared) throw new Error('expected a prepare')
    await gns.abort(prepared.id)
    expect(gns.outcomeOf(prepared.id)).toBe('aborted')
    expect((describeCatalog(gns.current) as { spaces: unknown }).spaces).toEqual(
      (before as { spaces: unknown }).spaces,
    )
    await expect(gns.commit(prepared.id)).rejects.toMatchObject({
      code: 'GNS_UNKNOWN_PREPARE',
      skytableCode: 4,
    })
    expect(gns.outcomeOf('never-seen')).toBe('unknown')
    await gns.close()
  })

  it('locks the prepared object against other DDL until it is resolved', async () => {
    const { gns } = await catalogWithModel()
    const prepared = await gns.prepare(dropM)
    if (!prepared.prepared) throw new Error('expected a prepare')
    const conflicts = [
      { kind: 'alterModel', space: 's', name: 'm', action: { kind: 'remove', names: ['v'] } },
      { kind: 'dropModel', space: 's', name: 'm' },
      { kind: 'dropSpace', name: 's', allowNotEmpty: true },
      { kind: 'alterSpace', name: 's', properties: dict({ env: { a: uint(1) } }) },
    ] as const
    for (const statement of conflicts) {
      await expect(gns.execute(statement)).rejects.toMatchObject({
        code: 'GNS_PREPARE_CONFLICT',
        retryable: true,
        prepareId: prepared.id,
      })
    }
    await gns.execute({
      kind: 'alterModel',
      space: 's',
      name: 'other',
      action: { kind: 'add', fields: [{ name: 'x', type: { name: 'bool' } }] },
    })
    await gns.abort(prepared.id)
    await gns.execute({ kind: 'dropSpace', name: 's', allowNotEmpty: true })
    await gns.close()
  })

  it('returns no prepare for a statement that changes nothing', async () => {
    const { gns } = await catalogWithModel()
    const result = await gns.prepare({
      kind: 'dropModel',
      space: 's',
      name: 'nope',
      ifExists: true,
    })
    expect(result.prepared).toBe(false)
    await gns.close()
  })

  it('reports a prepare cut short by a crash as in doubt, and resolves it either way', async () => {
    for (const decision of ['commit', 'abort'] as const) {
      const { gns, fs } = await catalogWithModel()
      const prepared = await gns.prepare(dropM)
      if (!prepared.prepared) throw new Error('expected a prepare')
      const crashed = fs.crash() // the prepare is durable; the process dies before commit
      const reopened = await open(crashed)
      expect(reopened.report.inDoubt).toEqual([
        { id: prepared.id, preparedSeq: prepared.seq, description: 'dropModel s.m' },
      ])
      expect(reopened.inDoubt.map((entry) => entry.id)).toEqual([prepared.id])
      expect(reopened.outcomeOf(prepared.id)).toBe('pending')
      await expect(
        reopened.execute({ kind: 'dropModel', space: 's', name: 'm' }),
      ).rejects.toMatchObject({ code: 'GNS_PREPARE_CONFLICT' })
      await reopened.resolveInDoubt(prepared.id, decision)
      expect(reopened.inDoubt).toEqual([])
      expect(reopened.current.model('s', 'm') === undefined).toBe(decision === 'commit')
      await reopened.close()
      const third = await open(crashed)
      expect(third.inDoubt).toEqual([])
      expect(third.outcomeOf(prepared.id)).toBe(decision === 'commit' ? 'committed' : 'aborted')
      await gns.close()
    }
  })

  it('keeps pending prepares across compaction', async () => {
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 2 })
    await gns.execute(createSpace('s'))
    await gns.execute(createModel('s', 'm', 'id:uint64'))
    const prepared = await gns.prepare({ kind: 'dropModel', space: 's', name: 'm' })
    if (!prepared.prepared) throw new Error('expected a prepare')
    for (let index = 0; index < 6; index++) await gns.execute(createSpace(`x${index}`))
    await gns.compact()
    await gns.close()
    const reopened = await open(fs)
    expect(reopened.report.base).toMatch(/^gns\.[ab]/)
    expect(reopened.inDoubt.map((entry) => entry.id)).toEqual([prepared.id])
    await reopened.commit(prepared.id)
    expect(reopened.current.model('s', 'm')).toBeUndefined()
    await reopened.close()
  })

  it('refuses more than 1024 pending prepares', async () => {
    const gns = await open(await newSim(), { durability: 'none' })
    for (let index = 0; index < 1024; index++) {
      const result = await gns.prepare(createSpace(`s${index}`))
      expect(result.prepared).toBe(true)
    }
    const before = gns.current
    await expect(gns.prepare(createSpace('one_more'))).rejects.toMatchObject({
      code: 'GNS_CATALOG_FULL',
      skytableCode: 0,
    })
    expect(gns.current).toBe(before)
    await gns.close()
  })
})
