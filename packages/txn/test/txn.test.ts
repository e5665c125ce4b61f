import { describe, expect, it, vi } from 'vitest'
import { fixture } from './helpers.js'

describe('Txn basics', () => {
  it('reads its own writes, and commits them atomically and durably', async () => {
    const { manager, store, journal } = await fixture()
    const txn = manager.begin()
    txn.insert('accounts', 'alice', ['alice', 100n])
    txn.insert('items', 1n, [1n, 'book'])
    expect(txn.get('accounts', 'alice')).toEqual(['alice', 100n])
    expect(store.store('accounts')!.get('alice', store.lastCommitTs)).toBeUndefined()
    const info = await txn.commit()
    expect(info.lsn).toBe(1n)
    expect(journal.nextLsn).toBe(2n)
    expect(store.store('accounts')!.get('alice', info.commitTs)).toEqual(['alice', 100n])
    expect(store.store('items')!.get(1n, info.commitTs)).toEqual([1n, 'book'])
    expect(txn.state).toBe('committed')
  })

  it('discards everything on rollback and writes nothing to the journal', async () => {
    const { manager, journal } = await fixture()
    const txn = manager.begin()
    txn.insert('accounts', 'bob', ['bob', 1n])
    txn.rollback()
    expect(txn.state).toBe('rolled back')
    expect(journal.nextLsn).toBe(1n)
    expect(manager.begin().get('accounts', 'bob')).toBeUndefined()
    expect(() => txn.get('accounts', 'bob')).toThrow(expect.objectContaining({ code: 'TXN_CLOSED', reason: 'rolled back' }))
  })

  it('updates, upserts and deletes, with typed errors for duplicates and missing rows', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('accounts', 'a', ['a', 1n]))
    const txn = manager.begin()
    expect(() => txn.insert('accounts', 'a', ['a', 2n])).toThrow(expect.objectContaining({ code: 'TXN_DUPLICATE_KEY' }))
    expect(() => txn.update('accounts', 'zz', ['zz', 0n])).toThrow(expect.objectContaining({ code: 'TXN_NOT_FOUND' }))
    expect(() => txn.delete('accounts', 'zz')).toThrow(expect.objectContaining({ code: 'TXN_NOT_FOUND' }))
    expect(txn.update('accounts', 'a', (old) => [old[0]!, (old[1] as bigint) + 10n])).toEqual(['a', 11n])
    txn.upsert('accounts', 'b', ['b', 5n])
    txn.delete('accounts', 'b')
    expect(txn.get('accounts', 'b')).toBeUndefined()
    await txn.commit()
    const check = manager.begin()
    expect(check.get('accounts', 'a')).toEqual(['a', 11n])
    expect(check.exists('accounts', 'b')).toBe(false)
  })

  it('scans in key order with its own writes overlaid, a limit and a resume key', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => {
      for (const key of [5n, 1n, 3n, 7n, 9n]) txn.insert('items', key, [key])
    })
    const txn = manager.begin()
    txn.insert('items', 4n, [4n])
    txn.delete('items', 3n)
    const page = txn.scan('items', { from: 1n, to: 7n, limit: 3 })
    expect(page.entries.map((entry) => entry.key)).toEqual([1n, 4n, 5n])
    expect(page.resume).toBe(5n)
    const rest = txn.scan('items', { from: 5n, fromExclusive: true, to: 7n })
    expect(rest.entries.map((entry) => entry.key)).toEqual([7n])
    expect(rest.resume).toBeUndefined()
    expect(txn.scan('items').entries.map((entry) => entry.key)).toEqual([1n, 4n, 5n, 7n, 9n])
  })

  it('rejects keys and rows of the wrong type, and unknown models', async () => {
    const rows = { checkRow: (_model: string, row: readonly unknown[]) => (row.length === 2 ? undefined : 'expected 2 fields') }
    const { manager } = await fixture({ rows })
    const txn = manager.begin()
    expect(() => txn.insert('items', 'one' as never, [1n, 2n])).toThrow(expect.objectContaining({ code: 'TXN_TYPE_MISMATCH' }))
    expect(() => txn.insert('items', 2n ** 64n, [1n, 2n])).toThrow(expect.objectContaining({ code: 'TXN_TYPE_MISMATCH' }))
    expect(() => txn.insert('items', 1n, [1n])).toThrow(expect.objectContaining({ code: 'TXN_TYPE_MISMATCH' }))
    expect(() => txn.insert('items', 1n, [1n, Symbol('x') as never])).toThrow(expect.objectContaining({ code: 'TXN_TYPE_MISMATCH' }))
    expect(() => txn.get('nope', 1n)).toThrow(expect.objectContaining({ code: 'TXN_UNKNOWN_MODEL' }))
    txn.insert('blobs', new Uint8Array([1, 2]), [new Uint8Array([1, 2]), [1n, [null, true]]])
    await txn.commit()
    expect(manager.begin().get('blobs', new Uint8Array([1, 2]))).toEqual([new Uint8Array([1, 2]), [1n, [null, true]]])
  })

  it('refuses writes in a read-only transaction, which never aborts', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('accounts', 'a', ['a', 1n]))
    const reader = manager.begin({ readOnly: true })
    expect(reader.get('accounts', 'a')).toEqual(['a', 1n])
    expect(() => reader.insert('accounts', 'b', ['b', 1n])).toThrow(expect.objectContaining({ code: 'TXN_READ_ONLY' }))
    await manager.transaction((txn) => txn.update('accounts', 'a', ['a', 2n]))
    expect(reader.get('accounts', 'a')).toEqual(['a', 1n]) // its snapshot, unchanged
    await expect(reader.commit()).resolves.toMatchObject({ lsn: undefined })
  })

  it('rejects a redo record larger than the limit, writing nothing', async () => {
    const { manager, journal } = await fixture({ redoBytesMax: 100 })
    const txn = manager.begin()
    txn.insert('accounts', 'big', ['big', 'x'.repeat(200)])
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TXN_TOO_LARGE' })
    expect(journal.nextLsn).toBe(1n)
  })
})

