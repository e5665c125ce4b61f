/**
 * The recorded history: transactions, their operations and their outcomes.
 *
 * A history is plain data, so a harness can build one by hand, record one with
 * `HistoryRecorder`, or load one from a file. Invariants the checker relies on (and checks):
 * transaction ids are unique; a key holds either registers (`read`/`write`) or lists
 * (`append`/`read-list`), never both; every written register value and every appended element is
 * unique per key; times come from one logical clock, with `completedAt >= invokedAt`.
 */

/** A register value or list element. Numbers must be finite. */
export type Value = string | number

/** Reads the register `key` and saw `value`; `null` means the key had never been written. */
export interface ReadOperation {
  readonly kind: 'read'
  readonly key: string
  readonly value: Value | null
}

/** Sets the register `key` to `value`; values must be unique per key across the history. */
export interface WriteOperation {
  readonly kind: 'write'
  readonly key: string
  readonly value: Value
}

/** Appends `element` to the list `key`; elements must be unique per key across the history. */
export interface AppendOperation {
  readonly kind: 'append'
  readonly key: string
  readonly element: Value
}

/** Reads the whole list `key` and saw `list`; `null` means the key was absent (an empty list). */
export interface ReadListOperation {
  readonly kind: 'read-list'
  readonly key: string
  readonly list: readonly Value[] | null
}

/** One micro-operation of a transaction, in the order the transaction performed it. */
export type Operation = ReadOperation | WriteOperation | AppendOperation | ReadListOperation

/**
 * How a transaction ended, as the client saw it. `unknown` is an indeterminate outcome (a timeout,
 * a lost connection, a crash before the answer): the transaction may or may not have committed.
 */
export type TransactionStatus = 'committed' | 'aborted' | 'unknown'

/** One transaction of a history. */
export interface Transaction {
  /** Unique within the history. */
  readonly id: number
  /** The client (process, thread, connection) that ran it, or `null` when not tracked. */
  readonly process: number | string | null
  readonly status: TransactionStatus
  /** Logical time at which the client began the transaction. */
  readonly invokedAt: number
  /** Logical time at which the client learnt the outcome; `null` if it never did. */
  readonly completedAt: number | null
  readonly operations: readonly Operation[]
}

/** A whole history: every transaction a workload ran, in any order. */
export type History = readonly Transaction[]
