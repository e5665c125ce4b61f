/**
 * Rows of a model's old shape never reach its store once `alter model … remove` changed the shape,
 * for users of the Engine's own `manager` (the query layer has its own guard).
 *
 * Goal: a transaction that buffered rows before the alter and commits after it is refused with the
 * retryable serialization failure (two-phase and one-phase alter); a commit that lands while the
 * alter runs is refused too, and `autocommit` / `transaction()` retry it after the alter with rows
 * of the new shape; a commit in flight when the alter starts is rewritten; a row of the new shape
 * is never rewritten twice; transactions begun after the alter are not refused.
 * Method: the Engine on the simulated disk; interleavings are forced at a chosen disk call (a
 * recording file system's `onCall`) or from inside the rewrite (the `rows` checker it calls),
 * never by timing. Rows are checked against the catalog after the alter and after a reopen.
 */
import type { Model } from '@sky/gns'
import type { Row, RowChecker } from '@sky/txn'
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type Engine, type EngineOptions, ddlStoreId, openEngine, storeIdOf } from '../src/index.js'
import { ShapeFences } from '../src/internal/shape-fences.js'
import { catalogDataProblems, createModel, show } from './helpers.js'
import { RecordingFileSystem } from './recording-fs.js'

const base: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  idleTimeoutMs: 0,
  checkpoint: { intervalMs: 0 },
}

const removeW = {
  kind: 'alterModel',
  space: 's',
  name: 'm',
  action: { kind: 'remove', names: ['w'] },
} as const

/** Creates `s.m(id uint64, v string, w string)` with `rows` rows; returns its store id. */
async function model(engine: Engine, rows: number): Promise<string> {
  const id = await createModel(engine, { strings: ['v', 'w'] })
  for (let key = 0; key < rows; key++) {
    await engine.manager.transaction((txn) =>
      txn.insert(id, BigInt(key), [BigInt(key), `v${key}`, `w${key}`]),
    )
  }
  return id
}

function current(engine: Engine): Model {
  return engine.gns.current.model('s', 'm')!
}

/** A row of key `key` shaped as the catalog's model is now: each field's name and the key. */
function rowNow(engine: Engine, key: bigint): Row {
  return current(engine).fields.map((field) => (field.name === 'id' ? key : `${field.name}${key}`))
}

/** Every row of `s.m`, key → row, shown as strings. */
function rows(engine: Engine): Map<string, string> {
  const store = engine.store.store(storeIdOf(current(engine)))!
  const page = store.scan({ snapshotTs: engine.store.lastCommitTs })
  return new Map(page.entries.map((entry) => [show(entry.key), show(entry.row as Row)]))
}

/** No row of `s.m` differs in length from the model (`catalogDataProblems` finds longer ones). */
function shapeProblems(engine: Engine): string[] {
  const width = current(engine).fields.length
  const problems = catalogDataProblems(engine)
  for (const [key, row] of rows(engine)) {
    if (row.split(',').length !== width) problems.push(`row ${key} is ${row}`)
  }
  return problems
}

async function reopened(fs: SimFileSystem | RecordingFileSystem, engine: Engine): Promise<Engine> {
  await engine.close()
  return openEngine({ fs, ...base })
}

const refusal = {
  code: 'TXN_SERIALIZATION_FAILURE',
  retryable: true,
  reason: 'definition',
}

