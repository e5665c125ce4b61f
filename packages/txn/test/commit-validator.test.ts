/**
 * The commit validator (`TxnManagerOptions.validateCommit`) and `settled()`.
 *
 * Goal: a refusal is the retryable serialization failure and leaves no trace (no journal frame, no
 * installed row, no timestamp taken); the validator sees exactly the committing transaction's id,
 * snapshot and written stores, after every other check; `autocommit` and `transaction` retry a
 * refusal after its `retryAfter`, running their work again so the rows are written anew.
 * Method: a validator whose answer the test controls, over a journal on the simulated disk (or a
 * journal whose appends the test resolves, to hold commits in flight).
 */
import { MvccDatabase } from '@sky/mvcc'
import { describe, expect, it } from 'vitest'
import {
  type CommitCandidate,
  type CommitRefusal,
  type Row,
  type RedoLog,
  TxnManager,
} from '../src/index.js'
import { createModels, fixture, pause } from './helpers.js'

/** A validator that records what it is asked and answers with `answer` (accept by default). */
function recording(): {
  readonly asked: CommitCandidate[]
  answer: (commit: CommitCandidate) => CommitRefusal | undefined
  readonly validateCommit: (commit: CommitCandidate) => CommitRefusal | undefined
} {
  const state = {
    asked: [] as CommitCandidate[],
    answer: (_commit: CommitCandidate): CommitRefusal | undefined => undefined,
    validateCommit: (commit: CommitCandidate) => {
      state.asked.push(commit)
      return state.answer(commit)
    },
  }
  return state
}

/** A gate: closed until `open()`; `opened` is the promise a refusal's retryAfter names. */
function gate(): { readonly opened: Promise<void>; open: () => void; isOpen: () => boolean } {
  let open = (): void => undefined
  let isOpen = false
  const opened = new Promise<void>((resolve) => {
    open = () => {
      isOpen = true
      resolve()
    }
  })
  return { opened, open, isOpen: () => isOpen }
}

