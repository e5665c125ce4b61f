/**
 * Finds dependency cycles and names them (G0, G1c, G-single, G2 and their -realtime variants).
 *
 * As Adya and Elle do: Tarjan's SCCs of the whole graph first, since every cycle lies inside one
 * strongly connected component; then, inside each component, one concrete cycle per anomaly type,
 * found by breadth-first search restricted to the edge types that type allows, so the cycles are
 * short. Each search is exhaustive (it finds a cycle whenever one of its kind exists in the
 * component), except the G-single search on a component whose condensation is too large for a
 * reachability table: that search then tries edges until `searchEdgeVisitsMax` edge visits and
 * counts itself in `truncatedSearches` if it gave up.
 *
 * Invariants: a reported cycle is a closed walk of graph edges whose type is recomputed from its
 * edges (never taken from the search that found it); a component reports each type at most once;
 * G2 is not searched where a G-single was found (Adya's G2 includes G-single; the single-rw cycle
 * is the sharper explanation), nor G2-realtime where any G-single or G2 was.
 */
import type { CycleAnomalyType } from '../anomaly.js'
import { assert } from './assert.js'
import { ComponentReachability, reachabilityBitsMax } from './reachability.js'
import { maskOf, rt, rw, wr, ww, type DependencyGraph } from './graph.js'
import { SccFinder } from './scc.js'

/** A cycle as graph edge ids, in order. */
export interface FoundCycle {
  readonly type: CycleAnomalyType
  readonly edges: readonly number[]
}

/** What {@link findCycles} found. */
export interface CycleSearchResult {
  readonly cycles: FoundCycle[]
  /** Strongly connected components with more than one transaction. */
  readonly cyclicComponents: number
  /** G-single searches that hit `searchEdgeVisitsMax` and may have missed a cycle. */
  readonly truncatedSearches: number
}

/** Options of {@link findCycles}. */
export interface CycleSearchOptions {
  readonly realtime: boolean
  readonly searchEdgeVisitsMax: number
  /** Largest reachability table, in bits; tests lower it to exercise the bounded search. */
  readonly reachabilityBitsMax?: number
}

/** The anomaly type of a cycle, from the types of its edges. */
export function classifyCycle(graph: DependencyGraph, edges: readonly number[]): CycleAnomalyType {
  let antiDependencies = 0
  let reads = 0
  let realtime = 0
  for (const edge of edges) {
    const type = graph.edgeType[edge]
    if (type === rw) antiDependencies += 1
    if (type === wr) reads += 1
    if (type === rt) realtime += 1
  }
  const base = antiDependencies === 0 ? (reads === 0 ? 'G0' : 'G1c')
    : antiDependencies === 1 ? 'G-single' : 'G2'
  return realtime === 0 ? base : `${base}-realtime`
}

/** Finds the cycles of `graph`: at most one per anomaly type and strongly connected component. */
export function findCycles(graph: DependencyGraph, options: CycleSearchOptions): CycleSearchResult {
  const nodes = Array.from({ length: graph.nodeCount }, (_, node) => node)
  const componentOf = new Int32Array(graph.nodeCount)
  const finder = new SccFinder(graph)
  const mask = options.realtime ? maskOf(ww, wr, rw, rt) : maskOf(ww, wr, rw)
  const components = finder.run(nodes, new Int32Array(graph.nodeCount), 0, mask, componentOf)
  const search = new ComponentSearch(graph, finder, componentOf, options)
  const cycles: FoundCycle[] = []
  let cyclicComponents = 0
  components.forEach((members, component) => {
    if (members.length < 2) return
    cyclicComponents += 1
    cycles.push(...search.inspect(members, component))
  })
  return { cycles, cyclicComponents, truncatedSearches: search.truncatedSearches }
}

interface Budget {
  left: number
  exhausted: boolean
}

/** Cycle searches inside one strongly connected component at a time. */
class ComponentSearch {
  truncatedSearches = 0
  readonly #subComponentOf: Int32Array
  readonly #parentEdge: Int32Array
  readonly #visited: Int32Array
  #epoch = 0
  #nodes: readonly number[] = []
  #component = -1
  #antiDependencies: number[] | null = null

  constructor(
    private readonly graph: DependencyGraph,
    private readonly finder: SccFinder,
    private readonly componentOf: Int32Array,
    private readonly options: CycleSearchOptions,
  ) {
    this.#subComponentOf = new Int32Array(graph.nodeCount)
    this.#parentEdge = new Int32Array(graph.nodeCount)
    this.#visited = new Int32Array(graph.nodeCount)
  }

