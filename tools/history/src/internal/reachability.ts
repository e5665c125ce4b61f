/**
 * Reachability between the components of a condensed subgraph, as one bitset row per component.
 *
 * Built from SccFinder output, whose reverse topological order means every component an edge
 * leads to already has its row when the component it leaves is processed: one pass, costing
 * (edges between components) × (components / 32) word operations. Invariant: bit `to` of row
 * `from` is set exactly when component `to` is reachable from component `from` (or equal to it).
 */
import type { DependencyGraph } from './graph.js'

/** Above this many bits (32 MiB) the caller falls back to bounded searches. */
export const reachabilityBitsMax = 2 ** 28

/** Which components reach which. */
export class ComponentReachability {
  readonly #words: number
  readonly #bits: Uint32Array

  private constructor(componentCount: number) {
    this.#words = Math.ceil(componentCount / 32)
    this.#bits = new Uint32Array(this.#words * componentCount)
  }

  /**
   * Builds the table, or returns `null` when it would exceed `bitsMax` bits.
   * REQUIRES: `components` and `componentOf` come from one SccFinder run with the same scope
   * and mask.
   */
  static build(
    graph: DependencyGraph,
    components: readonly (readonly number[])[],
    componentOf: Int32Array,
    scope: Int32Array,
    scopeId: number,
    mask: number,
    bitsMax: number = reachabilityBitsMax,
  ): ComponentReachability | null {
    const count = components.length
    if (count * count > bitsMax) return null
    const table = new ComponentReachability(count)
    const words = table.#words
    const bits = table.#bits
    components.forEach((members, component) => {
      const row = component * words
      const own = row + (component >>> 5)
      bits[own] = (bits[own] ?? 0) | (1 << (component & 31))
      for (const node of members) {
        for (const edge of graph.outgoing[node] ?? []) {
          const target = graph.edgeTo[edge] ?? -1
          if ((mask & (1 << (graph.edgeType[edge] ?? 0))) === 0) continue
          if (scope[target] !== scopeId) continue
          const next = componentOf[target] ?? component
          if (next === component) continue
          const other = next * words
          for (let word = 0; word < words; word += 1) {
            bits[row + word] = (bits[row + word] ?? 0) | (bits[other + word] ?? 0)
          }
        }
      }
    })
    return table
  }

  /** Whether component `to` is reachable from component `from`. */
  reaches(from: number, to: number): boolean {
    const word = this.#bits[from * this.#words + (to >>> 5)] ?? 0
    return (word & (1 << (to & 31))) !== 0
  }
}
