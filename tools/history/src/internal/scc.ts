/**
 * Strongly connected components (Tarjan's algorithm, iterative so deep graphs cannot overflow the
 * call stack), over a scope of nodes and a mask of edge types.
 *
 * A run considers the nodes `n` with `scope[n] === scopeId` and the edges whose type is in the
 * mask and whose both ends are in scope. Invariants: components come out in reverse topological
 * order (every component an edge leads to is emitted before the component it leaves); after a
 * run, `componentOf[n]` is the component number of every node in scope and the scratch arrays are
 * back to their idle state, so one finder serves any number of runs in O(scope + edges) each.
 */
import { assert } from './assert.js'
import type { DependencyGraph } from './graph.js'

/** Reusable Tarjan scratch space for one graph. */
export class SccFinder {
  readonly #order: Int32Array
  readonly #low: Int32Array
  readonly #cursor: Int32Array
  readonly #onStack: Uint8Array

  constructor(private readonly graph: DependencyGraph) {
    this.#order = new Int32Array(graph.nodeCount).fill(-1)
    this.#low = new Int32Array(graph.nodeCount)
    this.#cursor = new Int32Array(graph.nodeCount)
    this.#onStack = new Uint8Array(graph.nodeCount)
  }

  /**
   * The components of the subgraph; writes each node's component number into `componentOf`.
   * REQUIRES: every node of `nodes` is in scope, and `nodes` lists every node in scope.
   */
  run(
    nodes: readonly number[],
    scope: Int32Array,
    scopeId: number,
    mask: number,
    componentOf: Int32Array,
  ): number[][] {
    const components: number[][] = []
    const state = { counter: 0, stack: [] as number[] }
    for (const root of nodes) {
      assert(scope[root] === scopeId, 'a listed node is in scope')
      if (this.#order[root] === -1) this.#visit(root, scope, scopeId, mask, componentOf,
        components, state)
    }
    for (const node of nodes) this.#order[node] = -1
    return components
  }

  #visit(
    root: number,
    scope: Int32Array,
    scopeId: number,
    mask: number,
    componentOf: Int32Array,
    components: number[][],
    state: { counter: number; stack: number[] },
  ): void {
    const { edgeTo, edgeType, outgoing } = this.graph
    const order = this.#order
    const low = this.#low
    const calls: number[] = []
    const enter = (node: number): void => {
      order[node] = low[node] = state.counter
      state.counter += 1
      this.#cursor[node] = 0
      this.#onStack[node] = 1
      state.stack.push(node)
      calls.push(node)
    }
    enter(root)
    while (calls.length > 0) {
      const node = calls[calls.length - 1] ?? -1
      const edges = outgoing[node] ?? []
      const cursor = this.#cursor[node] ?? 0
      if (cursor < edges.length) {
        this.#cursor[node] = cursor + 1
        const edge = edges[cursor] ?? -1
        const target = edgeTo[edge] ?? -1
        if ((mask & (1 << (edgeType[edge] ?? 0))) === 0 || scope[target] !== scopeId) continue
        if (order[target] === -1) enter(target)
        else if (this.#onStack[target] === 1) {
          low[node] = Math.min(low[node] ?? 0, order[target] ?? 0)
        }
        continue
      }
      calls.pop()
      if (low[node] === order[node]) components.push(this.#popComponent(node, componentOf,
        components.length, state.stack))
      const parent = calls[calls.length - 1]
      if (parent !== undefined) low[parent] = Math.min(low[parent] ?? 0, low[node] ?? 0)
    }
  }

  #popComponent(
    root: number,
    componentOf: Int32Array,
    component: number,
    stack: number[],
  ): number[] {
    const members: number[] = []
    for (;;) {
      const member = stack.pop()
      assert(member !== undefined, 'the root of a component is on the stack')
      this.#onStack[member] = 0
      componentOf[member] = component
      members.push(member)
      if (member === root) return members
    }
  }
}
