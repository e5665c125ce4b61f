/**
 * Goal: the cycle search reports a type in a component exactly when a cycle of that type exists
 * there (under the reporting rules of cycles.ts), and every cycle it reports is a real closed
 * walk of the right type. Method: random small typed graphs, compared with a brute force that
 * enumerates every simple cycle; run once with the reachability table and once with the bounded
 * search that replaces it on huge components.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyCycle, findCycles } from '../src/internal/cycles.js'
import { DependencyGraph, maskOf, rt, rw, wr, ww } from '../src/internal/graph.js'

interface Shape {
  readonly nodeCount: number
  readonly edges: readonly { from: number; to: number; type: number }[]
}

const shapes = fc.integer({ min: 2, max: 6 }).chain((nodeCount) => fc.record({
  nodeCount: fc.constant(nodeCount),
  edges: fc.array(fc.record({
    from: fc.integer({ min: 0, max: nodeCount - 1 }),
    to: fc.integer({ min: 0, max: nodeCount - 1 }),
    type: fc.constantFrom(ww, wr, rw, rt),
  }), { maxLength: 14 }),
}))

function build(shape: Shape): DependencyGraph {
  const graph = new DependencyGraph(shape.nodeCount)
  for (const { from, to, type } of shape.edges) {
    // Real time is a partial order: its edges only go forward.
    if (type === rt && from >= to) continue
    graph.add(from, to, type, type === rt ? null : 'k')
  }
  return graph
}

/** Every simple cycle, as edge ids, each found once (from its smallest node). */
function simpleCycles(graph: DependencyGraph, mask: number): number[][] {
  const cycles: number[][] = []
  const walk = (start: number, node: number, path: number[], seen: Set<number>): void => {
    for (const edge of graph.outgoing[node] ?? []) {
      if ((mask & (1 << (graph.edgeType[edge] ?? 0))) === 0) continue
      const next = graph.edgeTo[edge] ?? -1
      if (next === start) cycles.push([...path, edge])
      if (next <= start || seen.has(next)) continue
      seen.add(next)
      walk(start, next, [...path, edge], seen)
      seen.delete(next)
    }
  }
  for (let start = 0; start < graph.nodeCount; start += 1) walk(start, start, [], new Set([start]))
  return cycles
}

/** Each node's strongly connected component, named by its smallest member. */
function components(graph: DependencyGraph, mask: number): number[] {
  const n = graph.nodeCount
  const reach = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => a === b))
  graph.edgeFrom.forEach((from, edge) => {
    if ((mask & (1 << (graph.edgeType[edge] ?? 0))) !== 0) reach[from]![graph.edgeTo[edge]!] = true
  })
  for (let k = 0; k < n; k += 1) {
    for (let a = 0; a < n; a += 1) {
      for (let b = 0; b < n; b += 1) if (reach[a]![k] && reach[k]![b]) reach[a]![b] = true
    }
  }
  return Array.from({ length: n }, (_, a) => {
    for (let b = 0; b < n; b += 1) if (reach[a]![b] && reach[b]![a]) return b
    return a
  })
}

function expected(graph: DependencyGraph, realtime: boolean): Set<string> {
  const mask = realtime ? maskOf(ww, wr, rw, rt) : maskOf(ww, wr, rw)
  const component = components(graph, mask)
  const byComponent = new Map<number, { rw: number; wr: number; rt: number }[]>()
  for (const cycle of simpleCycles(graph, mask)) {
    const count = (type: number) => cycle.filter((edge) => graph.edgeType[edge] === type).length
    const key = component[graph.edgeFrom[cycle[0]!]!]!
    byComponent.set(key, [...byComponent.get(key) ?? [], { rw: count(rw), wr: count(wr),
      rt: count(rt) }])
  }
  const types = new Set<string>()
  for (const [key, cycles] of byComponent) {
    const has = (test: (c: { rw: number; wr: number; rt: number }) => boolean) => cycles.some(test)
    const g0 = has((c) => c.rw === 0 && c.wr === 0 && c.rt === 0)
    const g1c = has((c) => c.rw === 0 && c.wr > 0 && c.rt === 0)
    const single = has((c) => c.rw === 1 && c.rt === 0)
    const g2 = !single && has((c) => c.rw >= 2 && c.rt === 0)
    const found: [string, boolean][] = [['G0', g0], ['G1c', g1c], ['G-single', single],
      ['G2', g2]]
    if (realtime) {
      const singleRealtime = !single && has((c) => c.rw === 1 && c.rt > 0)
      found.push(['G0-realtime', !g0 && has((c) => c.rw === 0 && c.wr === 0 && c.rt > 0)])
      found.push(['G1c-realtime', !g1c && has((c) => c.rw === 0 && c.wr > 0 && c.rt > 0)])
      found.push(['G-single-realtime', singleRealtime])
      found.push(['G2-realtime', !single && !singleRealtime && !g2 &&
        has((c) => c.rw >= 2 && c.rt > 0)])
    }
    for (const [type, present] of found) if (present) types.add(`${key} ${type}`)
  }
  return types
}

function checkCycle(graph: DependencyGraph, edges: readonly number[], realtime: boolean): void {
  edges.forEach((edge, position) => {
    const next = edges[(position + 1) % edges.length]!
    expect(graph.edgeTo[edge]).toBe(graph.edgeFrom[next])
    if (!realtime) expect(graph.edgeType[edge]).not.toBe(rt)
  })
}

describe('findCycles', () => {
  let graphs = 0
  let cyclic = 0
  for (const realtime of [false, true]) {
    for (const reachabilityBitsMax of [2 ** 28, 0]) {
      const search = reachabilityBitsMax === 0 ? 'bounded search' : 'reachability table'
      it(`matches a brute force on small graphs (realtime ${realtime}, ${search})`, () => {
        fc.assert(fc.property(shapes, (shape) => {
          const graph = build(shape)
          const result = findCycles(graph, { realtime, searchEdgeVisitsMax: 1_000_000,
            reachabilityBitsMax })
          const mask = realtime ? maskOf(ww, wr, rw, rt) : maskOf(ww, wr, rw)
          const component = components(graph, mask)
          const actual = new Set<string>()
          for (const cycle of result.cycles) {
            checkCycle(graph, cycle.edges, realtime)
            expect(classifyCycle(graph, cycle.edges)).toBe(cycle.type)
            actual.add(`${component[graph.edgeFrom[cycle.edges[0]!]!]} ${cycle.type}`)
          }
          expect(actual).toEqual(expected(graph, realtime))
          expect(result.truncatedSearches).toBe(0)
          graphs += 1
          if (actual.size > 0) cyclic += 1
        }), { numRuns: 400 })
      })
    }
  }
  it('printed how many graphs it compared', () => {
    console.log(`findCycles: compared ${graphs} random graphs with a brute force, ` +
      `${cyclic} of them with anomalies`)
    expect(graphs).toBe(1600)
  })
})