describe('alter model remove against transactions of the Engine', () => {
  it('refuses a transaction that buffered rows before a two-phase alter and commits after', async () => {
    const fs = new SimFileSystem()
    let engine = await openEngine({ fs, ...base })
    const id = await model(engine, 5)
    const inserter = engine.manager.begin()
    inserter.insert(id, 100n, [100n, 'v100', 'w100']) // a new key: no conflict with the rewrite
    const updater = engine.manager.begin({ isolation: 'read committed' })
    updater.upsert(id, 101n, [101n, 'v101', 'w101'])
    const seq = engine.gns.current.seq
    await engine.ddl(removeW)
    expect(engine.gns.current.seq).toBe(seq + 2) // prepare + commit: two-phase
    await expect(inserter.commit()).rejects.toMatchObject({ ...refusal, modelId: id })
    await expect(updater.commit()).rejects.toMatchObject({ ...refusal, modelId: id })
    expect(rows(engine).has('100n')).toBe(false)
    expect(rows(engine).has('101n')).toBe(false)
    expect(shapeProblems(engine)).toEqual([])
    // A retry begins after the alter, and writes (and is checked against) the new shape.
    await engine.manager.transaction((txn) => txn.insert(id, 100n, rowNow(engine, 100n)))
    expect(rows(engine).get('100n')).toBe('[100n,"v100"]')
    engine = await reopened(fs, engine)
    expect(rows(engine).size).toBe(6)
    expect(shapeProblems(engine)).toEqual([])
    await engine.close()
  })

  it('refuses a transaction that buffered rows before a one-phase alter of an empty model', async () => {
    const fs = new SimFileSystem()
    let engine = await openEngine({ fs, ...base })
    const id = await model(engine, 0)
    const txn = engine.manager.begin()
    txn.insert(id, 1n, [1n, 'v1', 'w1'])
    const seq = engine.gns.current.seq
    await engine.ddl(removeW)
    expect(engine.gns.current.seq).toBe(seq + 1) // one event: one-phase
    await expect(txn.commit()).rejects.toMatchObject({ ...refusal, modelId: id })
    expect(rows(engine).size).toBe(0)
    // The change is dated by a marker row, committed after the catalog changed.
    expect(engine.store.store(ddlStoreId)!.get(`shape:${id}`, engine.store.lastCommitTs)).toEqual([
      'shape',
      id,
    ])
    engine = await reopened(fs, engine)
    expect(rows(engine).size).toBe(0)
    expect(shapeProblems(engine)).toEqual([])
    await engine.close()
  })

  it('refuses a commit landing while a one-phase alter is written; autocommit then retries', async () => {
    const fs = new RecordingFileSystem(new SimFileSystem())
    let engine = await openEngine({ fs, ...base })
    const id = await model(engine, 0)
    const buffered = engine.manager.begin()
    buffered.insert(id, 1n, [1n, 'v1', 'w1'])
    let during: Array<Promise<unknown>> = []
    let statementRuns = 0
    fs.onCall = (call) => {
      // The catalog event is written, not yet durable nor published: the alter is under way.
      if (call.op !== 'write' || !call.path.startsWith('/db/gns/')) return
      fs.onCall = undefined
      expect(current(engine).fields).toHaveLength(3)
      during = [
        buffered.commit().catch((error: unknown) => error),
        engine.manager.autocommit((txn) => {
          statementRuns++
          txn.insert(id, 2n, rowNow(engine, 2n)) // the shape the catalog shows when it runs
        }),
      ]
    }
    await engine.ddl(removeW)
    expect(during).toHaveLength(2)
    expect(await during[0]).toMatchObject({ ...refusal, modelId: id })
    await during[1]
    expect(statementRuns).toBe(2)
    expect([...rows(engine)]).toEqual([['2n', '[2n,"v2"]']])
    engine = await reopened(fs, engine)
    expect([...rows(engine)]).toEqual([['2n', '[2n,"v2"]']])
    expect(shapeProblems(engine)).toEqual([])
    await engine.close()
  })

  it('rewrites a commit that was in flight when the alter started, though the model looked empty', async () => {
    const fs = new SimFileSystem()
    let engine = await openEngine({ fs, ...base })
    const id = await model(engine, 0)
    const txn = engine.manager.begin()
    txn.insert(id, 1n, [1n, 'v1', 'w1'])
    const committed = txn.commit() // validated before the alter: in flight, not yet installed
    const altered = engine.ddl(removeW)
    await committed
    await altered
    expect([...rows(engine)]).toEqual([['1n', '[1n,"v1"]']])
    engine = await reopened(fs, engine)
    expect([...rows(engine)]).toEqual([['1n', '[1n,"v1"]']])
    await engine.close()
  })

  it('never rewrites twice a row of the new shape committed while the rewrite runs', async () => {
    // Remove the middle field, so that a second rewrite of a new-shape row would lose a value.
    const fs = new SimFileSystem()
    let racing: Promise<unknown> | undefined
    let fired = false
    let engine: Engine | undefined
    const rowsChecker: RowChecker = {
      checkRow: (modelId, row) => {
        // The rewrite's first new-shape row: the catalog has changed, the rewrite has begun.
        if (engine === undefined || fired || modelId === ddlStoreId) return undefined
        const model = engine.gns.current.model('s', 'm')
        if (model === undefined || row.length !== 2 || model.fields.length !== 2) return undefined
        fired = true
        const live = engine
        racing = live.manager.autocommit((txn) => txn.insert(modelId, 50n, rowNow(live, 50n)))
        return undefined
      },
    }
    engine = await openEngine({ fs, ...base, rows: rowsChecker })
    const id = await model(engine, 3)
    await engine.ddl({ ...removeW, action: { kind: 'remove', names: ['v'] } })
    expect(racing).toBeDefined()
    await racing
    expect(rows(engine).get('50n')).toBe('[50n,"w50"]')
    expect(rows(engine).get('1n')).toBe('[1n,"w1"]')
    expect(shapeProblems(engine)).toEqual([])
    engine = await reopened(fs, engine)
    expect(rows(engine).get('50n')).toBe('[50n,"w50"]')
    expect(engine.store.store(id)!.stats().liveKeyCount).toBe(4)
    await engine.close()
  })

  it('refuses nothing begun after the alter, nor anything after a refused alter', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base })
    const id = await model(engine, 2)
    const before = engine.manager.begin()
    before.insert(id, 10n, [10n, 'v10', 'w10'])
    await expect(
      engine.ddl({ ...removeW, action: { kind: 'remove', names: ['nope'] } }),
    ).rejects.toMatchObject({ code: 'GNS_UNKNOWN_FIELD' })
    await before.commit() // the shape did not change
    await engine.ddl(removeW)
    const after = engine.manager.begin()
    after.insert(id, 11n, [11n, 'v11'])
    await after.commit()
    const { commit } = await engine.manager.autocommit((txn) =>
      txn.insert(id, 12n, [12n, 'v12']),
    )
    expect(commit.commitTs).toBe(engine.store.lastCommitTs)
    expect(engine.manager.stats.aborts).toBe(0)
    // Writes to other models are never refused.
    await engine.ddl({
      kind: 'createModel',
      space: 's',
      name: 'other',
      fields: [{ name: 'id', type: { name: 'uint64' } }],
    })
    await engine.close()
  })
})

