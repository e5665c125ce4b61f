import { AssertionError, isSkyError } from '@sky/std'
import { describe, expect, it } from 'vitest'
import { MvccSnapshotTooOldError, MvccStore, scanEntriesMax } from '../src/index.js'

type Row = readonly unknown[]

function intStore(): MvccStore<bigint, Row> {
  return new MvccStore<bigint, Row>({ keyKind: 'int' })
}

/** A store with keys 0..count-1 (one commit each, ts = key + 1), rows [key]. */
function filledStore(count: number): MvccStore<bigint, Row> {
  const store = intStore()
  for (let key = 0; key < count; key++) store.install(key + 1, [{ key: BigInt(key), row: [key] }])
  return store
}

describe('MvccStore.get', () => {
  it('returns the newest version at or below the snapshot', () => {
    const store = intStore()
    store.install(10, [{ key: 1n, row: ['a'] }])
    store.install(20, [{ key: 1n, row: ['b'] }])
    store.install(30, [{ key: 1n, row: ['c'] }])
    expect(store.get(1n, 9)).toBeUndefined()
    expect(store.get(1n, 10)).toEqual(['a'])
    expect(store.get(1n, 19)).toEqual(['a'])
    expect(store.get(1n, 20)).toEqual(['b'])
    expect(store.get(1n, 29)).toEqual(['b'])
    expect(store.get(1n, 1000)).toEqual(['c'])
  })

  it('reads a tombstone as absent and sees the row again before the deletion', () => {
    const store = intStore()
    store.install(1, [{ key: 7n, row: ['x'] }])
    store.install(2, [{ key: 7n, row: undefined }])
    store.install(3, [{ key: 7n, row: ['y'] }])
    expect(store.get(7n, 1)).toEqual(['x'])
    expect(store.get(7n, 2)).toBeUndefined()
    expect(store.get(7n, 3)).toEqual(['y'])
  })

  it('returns the very row object installed', () => {
    const store = intStore()
    const row = ['same']
    store.install(1, [{ key: 1n, row }])
    expect(store.get(1n, 1)).toBe(row)
  })

  it('reads keys of every kind: string (UTF-8 order) and binary', () => {
    const strings = new MvccStore<string, Row>({ keyKind: 'string' })
    strings.install(1, [{ key: '😀', row: [1] }, { key: '\uffff', row: [2] }])
    expect(strings.get('😀', 1)).toEqual([1])
    expect(strings.scan({ snapshotTs: 1 }).entries.map((entry) => entry.key)).toEqual([
      '\uffff',
      '😀',
    ])
    const binary = new MvccStore<Uint8Array, Row>({ keyKind: 'binary' })
    binary.install(1, [{ key: Uint8Array.of(1, 2), row: ['b'] }])
    expect(binary.get(Uint8Array.of(1, 2), 1)).toEqual(['b'])
    expect(binary.get(Uint8Array.of(1), 1)).toBeUndefined()
  })

  it('rejects a key of the wrong kind and a bad snapshot', () => {
    const store = filledStore(3)
    expect(() => store.get('1' as never, 1)).toThrow(TypeError)
    expect(() => store.get(1 as never, 1)).toThrow(TypeError)
    expect(() => store.get(1n, -1)).toThrow(RangeError)
    expect(() => store.get(1n, 1.5)).toThrow(RangeError)
    expect(() => store.get(1n, Number.NaN)).toThrow(RangeError)
  })

  it('refuses snapshots below the GC horizon with a retryable MVCC_SNAPSHOT_TOO_OLD', () => {
    const store = filledStore(3)
    store.gc(2)
    expect(store.get(1n, 2)).toEqual([1])
    let caught: unknown
    try {
      store.get(1n, 1)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(MvccSnapshotTooOldError)
    expect(isSkyError(caught, 'MVCC_SNAPSHOT_TOO_OLD')).toBe(true)
    expect((caught as MvccSnapshotTooOldError).retryable).toBe(true)
    expect((caught as MvccSnapshotTooOldError).gcHorizon).toBe(2)
    expect(() => store.scan({ snapshotTs: 1 })).toThrow(MvccSnapshotTooOldError)
  })
})

describe('MvccStore.install', () => {
  it('makes a commit visible all at once, at its timestamp', () => {
    const store = intStore()
    store.install(5, [
      { key: 1n, row: ['a'] },
      { key: 2n, row: ['b'] },
    ])
    expect(store.get(1n, 4)).toBeUndefined()
    expect(store.get(2n, 4)).toBeUndefined()
    expect(store.get(1n, 5)).toEqual(['a'])
    expect(store.get(2n, 5)).toEqual(['b'])
    expect(store.lastInstalledTs).toBe(5)
  })

  it('asserts that commit timestamps strictly increase', () => {
    const store = filledStore(2)
    expect(() => store.install(2, [{ key: 9n, row: [9] }])).toThrow(AssertionError)
    expect(() => store.install(1, [])).toThrow(AssertionError)
  })

  it('rejects a bad timestamp with RangeError', () => {
    const store = intStore()
    expect(() => store.install(0, [])).toThrow(RangeError)
    expect(() => store.install(1.5, [])).toThrow(RangeError)
    expect(() => store.install(2 ** 53, [])).toThrow(RangeError)
  })

  it('installs nothing when one key is of the wrong kind', () => {
    const store = intStore()
    const writes = [
      { key: 1n, row: ['a'] },
      { key: 'two' as never, row: ['b'] },
    ]
    expect(() => store.install(1, writes)).toThrow(TypeError)
    expect(store.get(1n, 10)).toBeUndefined()
    expect(store.lastInstalledTs).toBe(0)
    expect(store.stats().versionCount).toBe(0)
  })

  it('keeps the later row when one commit writes a key twice', () => {
    const store = intStore()
    store.install(1, [
      { key: 1n, row: ['first'] },
      { key: 1n, row: ['second'] },
      { key: 2n, row: ['kept'] },
      { key: 2n, row: undefined },
    ])
    expect(store.get(1n, 1)).toEqual(['second'])
    expect(store.get(2n, 1)).toBeUndefined()
    expect(store.stats()).toMatchObject({ keyCount: 2, liveKeyCount: 1, versionCount: 2 })
    store.assertInvariants()
  })

  it('records a tombstone for a key that was never written', () => {
    const store = intStore()
    store.install(4, [{ key: 3n, row: undefined }])
    expect(store.get(3n, 4)).toBeUndefined()
    expect(store.lastCommitTs(3n)).toBe(4)
    expect(store.stats()).toMatchObject({ keyCount: 1, liveKeyCount: 0, versionCount: 1 })
  })

  it('counts keys, live keys and versions', () => {
    const store = filledStore(10)
    store.install(11, [{ key: 0n, row: ['new'] }])
    store.install(12, [{ key: 1n, row: undefined }])
    expect(store.stats()).toMatchObject({
      keyCount: 10,
      liveKeyCount: 9,
      versionCount: 12,
      gcQueueLength: 2,
      treeHeight: 0,
    })
    expect(store.stats().overheadBytesEstimate).toBeGreaterThan(0)
  })
})

describe('MvccStore.scan', () => {
  it('returns visible rows in key order within inclusive and exclusive bounds', () => {
    const store = filledStore(10)
    const keys = (options: Parameters<typeof store.scan>[0]): bigint[] =>
      store.scan(options).entries.map((entry) => entry.key)
    expect(keys({ snapshotTs: 100, from: 3n, to: 6n })).toEqual([3n, 4n, 5n, 6n])
    expect(keys({ snapshotTs: 100, from: 3n, fromExclusive: true, to: 6n, toExclusive: true }))
      .toEqual([4n, 5n])
    expect(keys({ snapshotTs: 100, to: 1n })).toEqual([0n, 1n])
    expect(keys({ snapshotTs: 100, from: 8n })).toEqual([8n, 9n])
    expect(keys({ snapshotTs: 5 })).toEqual([0n, 1n, 2n, 3n, 4n])
    expect(keys({ snapshotTs: 100, from: 6n, to: 3n })).toEqual([])
    expect(keys({ snapshotTs: 100, from: 4n, to: 4n, toExclusive: true })).toEqual([])
  })

  it('skips tombstones and keys born after the snapshot without counting them', () => {
    const store = filledStore(6)
    store.install(7, [{ key: 1n, row: undefined }, { key: 2n, row: undefined }])
    const page = store.scan({ snapshotTs: 7, limit: 2 })
    expect(page.entries.map((entry) => entry.key)).toEqual([0n, 3n])
    expect(page.resume).toBe(3n)
    expect(store.scan({ snapshotTs: 6, limit: 3 }).entries.map((entry) => entry.row))
      .toEqual([[0], [1], [2]])
  })

  it('pages through 5,000 keys with limit and resume, seeing each once', () => {
    const store = filledStore(5000)
    const seen: bigint[] = []
    let page = store.scan({ snapshotTs: 5000, limit: 333 })
    seen.push(...page.entries.map((entry) => entry.key))
    while (page.resume !== undefined) {
      page = store.scan({ snapshotTs: 5000, from: page.resume, fromExclusive: true, limit: 333 })
      seen.push(...page.entries.map((entry) => entry.key))
    }
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, key) => BigInt(key)))
  })

  it('reports the range it covered: cut at the resume key, or the whole request', () => {
    const store = filledStore(10)
    expect(store.scan({ snapshotTs: 100, from: 2n, fromExclusive: true, limit: 3 }).covered)
      .toEqual({ from: 2n, fromExclusive: true, to: 5n })
    expect(store.scan({ snapshotTs: 100, from: 2n, to: 8n, toExclusive: true }).covered)
      .toEqual({ from: 2n, to: 8n, toExclusive: true })
    expect(store.scan({ snapshotTs: 100 }).covered).toEqual({})
  })

  it('sets resume when the limit is reached even if nothing follows', () => {
    const store = filledStore(3)
    const page = store.scan({ snapshotTs: 100, limit: 3 })
    expect(page.resume).toBe(2n)
    const next = store.scan({ snapshotTs: 100, from: 2n, fromExclusive: true, limit: 3 })
    expect(next).toMatchObject({ entries: [], resume: undefined })
  })

  it('rejects a limit outside 1..scanEntriesMax and bounds of the wrong kind', () => {
    const store = filledStore(3)
    expect(() => store.scan({ snapshotTs: 1, limit: 0 })).toThrow(RangeError)
    expect(() => store.scan({ snapshotTs: 1, limit: scanEntriesMax + 1 })).toThrow(RangeError)
    expect(() => store.scan({ snapshotTs: 1, limit: 1.5 })).toThrow(RangeError)
    expect(() => store.scan({ snapshotTs: 1, from: 'a' as never })).toThrow(TypeError)
  })
})

