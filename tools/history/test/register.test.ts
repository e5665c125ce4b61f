/**
 * Goal: the read-write-register workload finds what its partial version order can prove, and
 * never more. Method: minimal hand-made histories with unique written values, keys starting nil.
 */
import { describe, expect, it } from 'vitest'
import { checkHistory, explain } from '../src/index.js'
import { concurrent, serial, txn } from './support/build.js'

describe('checkHistory on register histories', () => {
  it('passes a serial history of reads and writes', () => {
    const history = serial(
      txn([['r', 'x', null], ['w', 'x', 1], ['r', 'x', 1]]),
      txn([['r', 'x', 1], ['w', 'x', 2], ['w', 'y', 'a']]),
      txn([['w', 'x', 3]], 'aborted'),
      txn([['r', 'x', 2], ['r', 'y', 'a'], ['w', 'y', 'b']]),
    )
    const result = checkHistory(history, { realtime: true })
    expect(result.ok).toBe(true)
    // ww 1→2 (x: T2 read 1 then wrote 2), 2→4 (y); wr 1→2, 2→4; rw none (T1 read nil, but
    // then wrote x itself).
    expect(result.stats.edgesByType).toMatchObject({ ww: 2, wr: 2, rw: 0 })
  })

  it('finds G1a, G1b and a garbage read', () => {
    const history = concurrent(
      txn([['w', 'x', 1]], 'aborted'),
      txn([['w', 'y', 1], ['w', 'y', 2]]),
      txn([['r', 'x', 1], ['r', 'y', 1], ['r', 'z', 42]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'G1a': 1, 'G1b': 1, 'garbage-read': 1 })
    expect(result.anomalies.map(explain)).toEqual([
      'G1a: T3 read x = 1, written by T1, which aborted',
      'G1b: T3 read y = 1, an intermediate state of T2, which wrote y again',
      'garbage-read: T3 read z = 42, which no transaction wrote',
    ])
  })

  it('finds G1c when two transactions read each other\'s writes', () => {
    const history = concurrent(
      txn([['w', 'x', 1], ['r', 'y', 2]]),
      txn([['w', 'y', 2], ['r', 'x', 1]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G1c: 1 })
    expect(result.anomalies[0]?.transactions).toEqual([1, 2])
  })

  it('finds G0 and G1c when two read-modify-writes cross on two keys', () => {
    // T2 read T1's x and overwrote it (x: 1 < 2); T1 read T2's y and overwrote it (y: 2 < 1).
    // Both the ww cycle and the wr cycle are in the history, so both are reported.
    const history = concurrent(
      txn([['w', 'x', 1], ['r', 'y', 2], ['w', 'y', 1]]),
      txn([['r', 'x', 1], ['w', 'x', 2], ['w', 'y', 2]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G0: 1, G1c: 1 })
    expect(result.anomalies.find((anomaly) => anomaly.type === 'G0')?.edges).toEqual([
      { from: 1, to: 2, type: 'ww', key: 'x' }, { from: 2, to: 1, type: 'ww', key: 'y' }])
  })

  it('finds G-single for read skew against the initial nil', () => {
    const history = concurrent(
      txn([['r', 'x', null], ['r', 'y', 2]]),
      txn([['w', 'x', 1], ['w', 'y', 2]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'G-single': 1 })
    expect(result.anomalies[0]?.edges).toEqual([
      { from: 1, to: 2, type: 'rw', key: 'x' }, { from: 2, to: 1, type: 'wr', key: 'y' }])
  })

  it('finds G-single for read skew against a written version, through writes-follow-reads', () => {
    const history = concurrent(
      txn([['w', 'x', 0], ['w', 'y', 0]]),
      txn([['r', 'x', 0], ['r', 'y', 5]]),
      txn([['r', 'x', 0], ['w', 'x', 5], ['w', 'y', 5]]),
    )
    expect(checkHistory(history).counts).toEqual({ 'G-single': 1 })
    expect(checkHistory(history, { writesFollowReads: false }).ok).toBe(true)
  })

  it('reports a lost update when two transactions read one version and both overwrite it', () => {
    const history = concurrent(
      txn([['w', 'x', 0]]),
      txn([['r', 'x', 0], ['w', 'x', 1]]),
      txn([['r', 'x', 0], ['w', 'x', 2]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ 'lost-update': 1 })
    expect(explain(result.anomalies[0]!))
      .toBe('lost-update: T2, T3 all read x = 0 and then wrote x')
    expect(checkHistory(history, { writesFollowReads: false }).counts).toEqual(
      { 'lost-update': 1 })
  })

  it('reports a lost update of the initial nil', () => {
    const history = concurrent(
      txn([['r', 'x', null], ['w', 'x', 1]]),
      txn([['r', 'x', null], ['w', 'x', 2]]),
    )
    expect(checkHistory(history).anomalies).toMatchObject([
      { type: 'lost-update', transactions: [1, 2], value: null }])
  })

  it('finds G2 for item write skew', () => {
    const history = concurrent(
      txn([['r', 'x', null], ['r', 'y', null], ['w', 'x', 1]]),
      txn([['r', 'x', null], ['r', 'y', null], ['w', 'y', 2]]),
    )
    const result = checkHistory(history)
    expect(result.counts).toEqual({ G2: 1 })
    expect(result.anomalies[0]?.edges).toEqual([
      { from: 1, to: 2, type: 'rw', key: 'y' }, { from: 2, to: 1, type: 'rw', key: 'x' }])
  })

  it('passes write skew\'s shape when the reads are serializable', () => {
    const history = serial(
      txn([['r', 'x', null], ['r', 'y', null], ['w', 'x', 1]]),
      txn([['r', 'x', 1], ['r', 'y', null], ['w', 'y', 2]]),
    )
    expect(checkHistory(history).ok).toBe(true)
  })

  it('reports reads that contradict the transaction\'s own writes', () => {
    const result = checkHistory(serial(
      txn([['w', 'x', 1], ['r', 'x', null]]),
      txn([['r', 'y', 7], ['w', 'y', 7]]),
    ))
    expect(result.anomalies.map(explain)).toEqual([
      'internal: T1 read x = nil after writing 1 to it',
      'internal: T2 read y = 7, a value it only wrote later',
    ])
  })

  it('refuses a history that writes one value twice to a key', () => {
    const history = concurrent(txn([['w', 'x', 1]]), txn([['w', 'x', 1]]))
    expect(() => checkHistory(history)).toThrow(RangeError)
    expect(() => checkHistory(history)).toThrow('x: value 1 is written twice (T1 and T2)')
  })
})
