/**
 * The nodes of the version tree (a B+tree) and the searches inside one node.
 *
 * A leaf keeps, per key, the newest version inline in parallel arrays (`ranks`, `keys`, `tss`,
 * `rows`) and the older versions as a linked list (`olders`), newest first. Inline newest
 * versions make a key with a single version cost five array slots and no object of its own.
 *
 * A branch keeps `children.length - 1` separators: every key in `children[i]` is below `keys[i]`
 * and every key in `children[i + 1]` is at or above it. `maxTss[i]` is the largest commit
 * timestamp of any version held in `children[i]`'s subtree (the max-augmentation that answers
 * "last commit in a key range" without visiting every key).
 *
 * Invariants (checked by `assertTreeInvariants`): keys strictly increase inside a node and across
 * the tree; the keys of a node share their first `offset` units and `ranks[i]` is the rank of
 * `keys[i]` from there (an empty node has offset 0); `tss[i]` is the largest timestamp of key
 * i's chain and the chain's timestamps strictly decrease; a row of `undefined` is a tombstone.
 */
import type { KeyOrder } from './key-order.js'

/** An older version of a key: commit timestamp, row (`undefined` = tombstone), next older one. */
export class Version<R> {
  constructor(
    readonly ts: number,
    readonly row: R | undefined,
    public older: Version<R> | undefined,
  ) {}
}

/** A leaf: parallel arrays, one slot per key, newest version inline. */
export class Leaf<K, R> {
  /** Every key of the node shares its first `offset` units; ranks count from there. */
  offset = 0
  constructor(
    /** `ranks[i]` = rank of `keys[i]` from `offset` (key-order.ts), compared before the keys. */
    public ranks: number[] = [],
    public keys: K[] = [],
    public tss: number[] = [],
    public rows: Array<R | undefined> = [],
    public olders: Array<Version<R> | undefined> = [],
  ) {}
}

/** A branch: separators (and their ranks), children, and each child's largest commit timestamp. */
export class Branch<K, R> {
  /** Every separator shares its first `offset` units; ranks count from there. */
  offset = 0
  constructor(
    public ranks: number[],
    public keys: K[],
    public children: Array<TreeNode<K, R>>,
    public maxTss: number[],
  ) {}
}

export type TreeNode<K, R> = Leaf<K, R> | Branch<K, R>

/** What the searches need of a node, leaf or branch. */
export interface NodeKeys<K> {
  offset: number
  ranks: number[]
  keys: K[]
}

/** A three-way comparator: negative, 0 or positive. */
export type Compare<K> = (a: K, b: K) => number

/**
 * A key being searched for, with its rank at the offset of the last node it entered: nodes on a
 * path often share an offset (always 0 for integers), and then the rank is computed once.
 */
export class Probe<K> {
  offset = -1
  rank = 0
  exact = false
  constructor(public key: K) {}

  /** Aims the probe at another key (for reuse without allocation). */
  reset(key: K): this {
    this.key = key
    this.offset = -1
    return this
  }
}

/**
 * Prepares a search of `node` for `probe`: -1 if the probe lies below every key of the node
 * (it sorts before their shared prefix), 1 if above, 0 if it shares the prefix, and then the
 * probe's rank is at the node's offset.
 */
function enter<K>(node: NodeKeys<K>, probe: Probe<K>, order: KeyOrder<K>): number {
  const offset = node.offset
  if (offset !== 0) {
    const side = order.comparePrefix(probe.key, node.keys[0] as K, offset)
    if (side !== 0) return side
  }
  if (probe.offset !== offset) {
    probe.offset = offset
    probe.rank = order.rank(probe.key, offset)
    probe.exact = order.exact(probe.rank)
  }
  return 0
}

/** Compares entry `index` of an entered node with the probe: ranks first, keys on a tie. */
function compareAt<K>(node: NodeKeys<K>, index: number, probe: Probe<K>, order: KeyOrder<K>) {
  const rank = node.ranks[index] as number
  if (rank < probe.rank) return -1
  if (rank > probe.rank) return 1
  return probe.exact ? 0 : order.compare(node.keys[index] as K, probe.key)
}

/** Index of the probe's key in a node if present, else `-(insertion index) - 1`. */
export function searchKeys<K>(node: NodeKeys<K>, probe: Probe<K>, order: KeyOrder<K>): number {
  const side = enter(node, probe, order)
  if (side !== 0) return side < 0 ? -1 : -node.keys.length - 1
  let low = 0
  let high = node.keys.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const comparison = compareAt(node, middle, probe, order)
    if (comparison < 0) low = middle + 1
    else if (comparison > 0) high = middle - 1
    else return middle
  }
  return -low - 1
}

