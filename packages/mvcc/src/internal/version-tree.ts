/**
 * VersionTree: a B+tree from key to version chain, augmented with each subtree's largest commit
 * timestamp. The store's index; it knows nothing of snapshots' validity or GC policy.
 *
 * Invariants (see node.ts for the per-node ones, and `assertTreeInvariants`):
 * - every leaf lies at depth `height`; the root may be a lone (possibly empty) leaf;
 * - non-root nodes are never empty and hold at most `leafEntriesMax` keys / `branchChildrenMax`
 *   children; a node that a removal leaves under the minimum merges with or borrows from a
 *   sibling (a split at the right edge, for ascending inserts, may leave a small node: allowed);
 * - the keys of each node share its `offset` prefix (kept by node.ts's insertKey / replaceKey /
 *   refreshOffset, which every change of a node's keys goes through);
 * - `maxTss` of every branch equals the largest commit timestamp in each child subtree, exactly;
 * - `keyCount`, `liveKeyCount` (keys whose newest version is a row) and `versionCount` match.
 *
 * Because every `put` carries a timestamp at least as large as any in the tree, a put sets the
 * augmentation on its path to that timestamp without recomputing it; only splits, merges and
 * removals recompute (over one node, 64 entries at most).
 */
import { assert } from '@sky/std'
import type { KeyOrder } from './key-order.js'
import { branchChildrenMax, branchChildrenMin, leafEntriesMax, leafEntriesMin } from './limits.js'
import type { TreeNode } from './node.js'
import {
  Branch,
  Leaf,
  Probe,
  Version,
  chainLength,
  insertKey,
  nodeMaxTs,
  nodeSize,
  refreshOffset,
  removeKey,
  searchKeys,
  upperBound,
  visibleRow,
} from './node.js'
import { rebalance } from './rebalance.js'

/** What a split hands to the parent: the separator and the new right sibling. */
interface Split<K, R> {
  readonly separator: K
  readonly node: TreeNode<K, R>
}

export class VersionTree<K, R> {
  root: TreeNode<K, R> = new Leaf<K, R>()
  /** Number of branch levels above the leaves. */
  height = 0
  keyCount = 0
  liveKeyCount = 0
  versionCount = 0

  constructor(readonly order: KeyOrder<K>) {}

  /**
   * One probe reused by every point operation: they run synchronously and never nest, so
   * reusing it saves an allocation per read.
   */
  private readonly scratch: Probe<K> = new Probe<K>(undefined as K)

  /** A new probe for `key` (for callers that hold several at once, such as range bounds). */
  probe(key: K): Probe<K> {
    return new Probe(key)
  }

  /** The leaf that holds the probe's key or would hold it. */
  findLeaf(probe: Probe<K>): Leaf<K, R> {
    let node = this.root
    for (let level = this.height; level > 0; level--) {
      const branch = node as Branch<K, R>
      node = branch.children[upperBound(branch, probe, this.order)] as TreeNode<K, R>
    }
    return node as Leaf<K, R>
  }

  /** The row of `key` visible at `snapshotTs`; `undefined` for a tombstone or no version. */
  read(key: K, snapshotTs: number): R | undefined {
    const probe = this.scratch.reset(key)
    const leaf = this.findLeaf(probe)
    const index = searchKeys(leaf, probe, this.order)
    return index < 0 ? undefined : visibleRow(leaf, index, snapshotTs)
  }

  /** Commit timestamp of the newest version of `key`, 0 if the tree holds none. */
  newestTs(key: K): number {
    const probe = this.scratch.reset(key)
    const leaf = this.findLeaf(probe)
    const index = searchKeys(leaf, probe, this.order)
    return index < 0 ? 0 : (leaf.tss[index] as number)
  }

