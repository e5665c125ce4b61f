/**
 * Goal: each anomaly of the list-append workload is found, with exactly the right type and
 * transactions, and clean histories pass. Method: minimal hand-made histories, one per anomaly,
 * with transactions overlapping in time (`concurrent`) so real-time order plays no part.
 */
import { describe, expect, it } from 'vitest'
import { checkHistory, explain, type CycleAnomaly } from '../src/index.js'
import { concurrent, serial, txn } from './support/build.js'

function cycles(history: Parameters<typeof checkHistory>[0]): CycleAnomaly[] {
  return checkHistory(history).anomalies.filter((a): a is CycleAnomaly => 'edges' in a &&
    a.edges.length > 0)
}

describe('checkHistory on list-append histories', () => {
  it('passes a serial history and counts its transactions and edges', () => {
    const history = serial(
      txn([['rl', 'x', null], ['a', 'x', 1], ['rl', 'x', [1]]]),
      txn([['rl', 'x', [1]], ['a', 'x', 2], ['a', 'y', 3]]),
      txn([['a', 'z', 9]], 'aborted'),
      txn([['rl', 'x', [1, 2]], ['rl', 'y', [3]], ['rl', 'z', []]]),
    )
    const result = checkHistory(history, { realtime: true })
    expect(result.ok).toBe(true)
    expect(result.anomalies).toEqual([])
    expect(result.stats).toMatchObject({ transactions: 4, committed: 3, aborted: 1, included: 3 })
    // ww 1→2 (x); wr 1→2 (x), 2→4 (x and y: one edge per pair and type); rt 1→2, 2→4 (the
    // aborted T3 is not in the graph)
    expect(result.stats.edgesByType).toEqual({ ww: 1, wr: 2, rw: 0, rt: 2 })
  })

  it('finds G0 when two transactions append to two lists in opposite orders', () => {
    const history = concurrent(
      txn([['a', 'x', 1], ['a', 'y', 1]]),
      txn([['a', 'x', 2], ['a', 'y', 2]]),
      txn([['rl', 'x', [1, 2]], ['rl', 'y', [2, 1]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G0: 1 })
    expect(result.anomalies[0]).toEqual({ type: 'G0', transactions: [1, 2], edges: [
      { from: 1, to: 2, type: 'ww', key: 'x' }, { from: 2, to: 1, type: 'ww', key: 'y' }] })
    expect(explain(result.anomalies[0]!)).toBe(
      'G0: T1 -ww x-> T2 -ww y-> T1: a cycle of write dependencies (dirty write)')
  })

  it('finds G1a when a committed read sees an aborted append', () => {
    const history = concurrent(txn([['a', 'x', 1]], 'aborted'), txn([['rl', 'x', [1]]]))
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G1a: 1 })
    expect(result.anomalies[0]).toMatchObject({ type: 'G1a', transactions: [1, 2], writer: 1,
      reader: 2, key: 'x', value: 1 })
    expect(explain(result.anomalies[0]!)).toBe('G1a: T2 read x = 1, written by T1, which aborted')
  })

  it('finds G1b when a read sees only the first of two appends of one transaction', () => {
    const history = concurrent(
      txn([['a', 'x', 1], ['a', 'x', 2]]),
      txn([['rl', 'x', [1]]]),
      txn([['rl', 'x', [1, 2]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G1b: 1 })
    expect(result.anomalies[0]).toMatchObject({ type: 'G1b', writer: 1, reader: 2, value: 1 })
  })

  it('finds G1c when two transactions each read the other one\'s append', () => {
    const history = concurrent(
      txn([['a', 'x', 1], ['rl', 'y', [2]]]),
      txn([['a', 'y', 2], ['rl', 'x', [1]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G1c: 1 })
    expect(cycles(history)[0]?.edges).toEqual([
      { from: 1, to: 2, type: 'wr', key: 'x' }, { from: 2, to: 1, type: 'wr', key: 'y' }])
  })

  it('finds G-single for read skew: one list read before, the other after, a writer', () => {
    const history = concurrent(
      txn([['rl', 'x', []], ['rl', 'y', [2]]]),
      txn([['a', 'x', 1], ['a', 'y', 2]]),
      txn([['rl', 'x', [1]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'G-single': 1 })
    expect(result.anomalies[0]).toEqual({ type: 'G-single', transactions: [1, 2], edges: [
      { from: 1, to: 2, type: 'rw', key: 'x' }, { from: 2, to: 1, type: 'wr', key: 'y' }] })
  })

  it('finds G-single for a lost update: two appends that both read the empty list', () => {
    const history = concurrent(
      txn([['rl', 'x', []], ['a', 'x', 1]]),
      txn([['rl', 'x', []], ['a', 'x', 2]]),
      txn([['rl', 'x', [1, 2]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'G-single': 1 })
    expect(result.anomalies[0]).toEqual({ type: 'G-single', transactions: [1, 2], edges: [
      { from: 1, to: 2, type: 'ww', key: 'x' }, { from: 2, to: 1, type: 'rw', key: 'x' }] })
  })

  it('finds G2 for write skew: each transaction reads both lists and appends to one', () => {
    const history = concurrent(
      txn([['rl', 'x', []], ['rl', 'y', []], ['a', 'x', 1]]),
      txn([['rl', 'x', []], ['rl', 'y', []], ['a', 'y', 2]]),
      txn([['rl', 'x', [1]], ['rl', 'y', [2]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G2: 1 })
    expect(result.anomalies[0]).toEqual({ type: 'G2', transactions: [1, 2], edges: [
      { from: 1, to: 2, type: 'rw', key: 'y' }, { from: 2, to: 1, type: 'rw', key: 'x' }] })
  })

  it('finds G2 through three transactions and three lists', () => {
    const history = concurrent(
      txn([['rl', 'y', []], ['a', 'x', 1]]),
      txn([['rl', 'z', []], ['a', 'y', 2]]),
      txn([['rl', 'x', []], ['a', 'z', 3]]),
      txn([['rl', 'x', [1]], ['rl', 'y', [2]], ['rl', 'z', [3]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G2: 1 })
    expect(result.anomalies[0]?.transactions).toEqual([1, 2, 3])
  })

  it('reports each strongly connected component apart', () => {
    const skew = (base: number, a: string, b: string) => [
      txn([['rl', a, []], ['rl', b, []], ['a', a, base]]),
      txn([['rl', a, []], ['rl', b, []], ['a', b, base + 1]]),
      txn([['rl', a, [base]], ['rl', b, [base + 1]]]),
    ]
    const result = checkHistory(concurrent(...skew(10, 'p', 'q'), ...skew(20, 'r', 's')))
    expect(result.counts).toEqual({ G2: 2 })
    expect(result.stats.cyclicComponents).toBe(2)
    expect(result.anomalies.map((anomaly) => anomaly.transactions)).toEqual([[1, 2], [4, 5]])
  })

  it('reports an incompatible order and infers no ww or rw edges for that key', () => {
    const history = concurrent(
      txn([['a', 'x', 1]]),
      txn([['a', 'x', 2]]),
      txn([['rl', 'x', [1, 2]]]),
      txn([['rl', 'x', [2, 1]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'incompatible-order': 1 })
    expect(result.anomalies[0]).toMatchObject({ transactions: [4, 3], list: [2, 1],
      other: [1, 2] })
    expect(explain(result.anomalies[0]!)).toBe(
      'incompatible-order: T4 read x = [2 1], not a prefix of [1 2] read by T3')
    expect(result.stats.edgesByType).toMatchObject({ ww: 0, rw: 0 })
  })

  it('reports a garbage read of an element nobody appended', () => {
    const result = checkHistory(concurrent(txn([['a', 'x', 1]]), txn([['rl', 'x', [1, 99]]])))
    expect(result.counts).toEqual({ 'garbage-read': 1 })
    expect(result.anomalies[0]).toMatchObject({ transactions: [2], writer: null, value: 99 })
  })

  it('reports a list read holding one element twice', () => {
    const result = checkHistory(concurrent(txn([['a', 'x', 1]]), txn([['rl', 'x', [1, 1]]])))
    expect(result.counts).toEqual({ 'duplicate-element': 1 })
    expect(explain(result.anomalies[0]!)).toBe(
      'duplicate-element: T2 read x = [1 1], which holds 1 twice')
  })

  it('reports a transaction that does not see its own append', () => {
    const result = checkHistory(serial(txn([['a', 'x', 1], ['rl', 'x', []]])))
    expect(result.counts).toEqual({ internal: 1 })
    expect(result.anomalies[0]).toMatchObject({ reason: 'own-write-not-visible', observed: [],
      expected: [1] })
  })

  it('reports a transaction that reads its own append before making it', () => {
    const result = checkHistory(serial(txn([['rl', 'x', [1]], ['a', 'x', 1]])))
    expect(result.counts).toEqual({ internal: 1 })
    expect(result.anomalies[0]).toMatchObject({ reason: 'future-read', transactions: [1] })
  })

  it('ignores what aborted transactions read', () => {
    const history = concurrent(txn([['rl', 'x', [5, 5]], ['rl', 'y', [7]]], 'aborted'))
    expect(checkHistory(history).ok).toBe(true)
  })

  it('strips a transaction\'s own appends from its reads before inferring the order', () => {
    // T2 read [1] plus its own 3 while T1 appended 2: x = [1 2 3]; T2's read did not see 2, so
    // T2 -rw-> T? and ww edges close a lost-update cycle.
    const history = concurrent(
      txn([['a', 'x', 1]]),
      txn([['rl', 'x', [1]], ['a', 'x', 3], ['rl', 'x', [1, 3]]]),
      txn([['rl', 'x', [1]], ['a', 'x', 2]]),
      txn([['rl', 'x', [1, 2, 3]]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'G-single': 1 })
    expect(result.anomalies[0]?.edges).toEqual([
      { from: 2, to: 3, type: 'rw', key: 'x' }, { from: 3, to: 2, type: 'ww', key: 'x' }])
  })
})