/** Number of keys of a node at or below the probe: in a branch, the child to descend into. */
export function upperBound<K>(node: NodeKeys<K>, probe: Probe<K>, order: KeyOrder<K>): number {
  const side = enter(node, probe, order)
  if (side !== 0) return side < 0 ? 0 : node.keys.length
  let low = 0
  let high = node.keys.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareAt(node, middle, probe, order) <= 0) low = middle + 1
    else high = middle
  }
  return low
}

/** Number of keys of a node strictly below the probe. */
export function lowerBound<K>(node: NodeKeys<K>, probe: Probe<K>, order: KeyOrder<K>): number {
  const side = enter(node, probe, order)
  if (side !== 0) return side < 0 ? 0 : node.keys.length
  let low = 0
  let high = node.keys.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareAt(node, middle, probe, order) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/** Sets a node's offset to the prefix its first and last keys share, and recomputes its ranks. */
export function refreshOffset<K>(node: NodeKeys<K>, order: KeyOrder<K>): void {
  const { keys } = node
  const offset = keys.length < 2 ? 0 : order.commonPrefix(keys[0] as K, keys[keys.length - 1] as K)
  node.offset = offset
  node.ranks = keys.map((key) => order.rank(key, offset))
}

/**
 * Inserts `key` (with its rank) at `index`, where it belongs in key order. A key at either end may
 * not share the node's prefix: the offset then shrinks to what it shares, and ranks are redone.
 */
export function insertKey<K>(node: NodeKeys<K>, index: number, key: K, order: KeyOrder<K>): void {
  const { keys } = node
  if (node.offset !== 0 && (index === 0 || index === keys.length)) {
    const shared = order.commonPrefix(key, keys[0] as K)
    if (shared < node.offset) lowerOffset(node, shared, order)
  }
  keys.splice(index, 0, key)
  node.ranks.splice(index, 0, order.rank(key, node.offset))
}

/** Replaces the key at `index` with `key`, which keeps its place in key order. */
export function replaceKey<K>(node: NodeKeys<K>, index: number, key: K, order: KeyOrder<K>): void {
  const { keys } = node
  const other = keys[index === 0 ? keys.length - 1 : 0] as K
  if (node.offset !== 0 && keys.length > 1) {
    const shared = order.commonPrefix(key, other)
    if (shared < node.offset) lowerOffset(node, shared, order)
  }
  keys[index] = key
  node.ranks[index] = order.rank(key, node.offset)
}

/** Removes the key at `index`. What remains still shares the prefix. */
export function removeKey<K>(node: NodeKeys<K>, index: number): void {
  node.keys.splice(index, 1)
  node.ranks.splice(index, 1)
  if (node.keys.length === 0) node.offset = 0
}

function lowerOffset<K>(node: NodeKeys<K>, offset: number, order: KeyOrder<K>): void {
  node.offset = offset
  for (let index = 0; index < node.keys.length; index++) {
    node.ranks[index] = order.rank(node.keys[index] as K, offset)
  }
}

/** Largest element of a non-negative array, 0 when empty. */
export function maxOf(values: readonly number[]): number {
  let max = 0
  for (const value of values) if (value > max) max = value
  return max
}

/** Largest commit timestamp held in a node's subtree (0 for an empty leaf). */
export function nodeMaxTs<K, R>(node: TreeNode<K, R>): number {
  return node instanceof Leaf ? maxOf(node.tss) : maxOf(node.maxTss)
}

/** Number of entries of a node: keys of a leaf, children of a branch. */
export function nodeSize<K, R>(node: TreeNode<K, R>): number {
  return node instanceof Leaf ? node.keys.length : node.children.length
}

/** The row of leaf slot `index` visible at `snapshotTs`: `undefined` if a tombstone or none. */
export function visibleRow<K, R>(leaf: Leaf<K, R>, index: number, snapshotTs: number) {
  if ((leaf.tss[index] as number) <= snapshotTs) return leaf.rows[index]
  let version = leaf.olders[index]
  while (version !== undefined && version.ts > snapshotTs) version = version.older
  return version?.row
}

/** Number of versions in an older-version chain. */
export function chainLength<R>(version: Version<R> | undefined): number {
  let count = 0
  for (let cursor = version; cursor !== undefined; cursor = cursor.older) count++
  return count
}
