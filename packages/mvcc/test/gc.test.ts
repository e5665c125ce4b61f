import { describe, expect, it } from 'vitest'
import type { Timestamp } from '../src/index.js'
import { MvccStore } from '../src/index.js'

type Row = readonly unknown[]

function intStore(): MvccStore<bigint, Row> {
  return new MvccStore<bigint, Row>({ keyKind: 'int' })
}

/** Every read of keys 0..keyCount-1 at snapshots from..to, as one comparable list. */
function readAll(store: MvccStore<bigint, Row>, keyCount: number, from: Timestamp, to: Timestamp) {
  const reads: unknown[] = []
  for (let snapshot = from; snapshot <= to; snapshot++) {
    for (let key = 0; key < keyCount; key++) reads.push(store.get(BigInt(key), snapshot))
    reads.push(store.scan({ snapshotTs: snapshot }).entries)
  }
  return reads
}

describe('MvccStore.gc', () => {
  it('keeps the newest version at or below the horizon and every newer one', () => {
    const store = intStore()
    for (let ts = 1; ts <= 5; ts++) store.install(ts, [{ key: 1n, row: [ts] }])
    const result = store.gc(3)
    expect(result).toEqual({ entriesProcessed: 2, versionsDropped: 2, keysRemoved: 0, done: true })
    expect(store.get(1n, 3)).toEqual([3])
    expect(store.get(1n, 4)).toEqual([4])
    expect(store.get(1n, 5)).toEqual([5])
    expect(store.stats()).toMatchObject({ versionCount: 3, gcQueueLength: 2 })
    store.assertInvariants()
  })

  it('removes a key whose tombstone is at or below the horizon', () => {
    const store = intStore()
    store.install(1, [{ key: 1n, row: ['a'] }, { key: 2n, row: ['b'] }])
    store.install(2, [{ key: 1n, row: undefined }])
    expect(store.gc(1)).toMatchObject({ versionsDropped: 0, keysRemoved: 0, done: true })
    expect(store.gc(2)).toMatchObject({ versionsDropped: 2, keysRemoved: 1, done: true })
    expect(store.get(1n, 2)).toBeUndefined()
    expect(store.lastCommitTs(1n)).toBe(0)
    expect(store.stats()).toMatchObject({ keyCount: 1, liveKeyCount: 1, versionCount: 1 })
    store.assertInvariants()
  })

  it('drops a tombstone below a newer version, since both read as absent', () => {
    const store = intStore()
    store.install(1, [{ key: 1n, row: ['a'] }])
    store.install(2, [{ key: 1n, row: undefined }])
    store.install(4, [{ key: 1n, row: ['b'] }])
    store.gc(3)
    expect(store.get(1n, 3)).toBeUndefined()
    expect(store.get(1n, 4)).toEqual(['b'])
    expect(store.stats().versionCount).toBe(1)
    expect(store.lastCommitTs(1n)).toBe(4)
  })

  it('never changes a read at a snapshot at or above the horizon', () => {
    const store = intStore()
    let ts = 0
    for (let round = 0; round < 30; round++) {
      const writes = []
      for (let key = round % 3; key < 12; key += 3) {
        writes.push({ key: BigInt(key), row: (round + key) % 4 === 0 ? undefined : [round, key] })
      }
      store.install(++ts, writes)
    }
    for (const horizon of [5, 11, 17, 29, 30]) {
      const before = readAll(store, 12, horizon, ts)
      store.gc(horizon)
      expect(readAll(store, 12, horizon, ts)).toEqual(before)
      store.assertInvariants()
    }
  })

  it('does bounded work per call and finishes over several calls', () => {
    const store = intStore()
    for (let ts = 1; ts <= 100; ts++) store.install(ts, [{ key: BigInt(ts % 10), row: [ts] }])
    const counts: number[] = []
    for (;;) {
      const result = store.gc(100, { entriesMax: 7 })
      counts.push(result.entriesProcessed)
      if (result.done) break
    }
    expect(Math.max(...counts)).toBe(7)
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(90)
    expect(store.stats()).toMatchObject({ keyCount: 10, versionCount: 10, gcQueueLength: 0 })
  })

  it('moves the horizon without work when entriesMax is 0, and never moves it back', () => {
    const store = intStore()
    store.install(1, [{ key: 1n, row: ['a'] }])
    store.install(2, [{ key: 1n, row: ['b'] }])
    expect(store.gc(2, { entriesMax: 0 })).toMatchObject({ entriesProcessed: 0, done: false })
    expect(store.gcHorizon).toBe(2)
    store.gc(1)
    expect(store.gcHorizon).toBe(2)
    expect(store.stats().versionCount).toBe(1)
    expect(() => store.gc(-1)).toThrow(RangeError)
    expect(() => store.gc(1, { entriesMax: -1 })).toThrow(RangeError)
  })

  it('leaves garbage above the horizon queued for a later call', () => {
    const store = intStore()
    for (let ts = 1; ts <= 4; ts++) store.install(ts, [{ key: 1n, row: [ts] }])
    expect(store.gc(2)).toMatchObject({ entriesProcessed: 1, done: true })
    expect(store.stats().gcQueueLength).toBe(2)
    expect(store.gc(4)).toMatchObject({ entriesProcessed: 2, versionsDropped: 2, done: true })
  })

  it('keeps range validation right for snapshots at or above the horizon', () => {
    // Goal: dropping deleted keys cannot hide a commit newer than a validator's snapshot.
    const store = intStore()
    store.install(1, [{ key: 5n, row: ['a'] }])
    store.install(2, [{ key: 5n, row: undefined }])
    store.install(3, [{ key: 6n, row: ['b'] }])
    store.gc(2)
    expect(store.lastCommitTsInRange({ from: 0n, to: 5n })).toBe(0)
    expect(store.lastCommitTsInRange({ from: 0n, to: 10n })).toBe(3)
    // A validator at snapshot 2 sees the commit at 3; one at snapshot 3 sees none after it.
    expect(store.lastCommitTsInRange({ from: 0n, to: 10n }) > 2).toBe(true)
    expect(store.lastCommitTsInRange({ from: 0n, to: 10n }) > 3).toBe(false)
  })

  it('empties and rebalances a large tree by deleting every key', () => {
    const store = intStore()
    const count = 20_000
    store.install(1, Array.from({ length: count }, (_, key) => ({ key: BigInt(key), row: [key] })))
    expect(store.stats().treeHeight).toBe(2)
    // Delete in an order that empties the middle first, then both ends.
    const order = Array.from({ length: count }, (_, index) => (index * 7_919) % count)
    let ts = 1
    for (let start = 0; start < count; start += 2_500) {
      const keys = order.slice(start, start + 2_500)
      const writes = keys.map((key) => ({ key: BigInt(key), row: undefined }))
      store.install(++ts, writes)
      store.gc(ts, { entriesMax: count })
      store.assertInvariants()
      expect(store.stats().keyCount).toBe(count - start - 2_500)
    }
    expect(store.stats()).toMatchObject({ keyCount: 0, versionCount: 0, treeHeight: 0 })
    store.install(++ts, [{ key: 1n, row: ['again'] }])
    expect(store.get(1n, ts)).toEqual(['again'])
  })
})
