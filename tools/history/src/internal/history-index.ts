/**
 * Validates a history and indexes who wrote what.
 *
 * Invariants of the result: `transactions[i]` is the i-th transaction of the input and every
 * internal structure names transactions by that index (never by id); each key has one kind;
 * values are unique per key (checked here), so each written value has one writer: `writers`
 * maps a register value to it; a list numbers its elements 0, 1, 2, … (`ordinals`, in history
 * order) and `writerOf` maps an ordinal to its writer, so that per-element bookkeeping can use
 * arrays. `finalValue` holds each transaction's last write to a register, `appendCount` how many
 * elements each transaction appended to a list.
 */
import type { History, Operation, Transaction, Value } from '../history.js'
import { isValue, isValueList } from './values.js'

/** Writers of one register key. */
export interface RegisterKey {
  readonly kind: 'register'
  readonly writers: Map<Value, number>
  readonly finalValue: Map<number, Value>
}

/** Writers of one list key. */
export interface ListKey {
  readonly kind: 'list'
  /** Each appended element's number. */
  readonly ordinals: Map<Value, number>
  /** The writer of each element number. */
  readonly writerOf: number[]
  readonly appendCount: Map<number, number>
}

/** The transaction that wrote `value` to the key, if any. */
export function writerOfValue(entry: RegisterKey | ListKey, value: Value): number | undefined {
  if (entry.kind === 'register') return entry.writers.get(value)
  const ordinal = entry.ordinals.get(value)
  return ordinal === undefined ? undefined : entry.writerOf[ordinal]
}

/** The validated history with its write index. */
export interface HistoryIndex {
  readonly transactions: readonly Transaction[]
  readonly keys: ReadonlyMap<string, RegisterKey | ListKey>
}

const statuses = new Set(['committed', 'aborted', 'unknown'])

/**
 * Validates `history` and indexes its writes.
 * @throws TypeError when the history is malformed; RangeError when a value is written twice to a
 * key or a key is used both as a register and as a list.
 */
export function indexHistory(history: History): HistoryIndex {
  if (!Array.isArray(history)) throw new TypeError('history must be an array of transactions')
  const ids = new Map<number, number>()
  const keys = new Map<string, RegisterKey | ListKey>()
  history.forEach((transaction: Transaction, index) => {
    validateTransaction(transaction, index)
    const previous = ids.get(transaction.id)
    if (previous !== undefined) {
      throw new TypeError(`transactions ${previous} and ${index} share id ${transaction.id}`)
    }
    ids.set(transaction.id, index)
    for (const operation of transaction.operations) {
      validateOperation(operation, transaction.id)
      indexOperation(keys, operation, index, history)
    }
  })
  return { transactions: history, keys }
}

function validateTransaction(transaction: Transaction, index: number): void {
  if (typeof transaction !== 'object' || transaction === null) {
    throw new TypeError(`history[${index}] is not a transaction`)
  }
  const { id, status, invokedAt, completedAt, operations } = transaction
  if (!Number.isSafeInteger(id)) throw new TypeError(`history[${index}].id is not an integer`)
  if (!statuses.has(status)) throw new TypeError(`T${id}: status ${String(status)} is unknown`)
  if (!Number.isFinite(invokedAt)) throw new TypeError(`T${id}: invokedAt is not a number`)
  if (completedAt !== null) {
    if (!Number.isFinite(completedAt)) throw new TypeError(`T${id}: completedAt is not a number`)
    if (completedAt < invokedAt) throw new RangeError(`T${id}: completedAt is before invokedAt`)
  }
  if (!Array.isArray(operations)) throw new TypeError(`T${id}: operations is not an array`)
}

function validateOperation(operation: Operation, id: number): void {
  if (typeof operation !== 'object' || operation === null) {
    throw new TypeError(`T${id}: an operation is not an object`)
  }
  if (typeof operation.key !== 'string') throw new TypeError(`T${id}: a key is not a string`)
  const where = `T${id} ${operation.kind} ${operation.key}`
  switch (operation.kind) {
    case 'read':
      if (operation.value !== null && !isValue(operation.value)) {
        throw new TypeError(`${where}: value is invalid`)
      }
      return
    case 'write':
      if (!isValue(operation.value)) throw new TypeError(`${where}: value is invalid`)
      return
    case 'append':
      if (!isValue(operation.element)) throw new TypeError(`${where}: element is invalid`)
      return
    case 'read-list':
      if (operation.list !== null && !isValueList(operation.list)) {
        throw new TypeError(`${where}: list is not an array of values`)
      }
      return
    default:
      throw new TypeError(`T${id}: operation kind ${String((operation as Operation).kind)}`)
  }
}

function keyOf(
  keys: Map<string, RegisterKey | ListKey>,
  key: string,
  kind: 'register' | 'list',
): RegisterKey | ListKey {
  let entry = keys.get(key)
  if (entry === undefined) {
    entry = kind === 'register'
      ? { kind, writers: new Map(), finalValue: new Map() }
      : { kind, ordinals: new Map(), writerOf: [], appendCount: new Map() }
    keys.set(key, entry)
  }
  if (entry.kind !== kind) {
    throw new RangeError(`key ${key} is used both as a register and as a list`)
  }
  return entry
}

function indexOperation(
  keys: Map<string, RegisterKey | ListKey>,
  operation: Operation,
  index: number,
  history: History,
): void {
  const kind = operation.kind === 'read' || operation.kind === 'write' ? 'register' : 'list'
  const entry = keyOf(keys, operation.key, kind)
  if (operation.kind !== 'write' && operation.kind !== 'append') return
  const value = operation.kind === 'write' ? operation.value : operation.element
  const writer = writerOfValue(entry, value)
  if (writer !== undefined) {
    const first = history[writer]?.id
    const second = history[index]?.id
    throw new RangeError(`${operation.key}: value ${String(value)} is written twice ` +
      `(T${first} and T${second}); the checker needs unique values per key`)
  }
  if (entry.kind === 'register') {
    entry.writers.set(value, index)
    entry.finalValue.set(index, value)
  } else {
    entry.ordinals.set(value, entry.writerOf.length)
    entry.writerOf.push(index)
    entry.appendCount.set(index, (entry.appendCount.get(index) ?? 0) + 1)
  }
}
