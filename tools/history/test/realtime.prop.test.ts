/**
 * Goal: the reduced set of real-time edges has exactly the reachability of the full relation
 * "a completed before b began", and only true pairs as edges. Method: random intervals, including
 * transactions that never completed, compared with the quadratic definition.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Transaction } from '../src/index.js'
import { DependencyGraph } from '../src/internal/graph.js'
import { addRealtimeEdges } from '../src/internal/realtime.js'

const intervals = fc.array(fc.record({
  start: fc.integer({ min: 0, max: 40 }),
  length: fc.integer({ min: 0, max: 15 }),
  completed: fc.boolean(),
}), { maxLength: 25 })

describe('addRealtimeEdges', () => {
  let checked = 0
  it('gives the same reachability as the full real-time relation', () => {
    fc.assert(fc.property(intervals, (spans) => {
      const transactions: Transaction[] = spans.map((span, id) => ({
        id, process: null, status: span.completed ? 'committed' : 'unknown',
        invokedAt: span.start, completedAt: span.completed ? span.start + span.length : null,
        operations: [],
      }))
      const graph = new DependencyGraph(transactions.length)
      addRealtimeEdges(transactions, new Uint8Array(transactions.length).fill(1), graph)
      const before = (a: Transaction, b: Transaction) => a.status === 'committed' &&
        a.completedAt !== null && a.completedAt < b.invokedAt
      graph.edgeFrom.forEach((from, edge) => {
        expect(before(transactions[from]!, transactions[graph.edgeTo[edge]!]!)).toBe(true)
      })
      transactions.forEach((a, from) => {
        const reached = new Set([from])
        const pending = [from]
        for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
          for (const edge of graph.outgoing[node] ?? []) {
            const next = graph.edgeTo[edge]!
            if (!reached.has(next)) reached.add(next) && pending.push(next)
          }
        }
        transactions.forEach((b, to) => {
          if (to !== from) expect(reached.has(to)).toBe(before(a, b))
        })
      })
      checked += 1
    }), { numRuns: 300 })
    console.log(`addRealtimeEdges: checked ${checked} random sets of intervals`)
  })
})
