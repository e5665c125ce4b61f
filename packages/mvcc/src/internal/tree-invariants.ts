/**
 * A full check of a VersionTree's invariants (see version-tree.ts and node.ts), for tests and for
 * `MvccStore.assertInvariants()`. Visits every node and version: O(n), never on a hot path.
 */
import { assert } from '@sky/std'
import { branchChildrenMax, leafEntriesMax } from './limits.js'
import type { KeyOrder } from './key-order.js'
import type { NodeKeys, TreeNode } from './node.js'
import { Branch, Leaf } from './node.js'
import type { VersionTree } from './version-tree.js'

interface Totals {
  keys: number
  liveKeys: number
  versions: number
}

/** Throws AssertionError naming the first broken invariant. */
export function assertTreeInvariants<K, R>(tree: VersionTree<K, R>): void {
  const totals: Totals = { keys: 0, liveKeys: 0, versions: 0 }
  checkNode(tree.root, tree.height, true, undefined, undefined, tree.order, totals)
  assert(totals.keys === tree.keyCount, `keyCount ${tree.keyCount} is ${totals.keys}`)
  assert(totals.liveKeys === tree.liveKeyCount, `liveKeyCount ${tree.liveKeyCount} is off`)
  assert(totals.versions === tree.versionCount, `versionCount ${tree.versionCount} is off`)
}

/** Checks a subtree whose keys must lie in [low, high); returns its largest timestamp. */
function checkNode<K, R>(
  node: TreeNode<K, R>,
  level: number,
  isRoot: boolean,
  low: K | undefined,
  high: K | undefined,
  order: KeyOrder<K>,
  totals: Totals,
): number {
  if (level === 0) {
    assert(node instanceof Leaf, 'level 0 holds leaves')
    return checkLeaf(node, isRoot, low, high, order, totals)
  }
  assert(node instanceof Branch, 'levels above 0 hold branches')
  const size = node.children.length
  assert(size <= branchChildrenMax, `branch holds ${size} children`)
  if (!isRoot) assert(size >= 1, 'a non-root branch is not empty')
  if (isRoot) assert(size >= 2, 'a root branch has two children')
  assert(node.keys.length === size - 1, 'a branch has one separator fewer than children')
  assert(node.maxTss.length === size, 'a branch has one max per child')
  assert(node.ranks.length === size - 1, 'a branch has one rank per separator')
  checkPrefix(node, order)
  let max = 0
  for (let index = 0; index < size; index++) {
    const childLow = index === 0 ? low : node.keys[index - 1]
    const childHigh = index === size - 1 ? high : node.keys[index]
    if (childLow !== undefined && childHigh !== undefined) {
      assert(order.compare(childLow, childHigh) < 0, 'separators increase')
    }
    const child = node.children[index] as TreeNode<K, R>
    const childMax = checkNode(child, level - 1, false, childLow, childHigh, order, totals)
    assert(node.maxTss[index] === childMax, `maxTss[${index}] is ${childMax}`)
    if (childMax > max) max = childMax
  }
  return max
}

function checkLeaf<K, R>(
  leaf: Leaf<K, R>,
  isRoot: boolean,
  low: K | undefined,
  high: K | undefined,
  order: KeyOrder<K>,
  totals: Totals,
): number {
  const size = leaf.keys.length
  assert(size <= leafEntriesMax, `leaf holds ${size} keys`)
  if (!isRoot) assert(size >= 1, 'a non-root leaf is not empty')
  assert(leaf.ranks.length === size, 'ranks parallels keys')
  assert(leaf.tss.length === size, 'tss parallels keys')
  assert(leaf.rows.length === size, 'rows parallels keys')
  assert(leaf.olders.length === size, 'olders parallels keys')
  checkPrefix(leaf, order)
  let max = 0
  for (let index = 0; index < size; index++) {
    const key = leaf.keys[index] as K
    const { compare } = order
    if (index > 0) assert(compare(leaf.keys[index - 1] as K, key) < 0, 'leaf keys increase')
    if (low !== undefined) assert(compare(low, key) <= 0, 'a key is at or above its separator')
    if (high !== undefined) assert(compare(key, high) < 0, 'a key is below the next separator')
    const ts = leaf.tss[index] as number
    assert(Number.isSafeInteger(ts) && ts > 0, 'a version has a positive timestamp')
    let newer = ts
    for (let version = leaf.olders[index]; version !== undefined; version = version.older) {
      assert(version.ts < newer, 'a chain runs from newest to oldest')
      assert(version.ts > 0, 'an older version has a positive timestamp')
      newer = version.ts
      totals.versions++
    }
    totals.keys++
    totals.versions++
    if (leaf.rows[index] !== undefined) totals.liveKeys++
    if (ts > max) max = ts
  }
  return max
}

/** The keys of a node share its offset's worth of prefix, and each rank is counted from there. */
function checkPrefix<K>(node: NodeKeys<K>, order: KeyOrder<K>): void {
  assert(node.ranks.length === node.keys.length, 'one rank per key')
  if (node.keys.length === 0) assert(node.offset === 0, 'an empty node has offset 0')
  const first = node.keys[0]
  node.keys.forEach((key, index) => {
    if (first !== undefined) {
      const shared = order.commonPrefix(key, first)
      assert(shared >= node.offset, `key ${index} shares the node's ${node.offset}-unit prefix`)
    }
    assert(node.ranks[index] === order.rank(key, node.offset), `key ${index} has its rank`)
  })
}
