/**
 * MvccStore: the multi-version store of one model. Primary key → version chain (commit
 * timestamp, row or tombstone), kept in key order by a B+tree whose branches remember the largest
 * commit timestamp below them.
 *
 * Invariants:
 * - commit timestamps of installs strictly increase (`lastInstalledTs`), so every key's chain is
 *   ordered and a snapshot read is "newest version with ts <= snapshot";
 * - the GC horizon never decreases, and after `gc(h)` a read at any snapshot >= h returns exactly
 *   what it returned before; reads below the horizon are refused;
 * - every install that leaves garbage behind (a superseded version, a tombstone) queues its
 *   (timestamp, key), so GC visits only keys with garbage.
 *
 * Everything runs synchronously: an install is atomic with respect to every reader because
 * JavaScript runs one call at a time.
 */
import { assert } from '@sky/std'
import { MvccSnapshotTooOldError } from './errors.js'
import { GcQueue } from './internal/gc-queue.js'
import { gcEntriesDefault, scanEntriesMax } from './internal/limits.js'
import { visibleRow } from './internal/node.js'
import type { Bounds } from './internal/bounds.js'
import { endIndex } from './internal/bounds.js'
import { LeafCursor } from './internal/cursor.js'
import type { KeyOrder } from './internal/key-order.js'
import { keyOrder } from './internal/key-order.js'
import { rangeMaxTs } from './internal/range-max.js'
import { assertTreeInvariants } from './internal/tree-invariants.js'
import { VersionTree } from './internal/version-tree.js'
import type { Key, KeyRange, KindOfKey } from './key.js'
import { describe, keyKindOf } from './key.js'

/**
 * A commit timestamp: a positive safe integer handed out by the transaction manager, strictly
 * increasing from one install to the next. A snapshot timestamp `s` sees every commit with
 * ts <= s; snapshot 0 sees nothing.
 */
export type Timestamp = number

/** Options of the {@link MvccStore} constructor. */
export interface MvccStoreOptions<K extends Key> {
  /** The model's primary key kind; every key given to the store must be of it. */
  readonly keyKind: KindOfKey<K>
}

/** One committed write: `row` is the new row, or `undefined` to delete the key (a tombstone). */
export interface Write<K extends Key, Row> {
  readonly key: K
  readonly row: Row | undefined
}

/** Options of {@link MvccStore.scan}: a key range, the snapshot, and a page size. */
export interface ScanOptions<K extends Key> extends KeyRange<K> {
  readonly snapshotTs: Timestamp
  /** Most entries returned, 1..{@link scanEntriesMax}; default {@link scanEntriesMax}. */
  readonly limit?: number
}

/** A row visible in a scan, with its key. */
export interface ScanEntry<K extends Key, Row> {
  readonly key: K
  readonly row: Row
}

/** The result of {@link MvccStore.scan}. */
export interface ScanResult<K extends Key, Row> {
  /** Visible rows in ascending key order. */
  readonly entries: Array<ScanEntry<K, Row>>
  /**
   * Defined when the scan stopped at `limit`: the last returned key. The next page is
   * `{ ...range, from: resume, fromExclusive: true }`. Undefined when the range is exhausted.
   */
  readonly resume: K | undefined
  /**
   * The key range this call actually examined: the requested range, cut at `resume` (inclusive)
   * when the scan stopped early. A serializable transaction records it for validation.
   */
  readonly covered: KeyRange<K>
}

/** Options of {@link MvccStore.gc}. */
export interface GcOptions {
  /**
   * Most GC queue entries (keys with garbage) to visit in this call; default 4096. 0 only moves
   * the horizon.
   */
  readonly entriesMax?: number
}

/** What one {@link MvccStore.gc} call did. */
export interface GcResult {
  /** GC queue entries visited (each names one key that had garbage). */
  readonly entriesProcessed: number
  /** Versions (rows and tombstones) dropped. */
  readonly versionsDropped: number
  /** Keys removed entirely (their newest version was a tombstone at or below the horizon). */
  readonly keysRemoved: number
  /** True when no queued garbage at or below the horizon remains; false: call again. */
  readonly done: boolean
}

