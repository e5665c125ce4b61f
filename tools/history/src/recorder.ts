/**
 * HistoryRecorder: what a test harness calls while it runs transactions, to build a History.
 *
 * Time is a logical clock, a counter the recorder advances by one at every `begin` and every
 * outcome (`commit`, `abort`, `unknown`), so the recorded times order those events exactly as the
 * harness performed them. Invariants: every transaction gets a distinct id (1, 2, 3, …) and a
 * distinct `invokedAt`; an outcome is recorded at most once, and nothing is recorded after it.
 */
import type { Operation, Transaction, TransactionStatus, Value } from './history.js'
import { isValue, isValueList } from './internal/values.js'

/**
 * One transaction being recorded. Record each operation after the store answered it, with the
 * value the store returned; then record the outcome exactly once.
 */
export interface TransactionRecorder {
  /** The id this transaction has in the history. */
  readonly id: number
  readonly process: number | string | null
  readonly invokedAt: number
  /** `open` until an outcome is recorded. */
  readonly state: 'open' | TransactionStatus
  /** Records a register read that returned `value` (`null`: never written). */
  read(key: string, value: Value | null): this
  /** Records a register write of `value`, which must be unique for `key` in the history. */
  write(key: string, value: Value): this
  /** Records an append of `element`, which must be unique for `key` in the history. */
  append(key: string, element: Value): this
  /** Records a list read that returned `list` (`null`: absent); the list is copied. */
  readList(key: string, list: readonly Value[] | null): this
  /** Records that the store acknowledged the commit. */
  commit(): void
  /** Records that the transaction aborted (by the client or by the store). */
  abort(): void
  /** Records an indeterminate outcome: the transaction may or may not have committed. */
  unknown(): void
}

class RecordingTransaction implements TransactionRecorder {
  state: 'open' | TransactionStatus = 'open'
  completedAt: number | null = null
  readonly operations: Operation[] = []

  constructor(
    private readonly clock: () => number,
    readonly id: number,
    readonly process: number | string | null,
    readonly invokedAt: number,
  ) {}

  read(key: string, value: Value | null): this {
    this.#checkOpen(key)
    if (value !== null && !isValue(value)) throw new TypeError(`read value of ${key} is invalid`)
    this.operations.push({ kind: 'read', key, value })
    return this
  }

  write(key: string, value: Value): this {
    this.#checkOpen(key)
    if (!isValue(value)) throw new TypeError(`written value of ${key} is invalid`)
    this.operations.push({ kind: 'write', key, value })
    return this
  }

  append(key: string, element: Value): this {
    this.#checkOpen(key)
    if (!isValue(element)) throw new TypeError(`appended element of ${key} is invalid`)
    this.operations.push({ kind: 'append', key, element })
    return this
  }

  readList(key: string, list: readonly Value[] | null): this {
    this.#checkOpen(key)
    if (list !== null && !isValueList(list)) {
      throw new TypeError(`read list of ${key} is not an array of values`)
    }
    this.operations.push({ kind: 'read-list', key, list: list === null ? null : list.slice() })
    return this
  }

  commit(): void {
    this.#finish('committed')
  }

  abort(): void {
    this.#finish('aborted')
  }

  unknown(): void {
    this.#finish('unknown')
  }

  snapshot(): Transaction {
    return {
      id: this.id,
      process: this.process,
      status: this.state === 'open' ? 'unknown' : this.state,
      invokedAt: this.invokedAt,
      completedAt: this.completedAt,
      operations: this.operations.slice(),
    }
  }

  #finish(status: TransactionStatus): void {
    this.#checkOpen(null)
    this.state = status
    this.completedAt = this.clock()
  }

  #checkOpen(key: string | null): void {
    if (this.state !== 'open') {
      throw new TypeError(`transaction ${this.id} is already ${this.state}`)
    }
    if (key !== null && typeof key !== 'string') throw new TypeError('key must be a string')
  }
}

/**
 * Records a history as a harness runs transactions, with times from a logical clock.
 *
 * Guarantees: ids are 1, 2, 3, … in `begin` order; `invokedAt` and `completedAt` are distinct
 * ticks of one counter, so transaction A completed before B began exactly when
 * `A.completedAt < B.invokedAt`. Not thread-safe (JavaScript has one thread anyway).
 *
 * @example
 * ```ts
 * const recorder = new HistoryRecorder()
 * const t = recorder.begin('client-1')
 * t.readList('x', await txn.get('x'))
 * t.append('x', 7)
 * await txn.commit(); t.commit()
 * const result = checkHistory(recorder.history())
 * ```
 */
export class HistoryRecorder {
  #time = 0
  #nextId = 1
  readonly #transactions: RecordingTransaction[] = []

  /** The current logical time: the tick of the last recorded event (0 before any). */
  now(): number {
    return this.#time
  }

  /**
   * Begins recording a transaction at the next tick.
   * @throws TypeError when `process` is neither a string nor a number.
   */
  begin(process?: number | string): TransactionRecorder {
    if (process !== undefined && typeof process !== 'string' && typeof process !== 'number') {
      throw new TypeError('process must be a string or a number')
    }
    const clock = (): number => this.#tick()
    const transaction = new RecordingTransaction(clock, this.#nextId, process ?? null, clock())
    this.#nextId += 1
    this.#transactions.push(transaction)
    return transaction
  }

  /**
   * A snapshot of everything recorded so far, in `begin` order. A transaction still open has
   * status `unknown` and `completedAt: null`: a crash may or may not have committed it.
   */
  history(): Transaction[] {
    return this.#transactions.map((transaction) => transaction.snapshot())
  }

  #tick(): number {
    this.#time += 1
    return this.#time
  }
}