  /** One cycle of each anomaly type present in the component (see the file comment). */
  inspect(nodes: readonly number[], component: number): FoundCycle[] {
    this.#nodes = nodes
    this.#component = component
    this.#antiDependencies = null
    const found = new Map<CycleAnomalyType, readonly number[]>()
    const record = (edges: readonly number[] | null): void => {
      if (edges === null) return
      const type = classifyCycle(this.graph, edges)
      if (!found.has(type)) found.set(type, edges)
    }
    record(this.#cycleWithin(maskOf(ww), null))
    record(this.#cycleWithin(maskOf(ww, wr), wr))
    record(this.#singleAntiDependency(maskOf(ww, wr)))
    if (!found.has('G-single')) record(this.#cycleWithin(maskOf(ww, wr, rw), rw))
    if (this.options.realtime) {
      if (!found.has('G0')) record(this.#cycleWithin(maskOf(ww, rt), null))
      if (!found.has('G1c')) record(this.#cycleWithin(maskOf(ww, wr, rt), wr))
      if (!found.has('G-single')) record(this.#singleAntiDependency(maskOf(ww, wr, rt)))
      const stronger: CycleAnomalyType[] = ['G-single', 'G-single-realtime', 'G2']
      if (!stronger.some((type) => found.has(type))) {
        record(this.#cycleWithin(maskOf(ww, wr, rw, rt), rw))
      }
    }
    return Array.from(found, ([type, edges]) => ({ type, edges }))
  }

  /** A cycle of `mask` edges holding an edge of type `required` (any type when null). */
  #cycleWithin(mask: number, required: number | null): readonly number[] | null {
    const { edgeTo, edgeType, outgoing } = this.graph
    const sub = this.#subComponentOf
    const components = this.finder.run(this.#nodes, this.componentOf, this.#component, mask, sub)
    const wanted = required === null ? mask : maskOf(required)
    for (const [number, members] of components.entries()) {
      if (members.length < 2) continue
      for (const node of members) {
        for (const edge of outgoing[node] ?? []) {
          const target = edgeTo[edge] ?? -1
          if ((wanted & (1 << (edgeType[edge] ?? 0))) === 0) continue
          if (this.componentOf[target] !== this.#component || sub[target] !== number) continue
          return this.#close(edge, mask)
        }
      }
    }
    return null
  }

  /** A cycle of exactly one rw edge plus `freeMask` edges. */
  #singleAntiDependency(freeMask: number): readonly number[] | null {
    const antiDependencies = this.#internalAntiDependencies()
    if (antiDependencies.length === 0) return null
    const { edgeFrom, edgeTo } = this.graph
    const sub = this.#subComponentOf
    const components = this.finder.run(this.#nodes, this.componentOf, this.#component, freeMask,
      sub)
    const ends = (edge: number): [number, number] =>
      [sub[edgeTo[edge] ?? -1] ?? -1, sub[edgeFrom[edge] ?? -1] ?? -1]
    for (const edge of antiDependencies) {
      const [target, source] = ends(edge)
      if (target === source) return this.#close(edge, freeMask)
    }
    const reach = ComponentReachability.build(this.graph, components, sub, this.componentOf,
      this.#component, freeMask, this.options.reachabilityBitsMax ?? reachabilityBitsMax)
    if (reach !== null) {
      for (const edge of antiDependencies) {
        const [target, source] = ends(edge)
        if (reach.reaches(target, source)) return this.#close(edge, freeMask)
      }
      return null
    }
    return this.#boundedSingleAntiDependency(antiDependencies, freeMask)
  }

  #boundedSingleAntiDependency(edges: readonly number[], freeMask: number): number[] | null {
    const budget: Budget = { left: this.options.searchEdgeVisitsMax, exhausted: false }
    for (const edge of edges) {
      const path = this.#path(this.graph.edgeTo[edge] ?? -1, this.graph.edgeFrom[edge] ?? -1,
        freeMask, budget)
      if (path !== null) return [edge, ...path]
      if (budget.exhausted) {
        this.truncatedSearches += 1
        return null
      }
    }
    return null
  }

  /** The rw edges with both ends in the current component. */
  #internalAntiDependencies(): number[] {
    if (this.#antiDependencies !== null) return this.#antiDependencies
    const edges: number[] = []
    for (const node of this.#nodes) {
      for (const edge of this.graph.outgoing[node] ?? []) {
        if (this.graph.edgeType[edge] !== rw) continue
        if (this.componentOf[this.graph.edgeTo[edge] ?? -1] === this.#component) edges.push(edge)
      }
    }
    this.#antiDependencies = edges
    return edges
  }

  /** `edge` followed by a shortest `mask` path back to its source; the path must exist. */
  #close(edge: number, mask: number): number[] {
    const path = this.#path(this.graph.edgeTo[edge] ?? -1, this.graph.edgeFrom[edge] ?? -1, mask,
      null)
    assert(path !== null, 'a path closes the cycle inside its component')
    return [edge, ...path]
  }

  /** Breadth-first search for a shortest path of `mask` edges inside the current component. */
  #path(source: number, target: number, mask: number, budget: Budget | null): number[] | null {
    const { edgeFrom, edgeTo, edgeType, outgoing } = this.graph
    this.#epoch += 1
    const epoch = this.#epoch
    this.#visited[source] = epoch
    const queue = [source]
    for (let head = 0; head < queue.length; head += 1) {
      for (const edge of outgoing[queue[head] ?? -1] ?? []) {
        if (budget !== null && --budget.left < 0) {
          budget.exhausted = true
          return null
        }
        const next = edgeTo[edge] ?? -1
        if ((mask & (1 << (edgeType[edge] ?? 0))) === 0 || this.#visited[next] === epoch) continue
        if (this.componentOf[next] !== this.#component) continue
        this.#visited[next] = epoch
        this.#parentEdge[next] = edge
        if (next === target) return this.#unwind(source, target, edgeFrom)
        queue.push(next)
      }
    }
    return null
  }

  #unwind(source: number, target: number, edgeFrom: readonly number[]): number[] {
    const path: number[] = []
    for (let node = target; node !== source;) {
      const edge = this.#parentEdge[node] ?? -1
      path.push(edge)
      node = edgeFrom[edge] ?? -1
      assert(path.length <= this.#nodes.length, 'a search path is simple')
    }
    return path.reverse()
  }
}
