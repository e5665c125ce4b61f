/**
 * Collects the non-cycle anomalies found while reading the history, translating transaction
 * indices into history ids. Invariant: a read anomaly is reported once per (type, reader, key,
 * value), however many times the reader repeated the read.
 */
import type { Anomaly, InternalAnomaly, ReadAnomaly } from '../anomaly.js'
import type { Transaction, Value } from '../history.js'
import { assert } from './assert.js'

/** Builds anomalies from transaction indices. */
export class Reporter {
  readonly anomalies: Anomaly[] = []
  readonly #seen = new Set<string>()

  constructor(private readonly transactions: readonly Transaction[]) {}

  /** The history id of the transaction at `index`. */
  id(index: number): number {
    const transaction = this.transactions[index]
    assert(transaction !== undefined, 'transaction index is in range')
    return transaction.id
  }

  /** Reports a G1a, G1b or garbage read; `writer` is `null` for garbage. */
  read(
    type: ReadAnomaly['type'],
    key: string,
    value: Value,
    reader: number,
    writer: number | null,
  ): void {
    if (type === 'garbage-read') assert(writer === null, 'a garbage read has no writer')
    const identity = `${type}\u0000${reader}\u0000${key}\u0000${typeof value}:${value}`
    if (this.#seen.has(identity)) return
    this.#seen.add(identity)
    const readerId = this.id(reader)
    const writerId = writer === null ? null : this.id(writer)
    this.anomalies.push({
      type,
      transactions: writerId === null ? [readerId] : [writerId, readerId],
      edges: [],
      key,
      value,
      reader: readerId,
      writer: writerId,
    })
  }

  /** Reports a transaction that contradicted its own writes. */
  internal(
    transaction: number,
    key: string,
    reason: InternalAnomaly['reason'],
    observed: InternalAnomaly['observed'],
    expected: InternalAnomaly['expected'],
  ): void {
    const id = this.id(transaction)
    this.anomalies.push({ type: 'internal', transactions: [id], edges: [], key, reason, observed,
      expected })
  }

  /** Reports transactions that all read `value` of `key` and then wrote `key`. */
  lostUpdate(key: string, value: Value | null, writers: readonly number[]): void {
    const transactions = writers.map((writer) => this.id(writer))
    this.anomalies.push({ type: 'lost-update', transactions, edges: [], key, value })
  }

  /** Reports a list read holding `element` twice. */
  duplicate(transaction: number, key: string, element: Value, list: readonly Value[]): void {
    const id = this.id(transaction)
    this.anomalies.push({ type: 'duplicate-element', transactions: [id], edges: [], key, element,
      list })
  }

  /** Reports a list read that is not a prefix of the longest read of its key. */
  incompatible(
    key: string,
    reader: number,
    list: readonly Value[],
    otherReader: number,
    other: readonly Value[],
  ): void {
    this.anomalies.push({
      type: 'incompatible-order',
      transactions: [this.id(reader), this.id(otherReader)],
      edges: [],
      key,
      list,
      other,
    })
  }
}
