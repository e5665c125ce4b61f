/**
 * Real-time order edges: `a -rt-> b` when a completed (committed) before b was invoked.
 *
 * The full relation is quadratic, so we add a subset with the same reachability: sweep the events
 * in time order keeping a frontier of completed transactions none of which precedes another
 * frontier member; each invocation gets an edge from every frontier member, and each completion
 * replaces the members its transaction already follows. Any a completed before b began is then
 * joined to b by a path of rt edges. Invariants: only included transactions take part; a
 * transaction without a known completion (unknown outcome) has no outgoing rt edge; a completion
 * and an invocation at the same time are not ordered.
 */
import type { Transaction } from '../history.js'
import { rt, type DependencyGraph } from './graph.js'

/** Adds rt edges among the included transactions. */
export function addRealtimeEdges(
  transactions: readonly Transaction[],
  included: Uint8Array,
  graph: DependencyGraph,
): void {
  // [time, 0 = invocation | 1 = completion, transaction index]
  const events: [number, number, number][] = []
  transactions.forEach((transaction, position) => {
    if (included[position] !== 1) return
    events.push([transaction.invokedAt, 0, position])
    if (transaction.status === 'committed' && transaction.completedAt !== null) {
      events.push([transaction.completedAt, 1, position])
    }
  })
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const frontier = new Set<number>()
  const predecessors = new Map<number, number[]>()
  for (const [, kind, position] of events) {
    if (kind === 0) {
      const before = Array.from(frontier)
      for (const predecessor of before) graph.add(predecessor, position, rt, null)
      predecessors.set(position, before)
    } else {
      for (const predecessor of predecessors.get(position) ?? []) frontier.delete(predecessor)
      predecessors.delete(position)
      frontier.add(position)
    }
  }
}