describe('ShapeFences', () => {
  const candidate = (txnId: number, snapshotTs: number) => ({ txnId, snapshotTs, modelIds: ['7'] })

  it('refuses all but admitted transactions while closed, and old snapshots once open', async () => {
    const fences = new ShapeFences()
    expect(fences.check(candidate(1, 0))).toBeUndefined()
    const change = fences.close('7')
    const closed = fences.check(candidate(1, 0))
    expect(closed).toMatchObject({ modelId: '7' })
    expect(closed?.retryAfter).toBeInstanceOf(Promise)
    expect(fences.check({ ...candidate(1, 0), modelIds: ['8'] })).toBeUndefined()
    change.admit(2)
    expect(fences.check(candidate(2, 0))).toBeUndefined()
    change.switched(4)
    change.open(5)
    await closed?.retryAfter
    expect(fences.check(candidate(3, 4))).toEqual({ modelId: '7' })
    expect(fences.check(candidate(3, 5))).toBeUndefined()
    expect(fences.check(candidate(2, 4))).toEqual({ modelId: '7' }) // admitted while closed only
  })

  it('returns to the state before on abandon, and stays closed until release once stranded', async () => {
    const fences = new ShapeFences()
    const first = fences.close('7')
    first.switched(1)
    first.open(2)
    fences.close('7').abandon()
    expect(fences.check(candidate(1, 1))).toEqual({ modelId: '7' })
    expect(fences.check(candidate(1, 2))).toBeUndefined()
    const failed = fences.close('7')
    failed.switched(3)
    failed.strand()
    const stranded = fences.check(candidate(9, 100))
    expect(stranded).toMatchObject({ modelId: '7' })
    // A later alter of the store cannot unstrand it: its earlier change is still unfinished.
    const later = fences.close('7')
    later.switched(100)
    later.open(101)
    expect(fences.check(candidate(9, 200))).toMatchObject({ modelId: '7' })
    let released = false
    void stranded?.retryAfter?.then(() => (released = true))
    await Promise.resolve()
    expect(released).toBe(false)
    fences.release()
    await stranded?.retryAfter
    expect(released).toBe(true)
  })
})