/** Counters of an {@link MvccStore}, all O(1) to read. */
export interface MvccStats {
  /** Keys in the index, including keys whose newest version is a tombstone not yet collected. */
  readonly keyCount: number
  /** Keys whose newest version is a row: the model's row count at the latest snapshot. */
  readonly liveKeyCount: number
  /** Versions held, rows and tombstones, newest and older. */
  readonly versionCount: number
  /** GC queue entries waiting (keys that may have garbage once the horizon passes them). */
  readonly gcQueueLength: number
  /** Levels of branches above the leaves. */
  readonly treeHeight: number
  /**
   * Estimated heap bytes of the store's own structures, excluding keys and rows themselves:
   * per-key and per-version costs measured by bench/store.bench.ts (see README), times counts.
   */
  readonly overheadBytesEstimate: number
}

/** Heap bytes per key of the index beyond key and row, measured by the bench (README, Limits). */
const keyOverheadBytes = 64
/** Heap bytes of an older version's object in a chain, beyond its row. */
const olderVersionOverheadBytes = 48
/** Heap bytes of one GC queue entry (a timestamp and a key reference, with array slack). */
const gcEntryBytes = 20

/**
 * The multi-version store of one model.
 *
 * Guarantees: a read at snapshot `s` returns the newest version with commit ts <= s, and keeps
 * returning it until `gc` moves the horizon past `s` (then it throws
 * {@link MvccSnapshotTooOldError}); `install` is all-or-nothing; scans return keys in ascending
 * order (strings in UTF-8 byte order). The store keeps references to the keys and rows it is
 * given and hands the same objects back: callers must not mutate them.
 *
 * @example
 * ```ts
 * const store = new MvccStore<string, readonly unknown[]>({ keyKind: 'string' })
 * store.install(1, [{ key: 'ann', row: ['ann', 30n] }])
 * store.install(2, [{ key: 'ann', row: undefined }])   // delete
 * store.get('ann', 1)                                  // ['ann', 30n]
 * store.get('ann', 2)                                  // undefined
 * store.lastCommitTsInRange({ from: 'a', to: 'b' })    // 2
 * ```
 */
export class MvccStore<K extends Key, Row extends {}> {
  /** The kind of every key of this store. */
  readonly keyKind: KindOfKey<K>
  readonly #tree: VersionTree<K, Row>
  readonly #queue = new GcQueue<K>()
  #lastInstalledTs = 0
  #gcHorizon = 0

  /** @throws TypeError for an unknown key kind. */
  constructor(options: MvccStoreOptions<K>) {
    this.keyKind = options.keyKind
    this.#tree = new VersionTree<K, Row>(keyOrder(options.keyKind) as KeyOrder<K>)
  }

  /** Commit timestamp of the latest install, 0 before the first. */
  get lastInstalledTs(): Timestamp {
    return this.#lastInstalledTs
  }

  /** The GC horizon: the oldest snapshot reads may still use (0 until the first `gc`). */
  get gcHorizon(): Timestamp {
    return this.#gcHorizon
  }

  /** True when `value` is a key of this store's kind. */
  isKey(value: unknown): value is K {
    return keyKindOf(value) === this.keyKind
  }

  /**
   * The row of `key` at snapshot `snapshotTs`: the newest version with commit ts <= snapshotTs,
   * or `undefined` if that version is a tombstone or the key had none then.
   *
   * @throws TypeError if `key` is not of the store's kind.
   * @throws RangeError if `snapshotTs` is not a non-negative safe integer.
   * @throws MvccSnapshotTooOldError if `snapshotTs` is below the GC horizon.
   */
  get(key: K, snapshotTs: Timestamp): Row | undefined {
    if (keyKindOf(key) !== this.keyKind) this.#throwBadKey('get', key)
    if (!Number.isSafeInteger(snapshotTs) || snapshotTs < this.#gcHorizon) {
      this.#throwBadSnapshot(snapshotTs)
    }
    return this.#tree.read(key, snapshotTs)
  }

