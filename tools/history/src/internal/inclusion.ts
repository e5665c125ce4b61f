/**
 * Decides which transactions the dependency graph holds: every committed transaction, and every
 * transaction with an unknown outcome whose writes some included transaction read (it must have
 * committed, or that read is itself an anomaly we cannot attribute). An unknown transaction nobody
 * observed is left out: "it aborted" explains it, so leaving it out never invents an anomaly.
 *
 * Invariant of the result: `included[i]` is 1 exactly for the transactions above, 0 otherwise;
 * aborted transactions are never included.
 */
import type { Operation, Value } from '../history.js'
import { writerOfValue, type HistoryIndex, type ListKey,
  type RegisterKey } from './history-index.js'

function readValues(operation: Operation, visit: (value: Value) => void): void {
  if (operation.kind === 'read' && operation.value !== null) visit(operation.value)
  if (operation.kind === 'read-list' && operation.list !== null) {
    for (const element of operation.list) visit(element)
  }
}

/** The keys some transaction with an unknown outcome wrote: the only ones worth following. */
function keysWithUnknownWriters(index: HistoryIndex): Map<string, RegisterKey | ListKey> {
  const found = new Map<string, RegisterKey | ListKey>()
  for (const transaction of index.transactions) {
    if (transaction.status !== 'unknown') continue
    for (const { kind, key } of transaction.operations) {
      if (kind !== 'write' && kind !== 'append') continue
      const entry = index.keys.get(key)
      if (entry !== undefined) found.set(key, entry)
    }
  }
  return found
}

/** Marks the transactions of the dependency graph, following reads to a fixpoint. */
export function includedTransactions(index: HistoryIndex): Uint8Array {
  const { transactions } = index
  const included = new Uint8Array(transactions.length)
  const pending: number[] = []
  transactions.forEach((transaction, position) => {
    if (transaction.status !== 'committed') return
    included[position] = 1
    pending.push(position)
  })
  const keys = keysWithUnknownWriters(index)
  if (keys.size === 0) return included
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const transaction = transactions[next]
    if (transaction === undefined) continue
    for (const operation of transaction.operations) {
      const entry = keys.get(operation.key)
      if (entry === undefined) continue
      readValues(operation, (value) => {
        const writer = writerOfValue(entry, value)
        if (writer === undefined || included[writer] === 1) return
        if (transactions[writer]?.status !== 'unknown') return
        included[writer] = 1
        pending.push(writer)
      })
    }
  }
  return included
}