describe('idle timeout', () => {
  it('rolls back a transaction idle for a whole timeout period, and not one still in use', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const { manager } = await fixture({ idleTimeoutMs: 1_000 })
      const txn = manager.begin()
      txn.insert('accounts', 'x', ['x', 1n])
      vi.advanceTimersByTime(900)
      txn.get('accounts', 'x') // activity in the first period keeps it open through the second
      vi.advanceTimersByTime(1_000)
      expect(txn.state).toBe('open')
      vi.advanceTimersByTime(1_000) // the second period saw no activity
      expect(txn.state).toBe('timed out')
      expect(manager.stats.open).toBe(0)
      await expect(txn.commit()).rejects.toMatchObject({ code: 'TXN_CLOSED', reason: 'timed out' })
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('idle timer opt-out', () => {
  it('never expires a transaction begun with idleTimeout: false', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const { manager } = await fixture({ idleTimeoutMs: 1_000 })
      const txn = manager.begin({ readOnly: true, idleTimeout: false })
      vi.advanceTimersByTime(10_000)
      expect(txn.state).toBe('open')
      expect(vi.getTimerCount()).toBe(0)
      txn.rollback()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('journal failures', () => {
  it('fails the commit with TXN_JOURNAL_POISONED after an fdatasync failure, and every later one', async () => {
    const { manager, fs, store } = await fixture()
    fs.failSync()
    const txn = manager.begin()
    txn.insert('accounts', 'x', ['x', 1n])
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TXN_JOURNAL_POISONED' })
    expect(store.store('accounts')!.get('x', store.lastCommitTs)).toBeUndefined() // never made visible
    await expect(manager.transaction((next) => next.insert('accounts', 'y', ['y', 1n]))).rejects.toMatchObject({
      code: 'TXN_JOURNAL_POISONED',
    })
  })

  it('fails the commit with a retryable TXN_DISK_FULL and commits again once space exists', async () => {
    const { manager, fs } = await fixture()
    fs.capacityBytes = fs.usedBytes() + 10
    const txn = manager.begin()
    txn.insert('accounts', 'x', ['x', 1n])
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TXN_DISK_FULL', retryable: true })
    fs.capacityBytes = undefined
    await manager.transaction((next) => next.insert('accounts', 'x', ['x', 2n]))
    expect(manager.begin().get('accounts', 'x')).toEqual(['x', 2n])
  })
})

describe('a journal that refuses a record synchronously', () => {
  it('fails that commit and keeps installing the ones after it', async () => {
    const { MvccDatabase } = await import('@sky/mvcc')
    const { TxnManager } = await import('../src/index.js')
    const { createModels } = await import('./helpers.js')
    const store = new MvccDatabase<readonly unknown[]>() as never
    createModels(store)
    let calls = 0
    const journal = {
      append: (payload: Uint8Array): Promise<bigint> => {
        if (++calls === 1) throw new RangeError(`payload of ${payload.length} bytes refused`)
        return Promise.resolve(BigInt(calls))
      },
    }
    const manager = new TxnManager({ store, journal })
    const first = manager.begin()
    first.insert('items', 1n, [1n])
    await expect(first.commit()).rejects.toThrow(RangeError)
    await manager.transaction((txn) => txn.insert('items', 2n, [2n]))
    expect(manager.begin().get('items', 2n)).toEqual([2n])
    expect(manager.begin().get('items', 1n)).toBeUndefined()
  })
})
