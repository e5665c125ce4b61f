/**
 * Bounds: a key range with its bounds already turned into probes, and where a range starts and
 * ends inside one node. Shared by scans (cursor.ts, store.ts) and range validation (range-max.ts).
 */
import type { KeyOrder } from './key-order.js'
import type { NodeKeys, Probe } from './node.js'
import { lowerBound, upperBound } from './node.js'

/** A normalized key range: an absent bound is unbounded. */
export interface Bounds<K> {
  readonly from: Probe<K> | undefined
  readonly fromExclusive: boolean
  readonly to: Probe<K> | undefined
  readonly toExclusive: boolean
}

/** Index of the first key of a node that satisfies the lower bound. */
export function startIndex<K>(node: NodeKeys<K>, bounds: Bounds<K>, order: KeyOrder<K>): number {
  if (bounds.from === undefined) return 0
  return bounds.fromExclusive
    ? upperBound(node, bounds.from, order)
    : lowerBound(node, bounds.from, order)
}

/** Index just past the last key of a node that satisfies the upper bound. */
export function endIndex<K>(node: NodeKeys<K>, bounds: Bounds<K>, order: KeyOrder<K>): number {
  if (bounds.to === undefined) return node.keys.length
  return bounds.toExclusive
    ? lowerBound(node, bounds.to, order)
    : upperBound(node, bounds.to, order)
}