  /**
   * Adds a version of `key` at `ts` (`row` undefined = tombstone). A second put of one key at the
   * same `ts` replaces the first. Returns whether the key was already present.
   *
   * REQUIRES: `ts` is at least every timestamp in the tree.
   */
  put(key: K, ts: number, row: R | undefined): boolean {
    const before = this.keyCount
    const split = this.putInto(this.root, this.height, true, this.scratch.reset(key), ts, row)
    if (split !== undefined) {
      const left = this.root
      const children = [left, split.node]
      const maxTss = [nodeMaxTs(left), nodeMaxTs(split.node)]
      const root = new Branch<K, R>([], [], children, maxTss)
      insertKey(root, 0, split.separator, this.order)
      this.root = root
      this.height++
    }
    return this.keyCount === before
  }

  private putInto(
    node: TreeNode<K, R>,
    level: number,
    rightmost: boolean,
    probe: Probe<K>,
    ts: number,
    row: R | undefined,
  ): Split<K, R> | undefined {
    if (level === 0) return this.putIntoLeaf(node as Leaf<K, R>, rightmost, probe, ts, row)
    const branch = node as Branch<K, R>
    const index = upperBound(branch, probe, this.order)
    assert((branch.maxTss[index] as number) <= ts, 'puts come in timestamp order')
    branch.maxTss[index] = ts
    const last = index === branch.children.length - 1
    const child = branch.children[index] as TreeNode<K, R>
    const split = this.putInto(child, level - 1, rightmost && last, probe, ts, row)
    if (split === undefined) return undefined
    insertKey(branch, index, split.separator, this.order)
    branch.children.splice(index + 1, 0, split.node)
    branch.maxTss.splice(index + 1, 0, nodeMaxTs(split.node))
    branch.maxTss[index] = nodeMaxTs(child)
    if (branch.children.length <= branchChildrenMax) return undefined
    // Appends at the right edge (ascending keys) leave the left node full instead of half full.
    const at = rightmost && last ? branch.children.length - 1 : branch.children.length >>> 1
    const right = new Branch<K, R>(
      branch.ranks.splice(at),
      branch.keys.splice(at),
      branch.children.splice(at),
      branch.maxTss.splice(at),
    )
    branch.ranks.pop()
    const separator = branch.keys.pop()
    assert(separator !== undefined, 'a split branch keeps a separator for its parent')
    refreshOffset(branch, this.order)
    refreshOffset(right, this.order)
    return { separator, node: right }
  }

  private putIntoLeaf(
    leaf: Leaf<K, R>,
    rightmost: boolean,
    probe: Probe<K>,
    ts: number,
    row: R | undefined,
  ): Split<K, R> | undefined {
    const found = searchKeys(leaf, probe, this.order)
    if (found >= 0) {
      this.supersede(leaf, found, ts, row)
      return undefined
    }
    const index = -found - 1
    insertKey(leaf, index, probe.key, this.order)
    leaf.tss.splice(index, 0, ts)
    leaf.rows.splice(index, 0, row)
    leaf.olders.splice(index, 0, undefined)
    this.keyCount++
    this.versionCount++
    if (row !== undefined) this.liveKeyCount++
    if (leaf.keys.length <= leafEntriesMax) return undefined
    const at = rightmost && index === leaf.keys.length - 1 ? index : leaf.keys.length >>> 1
    const right = new Leaf<K, R>(
      leaf.ranks.splice(at),
      leaf.keys.splice(at),
      leaf.tss.splice(at),
      leaf.rows.splice(at),
      leaf.olders.splice(at),
    )
    refreshOffset(leaf, this.order)
    refreshOffset(right, this.order)
    return { separator: right.keys[0] as K, node: right }
  }

  /** Makes (ts, row) the newest version of the key in slot `index`. */
  private supersede(leaf: Leaf<K, R>, index: number, ts: number, row: R | undefined): void {
    const newestTs = leaf.tss[index] as number
    const newestRow = leaf.rows[index]
    assert(newestTs <= ts, 'a key gets versions in timestamp order')
    if (newestTs === ts) {
      leaf.rows[index] = row
    } else {
      leaf.olders[index] = new Version(newestTs, newestRow, leaf.olders[index])
      leaf.tss[index] = ts
      leaf.rows[index] = row
      this.versionCount++
    }
    if (newestRow === undefined && row !== undefined) this.liveKeyCount++
    if (newestRow !== undefined && row === undefined) this.liveKeyCount--
  }

