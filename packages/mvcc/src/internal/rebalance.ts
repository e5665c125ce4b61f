/**
 * Rebalancing after a removal: an underfull child of a branch merges with a sibling when the two
 * fit in one node, and otherwise shares entries evenly with it.
 *
 * Keeps: key order; the separator between the pair equals the right node's first key (leaves) or
 * is rotated through the parent (branches); the parent's `maxTss` for both nodes is recomputed
 * exactly, because entries moved between them.
 */
import { assert } from '@sky/std'
import { branchChildrenMax, leafEntriesMax } from './limits.js'
import type { KeyOrder } from './key-order.js'
import type { TreeNode } from './node.js'
import { Branch, Leaf, maxOf, refreshOffset, removeKey, replaceKey } from './node.js'

/**
 * Fixes the underfull child `index` of `parent`, merging or sharing with its left sibling (its
 * right one when it is the first child).
 *
 * REQUIRES: `parent` has at least two children; `leaves` says whether its children are leaves.
 */
export function rebalance<K, R>(
  parent: Branch<K, R>,
  index: number,
  leaves: boolean,
  order: KeyOrder<K>,
): void {
  assert(parent.children.length >= 2, 'an underfull child has a sibling')
  const left = index > 0 ? index - 1 : index
  const right = left + 1
  const merged = leaves
    ? balanceLeaves(parent, left, right, order)
    : balanceBranches(parent, left, right, order)
  if (merged) {
    removeKey(parent, left)
    parent.children.splice(right, 1)
    parent.maxTss.splice(right, 1)
  }
  const leftNode = parent.children[left] as TreeNode<K, R>
  parent.maxTss[left] = leftNode instanceof Leaf ? maxOf(leftNode.tss) : maxOf(leftNode.maxTss)
  if (!merged) {
    const rightNode = parent.children[right] as TreeNode<K, R>
    parent.maxTss[right] =
      rightNode instanceof Leaf ? maxOf(rightNode.tss) : maxOf(rightNode.maxTss)
  }
}

/** Merges (returns true) or evens out two adjacent leaves. */
function balanceLeaves<K, R>(
  parent: Branch<K, R>,
  left: number,
  right: number,
  order: KeyOrder<K>,
): boolean {
  const a = parent.children[left] as Leaf<K, R>
  const b = parent.children[right] as Leaf<K, R>
  const total = a.keys.length + b.keys.length
  if (total <= leafEntriesMax) {
    a.keys.push(...b.keys)
    a.tss.push(...b.tss)
    a.rows.push(...b.rows)
    a.olders.push(...b.olders)
    refreshOffset(a, order)
    return true
  }
  const at = total >>> 1
  const keys = a.keys.concat(b.keys)
  const tss = a.tss.concat(b.tss)
  const rows = a.rows.concat(b.rows)
  const olders = a.olders.concat(b.olders)
  a.ranks = []
  a.keys = keys.slice(0, at)
  a.tss = tss.slice(0, at)
  a.rows = rows.slice(0, at)
  a.olders = olders.slice(0, at)
  b.ranks = []
  b.keys = keys.slice(at)
  b.tss = tss.slice(at)
  b.rows = rows.slice(at)
  b.olders = olders.slice(at)
  refreshOffset(a, order)
  refreshOffset(b, order)
  replaceKey(parent, left, b.keys[0] as K, order)
  return false
}

/** Merges (returns true) or evens out two adjacent branches, rotating the separator. */
function balanceBranches<K, R>(
  parent: Branch<K, R>,
  left: number,
  right: number,
  order: KeyOrder<K>,
): boolean {
  const a = parent.children[left] as Branch<K, R>
  const b = parent.children[right] as Branch<K, R>
  const separator = parent.keys[left] as K
  const total = a.children.length + b.children.length
  if (total <= branchChildrenMax) {
    a.keys.push(separator, ...b.keys)
    a.children.push(...b.children)
    a.maxTss.push(...b.maxTss)
    refreshOffset(a, order)
    return true
  }
  const at = total >>> 1
  const keys = [...a.keys, separator, ...b.keys]
  const children = a.children.concat(b.children)
  const maxTss = a.maxTss.concat(b.maxTss)
  a.keys = keys.slice(0, at - 1)
  a.children = children.slice(0, at)
  a.maxTss = maxTss.slice(0, at)
  replaceKey(parent, left, keys[at - 1] as K, order)
  b.keys = keys.slice(at)
  b.children = children.slice(at)
  b.maxTss = maxTss.slice(at)
  a.ranks = []
  b.ranks = []
  refreshOffset(a, order)
  refreshOffset(b, order)
  return false
}
