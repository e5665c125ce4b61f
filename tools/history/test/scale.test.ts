/**
 * Goal: the checker handles the size the isolation tests feed it, 10,000 transactions of a few
 * operations each, and still finds anomalies at that size. Speed is measured by
 * bench/check.bench.ts, not here: this only proves the runs complete and are correct.
 */
import { describe, expect, it } from 'vitest'
import { checkHistory } from '../src/index.js'
import { runWorkload } from './support/store.js'

const shape = { transactions: 10_000, concurrency: 8, keys: 20, kinds: 'mixed',
  operationsMax: 4, abortRate: 0.05, unknownRate: 0.02 } as const

describe('checkHistory at 10,000 transactions', () => {
  it('passes a serializable history with real-time order', () => {
    const history = runWorkload('serializable', { ...shape, seed: 1 })
    const result = checkHistory(history, { realtime: true })
    console.log('serializable, 10,000 transactions:', result.stats)
    expect(result.ok).toBe(true)
    expect(result.stats.transactions).toBe(10_000)
  })

  it('finds only G2 in a snapshot-isolation history', () => {
    const history = runWorkload('snapshot', { ...shape, seed: 2 })
    const result = checkHistory(history)
    console.log('snapshot, 10,000 transactions:', result.counts, `${result.stats.edges} edges`)
    expect(Object.keys(result.counts)).toEqual(['G2'])
  })
})