  /**
   * Drops the versions of `key` that no snapshot at or above `horizon` can see: all but the
   * newest version at or below `horizon`, and that one too if it is a tombstone (a snapshot that
   * finds no version and one that finds a tombstone both read "absent"). A key left without
   * versions leaves the tree. Its newest timestamp never changes unless the key leaves, so the
   * augmentation needs no update otherwise. Returns the number of versions dropped.
   */
  prune(key: K, horizon: number): number {
    const probe = this.scratch.reset(key)
    const leaf = this.findLeaf(probe)
    const index = searchKeys(leaf, probe, this.order)
    if (index < 0) return 0
    if ((leaf.tss[index] as number) <= horizon) {
      if (leaf.rows[index] === undefined) return this.remove(key)
      const dropped = chainLength(leaf.olders[index])
      leaf.olders[index] = undefined
      this.versionCount -= dropped
      return dropped
    }
    // The newest is above the horizon: find the first older version at or below it.
    let newer: Version<R> | undefined
    let version = leaf.olders[index]
    while (version !== undefined && version.ts > horizon) {
      newer = version
      version = version.older
    }
    if (version === undefined) return 0
    let dropped: number
    if (version.row !== undefined) {
      dropped = chainLength(version.older)
      version.older = undefined
    } else {
      dropped = chainLength(version)
      if (newer === undefined) leaf.olders[index] = undefined
      else newer.older = undefined
    }
    this.versionCount -= dropped
    return dropped
  }

  /** Removes `key` and its whole chain; returns the number of versions removed (0 if absent). */
  remove(key: K): number {
    const removed = this.removeFrom(this.root, this.height, this.scratch.reset(key))
    while (this.height > 0 && (this.root as Branch<K, R>).children.length <= 1) {
      const only = (this.root as Branch<K, R>).children[0]
      this.root = only ?? new Leaf<K, R>()
      this.height = only === undefined ? 0 : this.height - 1
    }
    return removed
  }

  private removeFrom(node: TreeNode<K, R>, level: number, probe: Probe<K>): number {
    if (level === 0) return this.removeFromLeaf(node as Leaf<K, R>, probe)
    const branch = node as Branch<K, R>
    const index = upperBound(branch, probe, this.order)
    const child = branch.children[index] as TreeNode<K, R>
    const removed = this.removeFrom(child, level - 1, probe)
    if (removed === 0) return 0
    const size = nodeSize(child)
    const minimum = level === 1 ? leafEntriesMin : branchChildrenMin
    if (size === 0) {
      // Only a child without siblings to borrow from can empty; drop it from this node.
      if (branch.keys.length > 0) removeKey(branch, index === 0 ? 0 : index - 1)
      branch.children.splice(index, 1)
      branch.maxTss.splice(index, 1)
    } else if (size < minimum && branch.children.length > 1) {
      rebalance(branch, index, level === 1, this.order)
    } else {
      branch.maxTss[index] = nodeMaxTs(child)
    }
    return removed
  }

  private removeFromLeaf(leaf: Leaf<K, R>, probe: Probe<K>): number {
    const index = searchKeys(leaf, probe, this.order)
    if (index < 0) return 0
    const removed = 1 + chainLength(leaf.olders[index])
    if (leaf.rows[index] !== undefined) this.liveKeyCount--
    removeKey(leaf, index)
    leaf.tss.splice(index, 1)
    leaf.rows.splice(index, 1)
    leaf.olders.splice(index, 1)
    this.keyCount--
    this.versionCount -= removed
    return removed
  }
}
