/**
 * The largest commit timestamp of any version whose key lies in a range: the query behind
 * serializable validation of scanned ranges (phantoms included).
 *
 * It walks the two boundary paths of the range and, for every child wholly inside the range,
 * reads the branch's `maxTss` augmentation instead of descending: O(height × fanout) whatever
 * the range's size. Children whose maximum cannot beat the best so far are skipped.
 */
import type { Bounds } from './bounds.js'
import { endIndex, startIndex } from './bounds.js'
import type { Branch, Leaf, TreeNode } from './node.js'
import { upperBound } from './node.js'
import type { VersionTree } from './version-tree.js'

/** Largest commit timestamp in `bounds`, 0 if no version lies in it. */
export function rangeMaxTs<K, R>(tree: VersionTree<K, R>, bounds: Bounds<K>): number {
  return rangeMaxIn(tree, tree.root, tree.height, bounds, false, false, 0)
}

/**
 * `lowInside` / `highInside`: the node lies wholly above the lower / below the upper bound, so
 * that side needs no search.
 */
function rangeMaxIn<K, R>(
  tree: VersionTree<K, R>,
  node: TreeNode<K, R>,
  level: number,
  bounds: Bounds<K>,
  lowInside: boolean,
  highInside: boolean,
  best: number,
): number {
  if (level === 0) {
    const leaf = node as Leaf<K, R>
    const start = lowInside ? 0 : startIndex(leaf, bounds, tree.order)
    const end = highInside ? leaf.keys.length : endIndex(leaf, bounds, tree.order)
    for (let index = start; index < end; index++) {
      const ts = leaf.tss[index] as number
      if (ts > best) best = ts
    }
    return best
  }
  // Children first..last may hold keys of the range; those strictly between are wholly inside.
  const branch = node as Branch<K, R>
  const { from, to } = bounds
  const first = lowInside || from === undefined ? 0 : upperBound(branch, from, tree.order)
  const last =
    highInside || to === undefined ? branch.children.length - 1 : upperBound(branch, to, tree.order)
  for (let index = first; index <= last; index++) {
    const max = branch.maxTss[index] as number
    if (max <= best) continue
    if (index > first && index < last) {
      best = max
      continue
    }
    const child = branch.children[index] as TreeNode<K, R>
    const low = lowInside || index > first
    const high = highInside || index < last
    best = rangeMaxIn(tree, child, level - 1, bounds, low, high, best)
  }
  return best
}
