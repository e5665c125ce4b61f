/**
 * Goal: with `realtime: true` the checker adds real-time order and finds the cycles it closes,
 * reported under the `-realtime` types; transactions with unknown outcomes are included exactly
 * when their writes were observed. Method: hand-recorded histories with chosen interleavings.
 */
import { describe, expect, it } from 'vitest'
import { HistoryRecorder, checkHistory, explain } from '../src/index.js'
import { concurrent, serial, txn } from './support/build.js'

describe('checkHistory with real-time order', () => {
  it('finds G-single-realtime for a stale read that is serializable but not strict', () => {
    const history = serial(txn([['a', 'x', 1]]), txn([['rl', 'x', []]]), txn([['rl', 'x', [1]]]))
    expect(checkHistory(history).ok).toBe(true)
    const result = checkHistory(history, { realtime: true })
    expect(result.counts).toEqual({ 'G-single-realtime': 1 })
    expect(explain(result.anomalies[0]!)).toBe('G-single-realtime: T1 -rt-> T2 -rw x-> T1: ' +
      'a cycle with exactly one anti-dependency, closed by real-time order')
  })

  it('finds G0-realtime when a later append is ordered before an earlier one', () => {
    const history = serial(txn([['a', 'x', 1]]), txn([['a', 'x', 2]]), txn([['rl', 'x', [2, 1]]]))
    expect(checkHistory(history).ok).toBe(true)
    expect(checkHistory(history, { realtime: true }).counts).toEqual({ 'G0-realtime': 1 })
  })

  it('finds G1c-realtime when a transaction reads a write made after it completed', () => {
    const history = serial(txn([['rl', 'x', [1]]]), txn([['a', 'x', 1]]))
    expect(checkHistory(history).ok).toBe(true)
    expect(checkHistory(history, { realtime: true }).counts).toEqual({ 'G1c-realtime': 1 })
  })

  it('finds G2-realtime when a write-skew-like cycle needs real time to close', () => {
    // T3 -rw y-> T2 -rw z-> T1 -rt-> T3; T2 overlaps T1, so T2's read of z is not stale by itself.
    const recorder = new HistoryRecorder()
    const t1 = recorder.begin()
    const t2 = recorder.begin()
    t1.append('z', 3).commit()
    recorder.begin().readList('y', []).commit()
    t2.readList('z', []).append('y', 2).commit()
    recorder.begin().readList('y', [2]).readList('z', [3]).commit()
    const history = recorder.history()
    expect(checkHistory(history).ok).toBe(true)
    const result = checkHistory(history, { realtime: true })
    expect(result.counts).toEqual({ 'G2-realtime': 1 })
    expect(result.anomalies[0]?.edges).toEqual([
      { from: 1, to: 3, type: 'rt', key: null },
      { from: 3, to: 2, type: 'rw', key: 'y' },
      { from: 2, to: 1, type: 'rw', key: 'z' },
    ])
  })

  it('reports G-single and not G-single-realtime when the cycle closes without real time', () => {
    const recorder = new HistoryRecorder()
    const reader = recorder.begin()
    recorder.begin().append('x', 1).append('y', 2).commit()
    reader.readList('x', []).readList('y', [2]).commit()
    recorder.begin().readList('x', [1]).commit()
    expect(checkHistory(recorder.history(), { realtime: true }).counts).toEqual({ 'G-single': 1 })
  })

  it('passes overlapping transactions whatever order they took effect in', () => {
    const history = concurrent(txn([['rl', 'x', [2]]]), txn([['a', 'x', 2]]))
    expect(checkHistory(history, { realtime: true }).ok).toBe(true)
  })
})

describe('checkHistory with unknown outcomes', () => {
  it('includes an unknown transaction whose append was read, as committed', () => {
    const history = serial(txn([['a', 'x', 1]], 'unknown'), txn([['rl', 'x', [1]]]))
    const result = checkHistory(history, { realtime: true })
    expect(result.ok).toBe(true)
    expect(result.stats).toMatchObject({ unknown: 1, included: 2 })
  })

  it('includes unknown transactions observed only through other unknown ones', () => {
    const history = serial(
      txn([['a', 'x', 1]], 'unknown'),
      txn([['rl', 'x', [1]], ['a', 'y', 2]], 'unknown'),
      txn([['rl', 'y', [2]]]),
    )
    expect(checkHistory(history).stats.included).toBe(3)
  })

  it('leaves out an unknown transaction nobody observed, so it cannot cause a cycle', () => {
    const history = concurrent(
      txn([['rl', 'x', []], ['a', 'x', 1]], 'unknown'),
      txn([['rl', 'x', []], ['a', 'x', 2]]),
      txn([['rl', 'x', [2]]]),
    )
    const result = checkHistory(history)
    expect(result.ok).toBe(true)
    expect(result.stats.included).toBe(2)
  })

  it('finds a cycle through an observed unknown transaction', () => {
    const history = concurrent(
      txn([['rl', 'x', []], ['rl', 'y', []], ['a', 'x', 1]], 'unknown'),
      txn([['rl', 'x', []], ['rl', 'y', []], ['a', 'y', 2]]),
      txn([['rl', 'x', [1]], ['rl', 'y', [2]]]),
    )
    expect(checkHistory(history).counts).toEqual({ G2: 1 })
  })

  it('gives an unknown transaction no real-time successors: it may have committed late', () => {
    const history = serial(
      txn([['a', 'x', 1]], 'unknown'),
      txn([['rl', 'x', []]]),
      txn([['rl', 'x', [1]]]),
    )
    expect(checkHistory(history, { realtime: true }).ok).toBe(true)
  })

  it('reports no G1a for a read of an unknown transaction\'s write', () => {
    const history = concurrent(txn([['w', 'x', 1]], 'unknown'), txn([['r', 'x', 1]]))
    expect(checkHistory(history).ok).toBe(true)
  })
})
