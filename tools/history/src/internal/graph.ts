/**
 * The dependency graph: nodes are transaction indices, edges are typed (ww, wr, rw, rt) and keyed.
 *
 * Stored as parallel arrays of edges plus one adjacency list of edge ids per node, so every search
 * walks only the edges it needs. Invariants: no self-loops; at most one edge per (from, to, type):
 * the first key that produced it explains it, further keys add nothing to any cycle.
 */
import { assert } from './assert.js'

/** Edge type codes; bit `1 << code` of a mask admits the type. */
export const ww = 0
export const wr = 1
export const rw = 2
export const rt = 3
export const edgeTypeNames = ['ww', 'wr', 'rw', 'rt'] as const

/** The mask admitting the given edge type codes. */
export function maskOf(...types: number[]): number {
  let mask = 0
  for (const type of types) mask |= 1 << type
  return mask
}

/** A directed multigraph over transaction indices `0 … nodeCount - 1`. */
export class DependencyGraph {
  readonly edgeFrom: number[] = []
  readonly edgeTo: number[] = []
  readonly edgeType: number[] = []
  readonly edgeKey: (string | null)[] = []
  /** Edge ids leaving each node. */
  readonly outgoing: number[][]
  /** Per source node, `to * 4 + type` of its edges: small integers, cheap to hash. */
  readonly #present: Set<number>[]

  constructor(readonly nodeCount: number) {
    assert(nodeCount <= 2 ** 28, 'node count fits edge identities in small integers')
    this.outgoing = Array.from({ length: nodeCount }, () => [])
    this.#present = Array.from({ length: nodeCount }, () => new Set())
  }

  get edgeCount(): number {
    return this.edgeFrom.length
  }

  /** Adds `from -type-> to` unless it is a self-loop or already present. */
  add(from: number, to: number, type: number, key: string | null): void {
    assert(from >= 0 && from < this.nodeCount, 'edge source is a node')
    assert(to >= 0 && to < this.nodeCount, 'edge target is a node')
    if (from === to) return
    const present = this.#present[from]
    assert(present !== undefined, 'every node has an edge set')
    const identity = to * 4 + type
    if (present.has(identity)) return
    present.add(identity)
    const edge = this.edgeFrom.length
    this.edgeFrom.push(from)
    this.edgeTo.push(to)
    this.edgeType.push(type)
    this.edgeKey.push(key)
    const outgoing = this.outgoing[from]
    assert(outgoing !== undefined, 'every node has an adjacency list')
    outgoing.push(edge)
  }

  /** How many edges of each type, in `edgeTypeNames` order. */
  countByType(): number[] {
    const counts = [0, 0, 0, 0]
    for (const type of this.edgeType) counts[type] = (counts[type] ?? 0) + 1
    return counts
  }
}
