import { describe, expect, it } from 'vitest'
import { effectiveIsolation } from '../src/index.js'
import { fixture, pause } from './helpers.js'

describe('isolation semantics', () => {
  it('read committed sees commits made after it began; snapshot does not', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('accounts', 'a', ['a', 1n]))
    const committed = manager.begin({ isolation: 'read committed' })
    const snapshot = manager.begin({ isolation: 'snapshot' })
    await manager.transaction((txn) => txn.update('accounts', 'a', ['a', 2n]))
    expect(committed.get('accounts', 'a')).toEqual(['a', 2n])
    expect(snapshot.get('accounts', 'a')).toEqual(['a', 1n])
  })

  it('lets the first committer win a write-write conflict at every level', async () => {
    for (const isolation of ['read committed', 'snapshot', 'serializable'] as const) {
      const { manager } = await fixture()
      await manager.transaction((txn) => txn.insert('accounts', 'a', ['a', 0n]))
      const first = manager.begin({ isolation })
      const second = manager.begin({ isolation })
      first.update('accounts', 'a', (old) => [old[0]!, (old[1] as bigint) + 1n])
      second.update('accounts', 'a', (old) => [old[0]!, (old[1] as bigint) + 1n])
      await first.commit()
      await expect(second.commit()).rejects.toMatchObject({ code: 'TXN_SERIALIZATION_FAILURE', retryable: true })
      expect(manager.begin().get('accounts', 'a')).toEqual(['a', 1n]) // no lost update
    }
  })

  it('sees a conflict with a commit still waiting for its fdatasync', async () => {
    const { manager } = await fixture()
    const first = manager.begin()
    const second = manager.begin()
    first.insert('accounts', 'x', ['x', 1n])
    second.insert('accounts', 'x', ['x', 2n])
    const firstCommit = first.commit() // validated and in flight, not yet durable
    await expect(second.commit()).rejects.toMatchObject({ code: 'TXN_SERIALIZATION_FAILURE' })
    await firstCommit
  })

  it('prevents write skew and phantoms at serializable, allows write skew at snapshot', async () => {
    for (const [isolation, bothCommit] of [['snapshot', true], ['serializable', false]] as const) {
      const { manager } = await fixture()
      await manager.transaction((txn) => {
        txn.insert('items', 1n, [1n, 'on call'])
        txn.insert('items', 2n, [2n, 'on call'])
      })
      const doctors = [manager.begin({ isolation }), manager.begin({ isolation })]
      doctors.forEach((txn, at) => {
        expect(txn.scan('items').entries.length).toBe(2)
        txn.update('items', BigInt(at + 1), [BigInt(at + 1), 'off'])
      })
      const results = await Promise.allSettled(doctors.map((txn) => txn.commit()))
      expect(results.every((result) => result.status === 'fulfilled')).toBe(bothCommit)
    }
    const { manager } = await fixture()
    const counter = manager.begin()
    expect(counter.scan('items', { from: 0n, to: 10n }).entries.length).toBe(0)
    counter.insert('items', 100n, [100n, 'count=0'])
    await manager.transaction((txn) => txn.insert('items', 5n, [5n, 'phantom']))
    await expect(counter.commit()).rejects.toMatchObject({ code: 'TXN_SERIALIZATION_FAILURE' })
  })

  it('retries serialization failures in transaction()', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('items', 1n, [1n, 0n]))
    let attempts = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        manager.transaction(async (txn) => {
          attempts++
          const old = txn.get('items', 1n)!
          await pause(1)
          txn.update('items', 1n, [1n, (old[1] as bigint) + 1n])
        }, { retries: 100 }),
      ),
    )
    expect(manager.begin().get('items', 1n)).toEqual([1n, 20n])
    expect(attempts).toBeGreaterThan(20)
  })

  it('gives up after the retry budget with the serialization failure', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('items', 1n, [1n, 0n]))
    const loser = manager.transaction(
      async (txn) => {
        txn.update('items', 1n, [1n, 1n])
        await manager.autocommit((other) => other.update('items', 1n, [1n, 2n]))
      },
      { retries: 2 },
    )
    await expect(loser).rejects.toMatchObject({ code: 'TXN_SERIALIZATION_FAILURE' })
  })

  it('runs single statements with autocommit that never abort, even under contention', async () => {
    const { manager } = await fixture()
    await manager.transaction((txn) => txn.insert('items', 1n, [1n, 0n]))
    const statements = Array.from({ length: 200 }, () =>
      manager.autocommit((txn) => txn.update('items', 1n, (old) => [1n, (old[1] as bigint) + 1n])),
    )
    const results = await Promise.all(statements)
    expect(results.at(-1)!.result).toEqual([1n, 200n])
    expect(manager.begin().get('items', 1n)).toEqual([1n, 200n])
  })

  it('says which requested levels run as another', () => {
    expect(effectiveIsolation('read uncommitted')).toEqual({ isolation: 'read committed', note: 'read uncommitted runs as read committed' })
    expect(effectiveIsolation('repeatable read').isolation).toBe('snapshot')
    expect(() => effectiveIsolation('chaos' as never)).toThrow(RangeError)
  })
})