  /**
   * The visible rows of a key range at a snapshot, in ascending key order, at most `limit` of
   * them, with a resume key to page on. Skipping tombstones and invisible keys costs time but
   * does not count toward `limit`.
   *
   * @throws TypeError if a bound is not of the store's kind.
   * @throws RangeError for a bad `snapshotTs` or a `limit` outside 1..scanEntriesMax.
   * @throws MvccSnapshotTooOldError if `snapshotTs` is below the GC horizon.
   * @example
   * ```ts
   * let page = store.scan({ from: 'a', snapshotTs, limit: 100 })
   * while (page.resume !== undefined) {
   *   page = store.scan({ from: page.resume, fromExclusive: true, snapshotTs, limit: 100 })
   * }
   * ```
   */
  scan(options: ScanOptions<K>): ScanResult<K, Row> {
    const { snapshotTs, limit = scanEntriesMax } = options
    if (!Number.isSafeInteger(snapshotTs) || snapshotTs < this.#gcHorizon) {
      this.#throwBadSnapshot(snapshotTs)
    }
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > scanEntriesMax) {
      throw new RangeError(`scan limit must be an integer in 1..${scanEntriesMax}, got ${limit}`)
    }
    const bounds = this.#bounds(options, 'scan')
    const entries: Array<ScanEntry<K, Row>> = []
    let resume: K | undefined
    const cursor = new LeafCursor(this.#tree, bounds)
    pages: for (let leaf = cursor.leaf; leaf !== undefined; leaf = cursor.leaf) {
      const end = endIndex(leaf, bounds, this.#tree.order)
      for (let index = cursor.index; index < end; index++) {
        const row = visibleRow(leaf, index, snapshotTs)
        if (row === undefined) continue
        const key = leaf.keys[index] as K
        entries.push({ key, row })
        if (entries.length === limit) {
          resume = key
          break pages
        }
      }
      if (end < leaf.keys.length || !cursor.nextLeaf()) break
    }
    return { entries, resume, covered: coveredRange(options, resume) }
  }

  /**
   * Installs the writes of one committed transaction at `commitTs`, all at once: a reader sees
   * all of them (snapshot >= commitTs) or none. A key written twice in one call keeps the later
   * row. A tombstone is installed even for a key with no version (it is a commit touching it).
   *
   * REQUIRES: `commitTs` > every timestamp installed before (asserted: only a bug breaks it).
   * @throws TypeError if a key is not of the store's kind; nothing is installed then.
   * @throws RangeError if `commitTs` is not a positive safe integer.
   */
  install(commitTs: Timestamp, writes: ReadonlyArray<Write<K, Row>>): void {
    if (!Number.isSafeInteger(commitTs) || commitTs < 1) {
      throw new RangeError(`commit timestamp must be a positive safe integer, got ${commitTs}`)
    }
    assert(commitTs > this.#lastInstalledTs, 'installs come in increasing commit timestamp order')
    for (const write of writes) {
      if (keyKindOf(write.key) !== this.keyKind) this.#throwBadKey('install', write.key)
    }
    this.#lastInstalledTs = commitTs
    for (const { key, row } of writes) {
      const existed = this.#tree.put(key, commitTs, row)
      // A superseded version or a tombstone becomes garbage once the horizon reaches commitTs.
      if (existed || row === undefined) this.#queue.push(commitTs, key)
    }
  }

  /**
   * Commit timestamp of the newest version of `key` (row or tombstone), 0 if the store holds none
   * (never written, or a deletion at or below the GC horizon already collected). A validator whose
   * snapshot `s` is at or above the GC horizon asks `lastCommitTs(key) > s`, which collection
   * never changes.
   *
   * @throws TypeError if `key` is not of the store's kind.
   */
  lastCommitTs(key: K): Timestamp {
    if (keyKindOf(key) !== this.keyKind) this.#throwBadKey('lastCommitTs', key)
    return this.#tree.newestTs(key)
  }

  /**
   * The largest commit timestamp of any version held for a key in `range`: updates, deletions
   * (tombstones) and insertions of new keys all count, so `lastCommitTsInRange(r) > s` says
   * whether any commit after snapshot `s` touched `r` (phantoms included). 0 if none. O(log n)
   * plus two root-to-leaf paths, thanks to per-branch maxima. Collected garbage is gone, but only
   * garbage at or below the horizon, so the answer to `> s` is unchanged for every `s >= horizon`.
   *
   * @throws TypeError if a bound is not of the store's kind.
   */
  lastCommitTsInRange(range: KeyRange<K>): Timestamp {
    return rangeMaxTs(this.#tree, this.#bounds(range, 'lastCommitTsInRange'))
  }

  /**
   * Moves the GC horizon to `horizon` (never backwards) and drops versions no snapshot at or
   * above it can see, visiting at most `entriesMax` queued keys; call again while `done` is false.
   * Per key: versions newer than the horizon stay, and so does the newest version at or below it
   * unless it is a tombstone; a key left with nothing is removed from the index.
   *
   * Why this is safe for validation: a transaction with snapshot `s >= horizon` asks only whether
   * a commit with ts > s touched a key or range; every dropped version has ts <= horizon <= s.
   *
   * REQUIRES: no live snapshot is older than `horizon` (reads below it throw afterwards).
   * @throws RangeError if `horizon` or `entriesMax` is not a non-negative safe integer.
   */
  gc(horizon: Timestamp, options: GcOptions = {}): GcResult {
    const { entriesMax = gcEntriesDefault } = options
    checkGcArguments(horizon, entriesMax)
    if (horizon > this.#gcHorizon) this.#gcHorizon = horizon
    const limit = this.#gcHorizon
    const keysBefore = this.#tree.keyCount
    let entriesProcessed = 0
    let versionsDropped = 0
    while (entriesProcessed < entriesMax) {
      const ts = this.#queue.peekTs()
      if (ts === undefined || ts > limit) break
      versionsDropped += this.#tree.prune(this.#queue.shift(), limit)
      entriesProcessed++
    }
    const next = this.#queue.peekTs()
    const keysRemoved = keysBefore - this.#tree.keyCount
    const done = next === undefined || next > limit
    return { entriesProcessed, versionsDropped, keysRemoved, done }
  }

  /** The store's counters and memory estimate. O(1). */
  stats(): MvccStats {
    const tree = this.#tree
    const olderVersions = tree.versionCount - tree.keyCount
    return {
      keyCount: tree.keyCount,
      liveKeyCount: tree.liveKeyCount,
      versionCount: tree.versionCount,
      gcQueueLength: this.#queue.length,
      treeHeight: tree.height,
      overheadBytesEstimate:
        tree.keyCount * keyOverheadBytes +
        olderVersions * olderVersionOverheadBytes +
        this.#queue.length * gcEntryBytes,
    }
  }

  /**
   * Checks every structural invariant (key order, node sizes, per-branch maxima, counters).
   * O(n): for tests and debugging.
   *
   * @throws AssertionError naming the first broken invariant.
   */
  assertInvariants(): void {
    assertTreeInvariants(this.#tree)
    assert(this.#tree.versionCount >= this.#tree.keyCount, 'each key has a version')
  }

  #bounds(range: KeyRange<K>, operation: string): Bounds<K> {
    const { from, to } = range
    if (from !== undefined && keyKindOf(from) !== this.keyKind) this.#throwBadKey(operation, from)
    if (to !== undefined && keyKindOf(to) !== this.keyKind) this.#throwBadKey(operation, to)
    return {
      from: from === undefined ? undefined : this.#tree.probe(from),
      fromExclusive: range.fromExclusive === true,
      to: to === undefined ? undefined : this.#tree.probe(to),
      toExclusive: range.toExclusive === true,
    }
  }

  #throwBadKey(operation: string, key: unknown): never {
    throw new TypeError(`${operation}: expected a ${this.keyKind} key, got ${describe(key)}`)
  }

  #throwBadSnapshot(snapshotTs: number): never {
    if (!Number.isSafeInteger(snapshotTs) || snapshotTs < 0) {
      throw new RangeError(`snapshot must be a non-negative safe integer, got ${snapshotTs}`)
    }
    throw new MvccSnapshotTooOldError(snapshotTs, this.#gcHorizon)
  }
}

/** Throws RangeError unless both are non-negative safe integers. Shared with MvccDatabase. */
export function checkGcArguments(horizon: number, entriesMax: number): void {
  if (!Number.isSafeInteger(horizon) || horizon < 0) {
    throw new RangeError(`GC horizon must be a non-negative safe integer, got ${horizon}`)
  }
  if (!Number.isSafeInteger(entriesMax) || entriesMax < 0) {
    throw new RangeError(`entriesMax must be a non-negative safe integer, got ${entriesMax}`)
  }
}

/** The range a scan examined: the request, with its upper end cut at `resume` if it stopped. */
function coveredRange<K extends Key>(range: KeyRange<K>, resume: K | undefined): KeyRange<K> {
  const lower: { from?: K; fromExclusive?: boolean } = {}
  if (range.from !== undefined) lower.from = range.from
  if (range.fromExclusive === true) lower.fromExclusive = true
  if (resume !== undefined) return { ...lower, to: resume }
  const upper: { to?: K; toExclusive?: boolean } = {}
  if (range.to !== undefined) upper.to = range.to
  if (range.toExclusive === true) upper.toExclusive = true
  return { ...lower, ...upper }
}