describe('a commit validator', () => {
  it('refuses with the retryable serialization failure, and nothing is journaled or installed', async () => {
    const validator = recording()
    validator.answer = () => ({ modelId: 'items' })
    const { manager, journal, store } = await fixture({ validateCommit: validator.validateCommit })
    const clockBefore = store.lastCommitTs
    const txn = manager.begin()
    txn.insert('items', 1n, [1n, 'old shape'])
    const refused = await txn.commit().catch((error: unknown) => error)
    expect(refused).toMatchObject({
      code: 'TXN_SERIALIZATION_FAILURE',
      retryable: true,
      reason: 'definition',
      modelId: 'items',
    })
    expect(String((refused as Error).message)).toContain('definition of items changed')
    expect(txn.state).toBe('failed')
    expect(journal.nextLsn).toBe(1n)
    expect(store.store('items')!.get(1n, store.lastCommitTs)).toBeUndefined()
    expect(manager.stats).toMatchObject({ commits: 0, aborts: 1, inFlight: 0, open: 0 })
    // No timestamp was taken: the next accepted commit is the very next one.
    validator.answer = () => undefined
    const next = manager.begin()
    next.insert('items', 2n, [2n, 'new shape'])
    expect((await next.commit()).commitTs).toBe(clockBefore + 1)
    expect(journal.nextLsn).toBe(2n)
  })

  it('is told the transaction id, its snapshot and the stores it writes, not those it reads', async () => {
    const validator = recording()
    const { manager } = await fixture({ validateCommit: validator.validateCommit })
    await manager.transaction((txn) => txn.insert('accounts', 'a', ['a', 1n]))
    const txn = manager.begin()
    txn.get('blobs', new Uint8Array([1]))
    txn.insert('items', 7n, [7n])
    txn.upsert('accounts', 'b', ['b', 2n])
    txn.delete('accounts', 'a')
    await txn.commit()
    expect(validator.asked.at(-1)).toEqual({
      txnId: txn.id,
      snapshotTs: txn.snapshotTs,
      modelIds: ['items', 'accounts'],
    })
    expect(txn.snapshotTs).toBe(1)
  })

  it('is not asked about a commit that writes nothing, nor one another check refuses', async () => {
    const validator = recording()
    const { manager } = await fixture({ validateCommit: validator.validateCommit })
    const reader = manager.begin({ readOnly: true })
    reader.get('items', 1n)
    await reader.commit()
    const idle = manager.begin()
    idle.get('items', 1n)
    await idle.commit()
    expect(validator.asked).toEqual([])
    const loser = manager.begin()
    loser.upsert('items', 1n, [1n, 'loser'])
    await manager.transaction((txn) => txn.upsert('items', 1n, [1n, 'winner']))
    expect(validator.asked).toHaveLength(1)
    await expect(loser.commit()).rejects.toMatchObject({ reason: 'write' })
    expect(validator.asked).toHaveLength(1)
  })

  it('refuses at any isolation level, read committed included', async () => {
    // Refuse writes to items by transactions that began before commit 1.
    const validator = recording()
    validator.answer = ({ snapshotTs, modelIds }) =>
      modelIds.includes('items') && snapshotTs < 1 ? { modelId: 'items' } : undefined
    const { manager } = await fixture({ validateCommit: validator.validateCommit })
    const levels = ['read committed', 'snapshot', 'serializable'] as const
    const before = levels.map((isolation) => manager.begin({ isolation }))
    await manager.transaction((txn) => txn.insert('accounts', 'x', ['x', 0n]))
    for (const txn of before) {
      txn.upsert('items', 1n, [1n])
      await expect(txn.commit()).rejects.toMatchObject({ reason: 'definition' })
    }
    const after = manager.begin({ isolation: 'read committed' })
    after.upsert('items', 1n, [1n])
    await after.commit()
  })

  it('makes autocommit wait for retryAfter and run its work again in a new transaction', async () => {
    // The statement writes rows of the current "shape"; the shape changes when the gate opens.
    const validator = recording()
    const { manager, store } = await fixture({ validateCommit: validator.validateCommit })
    const altered = gate()
    let shape: 'old' | 'new' = 'old'
    validator.answer = ({ modelIds }) =>
      altered.isOpen() ? undefined : { modelId: modelIds[0]!, retryAfter: altered.opened }
    const runs: number[] = []
    const statement = manager.autocommit((txn) => {
      runs.push(txn.id)
      txn.insert('items', 1n, [1n, shape])
      return shape
    })
    await pause(20)
    expect(runs).toHaveLength(1) // waiting for the gate, not spinning
    expect(store.store('items')!.get(1n, store.lastCommitTs)).toBeUndefined()
    shape = 'new'
    altered.open()
    const { result, commit } = await statement
    expect(result).toBe('new')
    expect(runs).toHaveLength(2)
    expect(runs[1]).toBeGreaterThan(runs[0]!)
    expect(store.store('items')!.get(1n, commit.commitTs)).toEqual([1n, 'new'])
    expect(manager.stats).toMatchObject({ commits: 1, aborts: 1, open: 0 })
  })

  it('makes autocommit retry a refusal without retryAfter until it is accepted', async () => {
    const validator = recording()
    let refusals = 3
    validator.answer = ({ modelIds }) => (refusals-- > 0 ? { modelId: modelIds[0]! } : undefined)
    const { manager, store } = await fixture({ validateCommit: validator.validateCommit })
    const { commit } = await manager.autocommit((txn) => txn.upsert('items', 5n, [5n]))
    expect(validator.asked).toHaveLength(4)
    expect(store.store('items')!.get(5n, commit.commitTs)).toEqual([5n])
  })

  it('makes transaction() wait for retryAfter instead of spending its retries', async () => {
    const validator = recording()
    const altered = gate()
    validator.answer = ({ modelIds }) =>
      altered.isOpen() ? undefined : { modelId: modelIds[0]!, retryAfter: altered.opened }
    const { manager } = await fixture({ validateCommit: validator.validateCommit })
    let attempts = 0
    const done = manager.transaction(
      (txn) => {
        attempts++
        txn.upsert('items', 1n, [1n, attempts])
      },
      { retries: 1 },
    )
    await pause(50)
    expect(attempts).toBe(1)
    altered.open()
    await done
    expect(attempts).toBe(2)
    expect(manager.begin().get('items', 1n)).toEqual([1n, 2])
  })

  it('rejects a validator that is not a function', async () => {
    const store = new MvccDatabase<Row>()
    const journal: RedoLog = { append: () => Promise.resolve(1n) }
    expect(() => new TxnManager({ store, journal, validateCommit: 1 as never })).toThrow(TypeError)
  })
})

describe('settled()', () => {
  it('waits for the commits in flight at the call, not for later ones', async () => {
    const store = new MvccDatabase<Row>()
    createModels(store)
    const durable: Array<() => void> = []
    let lsn = 0n
    const journal: RedoLog = {
      append: () => new Promise<bigint>((resolve) => durable.push(() => resolve(++lsn))),
    }
    const manager = new TxnManager({ store, journal })
    await manager.settled() // nothing in flight
    const first = manager.begin()
    first.insert('items', 1n, [1n])
    const second = manager.begin()
    second.insert('items', 2n, [2n])
    const commits = [first.commit(), second.commit()]
    let settled = false
    const waiting = manager.settled().then(() => (settled = true))
    const third = manager.begin()
    third.insert('items', 3n, [3n])
    const late = third.commit()
    durable[1]!() // the second is durable, but waits for the first to install
    await pause(3)
    expect(settled).toBe(false)
    durable[0]!()
    await waiting
    await Promise.all(commits)
    expect(manager.stats.inFlight).toBe(1) // the third: validated after the call
    durable[2]!()
    await late
  })
})
