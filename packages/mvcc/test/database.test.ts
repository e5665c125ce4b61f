import { AssertionError, isSkyError } from '@sky/std'
import { describe, expect, it } from 'vitest'
import { MvccDatabase, MvccModelExistsError, MvccUnknownModelError } from '../src/index.js'

type Row = readonly unknown[]

function database(): MvccDatabase<Row> {
  const db = new MvccDatabase<Row>()
  db.createStore('users', { keyKind: 'string' })
  db.createStore('orders', { keyKind: 'int' })
  return db
}

describe('MvccDatabase', () => {
  it('installs one commit across models at one timestamp', () => {
    const db = database()
    db.install(1, [
      { modelId: 'users', key: 'ann', row: ['ann'] },
      { modelId: 'orders', key: 7n, row: [7n, 'ann'] },
    ])
    expect(db.lastCommitTs).toBe(1)
    expect(db.store('users')?.get('ann', 1)).toEqual(['ann'])
    expect(db.store('orders')?.get(7n, 1)).toEqual([7n, 'ann'])
    expect(db.store('orders')?.lastInstalledTs).toBe(1)
    expect(db.modelIds()).toEqual(['users', 'orders'])
  })

  it('installs nothing when one write names an unknown model or a wrong key kind', () => {
    const db = database()
    const unknown = () =>
      db.install(1, [
        { modelId: 'users', key: 'ann', row: ['ann'] },
        { modelId: 'nope', key: 'x', row: ['x'] },
      ])
    expect(unknown).toThrow(MvccUnknownModelError)
    try {
      unknown()
    } catch (error) {
      expect(isSkyError(error, 'MVCC_UNKNOWN_MODEL')).toBe(true)
    }
    const badKey = () =>
      db.install(1, [
        { modelId: 'users', key: 'ann', row: ['ann'] },
        { modelId: 'orders', key: 'seven', row: ['x'] },
      ])
    expect(badKey).toThrow(TypeError)
    expect(db.store('users')?.get('ann', 10)).toBeUndefined()
    expect(db.lastCommitTs).toBe(0)
  })

  it('asserts increasing timestamps across models', () => {
    const db = database()
    db.install(5, [{ modelId: 'users', key: 'a', row: ['a'] }])
    expect(() => db.install(5, [{ modelId: 'orders', key: 1n, row: [1n] }])).toThrow(AssertionError)
    expect(() => db.install(0, [])).toThrow(RangeError)
  })

  it('refuses a second store for one model with MVCC_MODEL_EXISTS, and drops stores', () => {
    const db = database()
    expect(() => db.createStore('users', { keyKind: 'binary' })).toThrow(MvccModelExistsError)
    expect(db.dropStore('users')).toBe(true)
    expect(db.dropStore('users')).toBe(false)
    expect(db.store('users')).toBeUndefined()
  })

  it('moves every horizon and shares a bounded GC budget fairly among stores', () => {
    const db = database()
    for (let ts = 1; ts <= 40; ts++) {
      db.install(ts, [
        { modelId: 'users', key: 'k', row: [ts] },
        { modelId: 'orders', key: 1n, row: [ts] },
      ])
    }
    const first = db.gc(40, { entriesMax: 10 })
    expect(first).toMatchObject({ entriesProcessed: 10, done: false })
    expect(db.store('users')?.gcHorizon).toBe(40)
    expect(db.store('orders')?.gcHorizon).toBe(40)
    expect(db.gcHorizon).toBe(40)
    const second = db.gc(40, { entriesMax: 10 })
    expect(second.entriesProcessed).toBe(10)
    // Two calls started at different stores: both stores got work.
    const queued = ['users', 'orders'].map((id) => db.store(id)?.stats().gcQueueLength)
    expect(queued.every((length) => length !== undefined && length < 39)).toBe(true)
    let result = second
    while (!result.done) result = db.gc(40, { entriesMax: 10 })
    expect(db.store('users')?.stats().versionCount).toBe(1)
    expect(db.store('orders')?.stats().versionCount).toBe(1)
    expect(() => db.gc(-1)).toThrow(RangeError)
  })
})
