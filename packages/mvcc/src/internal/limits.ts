/**
 * The limits of @sky/mvcc, each named once. Relations between them are asserted when the module
 * loads, so a bad edit fails at import rather than deep inside a rebalance.
 *
 * Node sizes were chosen with bench/store.bench.ts: 64 keeps the in-leaf insertion shift cheap
 * and the tree four levels deep at a million keys.
 */
import { assert } from '@sky/std'

/** Most keys a leaf holds; a leaf that would exceed it splits. */
export const leafEntriesMax = 64
/** Fewest keys a non-root leaf keeps after a removal before it borrows or merges. */
export const leafEntriesMin = 16
/** Most children a branch holds; a branch that would exceed it splits. */
export const branchChildrenMax = 64
/** Fewest children a non-root branch keeps after a removal before it borrows or merges. */
export const branchChildrenMin = 16
/** Default and largest `limit` of one scan call: a caller wanting more pages with `resume`. */
export const scanEntriesMax = 1 << 20
/** Default number of GC queue entries one `gc` call processes (bounded work per call). */
export const gcEntriesDefault = 4096

// Merging two nodes that just fell under the minimum must fit in one node, and splitting an
// overfull node in the middle must leave both halves at or above the minimum. (A split at the
// right edge of the tree, for ascending inserts, leaves the new right node nearly empty: allowed,
// since more appends follow, and a removal rebalances it.)
assert(leafEntriesMin * 2 <= leafEntriesMax, 'two minimal leaves fit in one leaf')
assert(branchChildrenMin * 2 <= branchChildrenMax, 'two minimal branches fit in one branch')
assert(Math.floor((leafEntriesMax + 1) / 2) >= leafEntriesMin, 'a split leaf half is not underfull')
assert(Math.floor((branchChildrenMax + 1) / 2) >= branchChildrenMin, 'a split branch half is full')
assert(leafEntriesMin >= 1, 'a non-root leaf is never empty')
