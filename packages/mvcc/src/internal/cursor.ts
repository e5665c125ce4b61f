/**
 * A forward cursor over the leaves of a VersionTree, for scans.
 *
 * The tree keeps no sibling links (so removals never touch nodes outside one parent); instead the
 * cursor keeps the path from the root: `branches[d]` and the child index taken there. Moving to
 * the next leaf climbs to the nearest branch with a child to the right and descends its leftmost
 * path, O(1) amortized per leaf.
 *
 * Valid only while the tree is not modified: scans run synchronously, so nothing can interleave.
 */
import type { Bounds } from './bounds.js'
import { startIndex } from './bounds.js'
import type { Branch, Leaf, TreeNode } from './node.js'
import { upperBound } from './node.js'
import type { VersionTree } from './version-tree.js'

export class LeafCursor<K, R> {
  private readonly branches: Array<Branch<K, R>> = []
  private readonly indexes: number[] = []
  /** The current leaf; `undefined` once the cursor passed the last leaf. */
  leaf: Leaf<K, R> | undefined
  /** The first entry of `leaf` at or after the seek position. */
  index = 0

  /** Positions the cursor at the first key satisfying the lower bound of `bounds`. */
  constructor(tree: VersionTree<K, R>, bounds: Bounds<K>) {
    let node: TreeNode<K, R> = tree.root
    for (let level = tree.height; level > 0; level--) {
      const branch = node as Branch<K, R>
      const index = bounds.from === undefined ? 0 : upperBound(branch, bounds.from, tree.order)
      this.branches.push(branch)
      this.indexes.push(index)
      node = branch.children[index] as TreeNode<K, R>
    }
    this.leaf = node as Leaf<K, R>
    this.index = startIndex(this.leaf, bounds, tree.order)
  }

  /** Moves to the first entry of the next leaf; false (and `leaf` undefined) past the end. */
  nextLeaf(): boolean {
    let depth = this.branches.length - 1
    while (depth >= 0) {
      const branch = this.branches[depth] as Branch<K, R>
      const index = (this.indexes[depth] as number) + 1
      if (index < branch.children.length) {
        this.indexes[depth] = index
        break
      }
      depth--
    }
    if (depth < 0) {
      this.leaf = undefined
      return false
    }
    let node = (this.branches[depth] as Branch<K, R>).children[this.indexes[depth] as number]
    for (depth++; depth < this.branches.length; depth++) {
      const branch = node as Branch<K, R>
      this.branches[depth] = branch
      this.indexes[depth] = 0
      node = branch.children[0]
    }
    this.leaf = node as Leaf<K, R>
    this.index = 0
    return true
  }
}