describe('MvccStore.lastCommitTs', () => {
  it('gives the newest commit of a key, tombstones included, and 0 for an unknown key', () => {
    const store = intStore()
    store.install(3, [{ key: 1n, row: ['a'] }])
    store.install(8, [{ key: 1n, row: undefined }])
    expect(store.lastCommitTs(1n)).toBe(8)
    expect(store.lastCommitTs(2n)).toBe(0)
    expect(() => store.lastCommitTs('x' as never)).toThrow(TypeError)
  })
})

describe('MvccStore.lastCommitTsInRange', () => {
  it('sees a key inserted into a range that was empty (a phantom)', () => {
    const store = intStore()
    store.install(1, [{ key: 10n, row: ['a'] }, { key: 20n, row: ['b'] }])
    expect(store.lastCommitTsInRange({ from: 11n, to: 19n })).toBe(0)
    store.install(2, [{ key: 15n, row: ['phantom'] }])
    expect(store.lastCommitTsInRange({ from: 11n, to: 19n })).toBe(2)
    expect(store.lastCommitTsInRange({ from: 16n, to: 19n })).toBe(0)
  })

  it('sees a deletion in the range', () => {
    const store = filledStore(100)
    store.install(200, [{ key: 50n, row: undefined }])
    expect(store.lastCommitTsInRange({ from: 40n, to: 60n })).toBe(200)
    // Key k was written at ts k + 1.
    expect(store.lastCommitTsInRange({ from: 51n, to: 60n })).toBe(61)
    expect(store.lastCommitTsInRange({ from: 50n, fromExclusive: true, to: 60n })).toBe(61)
    expect(store.lastCommitTsInRange({ from: 40n, to: 50n, toExclusive: true })).toBe(50)
  })

  it('answers over many leaves from the per-branch maxima', () => {
    const store = filledStore(20_000)
    expect(store.stats().treeHeight).toBeGreaterThanOrEqual(2)
    expect(store.lastCommitTsInRange({})).toBe(20_000)
    expect(store.lastCommitTsInRange({ to: 9_999n })).toBe(10_000)
    expect(store.lastCommitTsInRange({ from: 5_000n, to: 5_000n })).toBe(5_001)
    store.install(30_000, [{ key: 123n, row: ['late'] }])
    expect(store.lastCommitTsInRange({ from: 100n, to: 200n })).toBe(30_000)
    expect(store.lastCommitTsInRange({ from: 124n, to: 19_000n })).toBe(19_001)
    expect(store.lastCommitTsInRange({ from: 9n, to: 1n })).toBe(0)
    store.assertInvariants()
  })
})
