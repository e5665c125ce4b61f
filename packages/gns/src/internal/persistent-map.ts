/**
 * PersistentMap: an immutable map whose edits copy only what they touch, so a new catalog version
 * costs O(changes), not O(size), even for a space of a million models.
 *
 * Layout: entries are spread over a power-of-two number of buckets (small Maps) by a hash of the
 * key. An edit copies the bucket array (about size / 16 pointers) and each bucket it changes. When
 * an edit leaves the buckets too full or too empty, `finish` redistributes them (amortised O(1) per
 * entry). Iteration order is bucket order, then insertion order within a bucket: deterministic for
 * the same contents and history, but not insertion order overall.
 *
 * Invariants: `size` is the sum of the bucket sizes; every key sits in bucket `hash(key) & mask`; a
 * finished map is never changed (its buckets are shared by later versions).
 */
import { assert } from '@sky/std'

type Key = string | number

const entriesPerBucketTarget = 16
const entriesPerBucketMax = 64
const bucketCountMax = 1 << 16

function hashOf(key: Key): number {
  if (typeof key === 'number') return Math.imul(key ^ (key >>> 16), 0x45d9f3b) >>> 0
  let hash = 0x811c9dc5
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193)
  return hash >>> 0
}

function bucketCountFor(size: number): number {
  let count = 1
  while (count < bucketCountMax && count * entriesPerBucketTarget < size) count *= 2
  return count
}

const emptyBucket: ReadonlyMap<unknown, unknown> = new Map()

export class PersistentMap<K extends Key, V> implements ReadonlyMap<K, V> {
  static empty<K extends Key, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>([emptyBucket as ReadonlyMap<K, V>], 0)
  }

  static from<K extends Key, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    const editor = PersistentMap.empty<K, V>().edit()
    for (const [key, value] of entries) editor.set(key, value)
    return editor.finish()
  }

  private constructor(
    private readonly buckets: readonly ReadonlyMap<K, V>[],
    readonly size: number,
  ) {
    assert((buckets.length & (buckets.length - 1)) === 0, 'bucket count is a power of two')
  }

  /** @internal */
  static of<K extends Key, V>(
    buckets: readonly ReadonlyMap<K, V>[],
    size: number,
  ): PersistentMap<K, V> {
    return new PersistentMap(buckets, size)
  }

  /** @internal */
  get bucketList(): readonly ReadonlyMap<K, V>[] {
    return this.buckets
  }

  get(key: K): V | undefined {
    return this.buckets[hashOf(key) & (this.buckets.length - 1)]!.get(key)
  }

  has(key: K): boolean {
    return this.buckets[hashOf(key) & (this.buckets.length - 1)]!.has(key)
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this)
  }

  *entries(): MapIterator<[K, V]> {
    for (const bucket of this.buckets) yield* bucket.entries()
  }

  *keys(): MapIterator<K> {
    for (const bucket of this.buckets) yield* bucket.keys()
  }

  *values(): MapIterator<V> {
    for (const bucket of this.buckets) yield* bucket.values()
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries()
  }

  /** An editor starting from this map; this map itself never changes. */
  edit(): MapEditor<K, V> {
    return new MapEditor(this)
  }
}

/** Changes a copy of a {@link PersistentMap}; `finish()` once. */
export class MapEditor<K extends Key, V> {
  #buckets: ReadonlyMap<K, V>[] | undefined
  readonly #copied = new Set<number>()
  #size: number

  constructor(private readonly base: PersistentMap<K, V>) {
    this.#size = base.size
  }

  get size(): number {
    return this.#size
  }

  #list(): readonly ReadonlyMap<K, V>[] {
    return this.#buckets ?? this.base.bucketList
  }

  get(key: K): V | undefined {
    const list = this.#list()
    return list[hashOf(key) & (list.length - 1)]!.get(key)
  }

  has(key: K): boolean {
    const list = this.#list()
    return list[hashOf(key) & (list.length - 1)]!.has(key)
  }

  /** The entries' values as they stand in this editor. */
  *values(): IterableIterator<V> {
    for (const bucket of this.#list()) yield* bucket.values()
  }

  #writable(key: K): Map<K, V> {
    this.#buckets ??= [...this.base.bucketList]
    const index = hashOf(key) & (this.#buckets.length - 1)
    if (!this.#copied.has(index)) {
      this.#buckets[index] = new Map(this.#buckets[index]!)
      this.#copied.add(index)
    }
    return this.#buckets[index] as Map<K, V>
  }

  set(key: K, value: V): void {
    const bucket = this.#writable(key)
    if (!bucket.has(key)) this.#size++
    bucket.set(key, value)
  }

  delete(key: K): void {
    if (!this.has(key)) return
    this.#writable(key).delete(key)
    this.#size--
  }

  /** The edited map. Redistributes the entries when the buckets grew too full or too empty. */
  finish(): PersistentMap<K, V> {
    if (this.#buckets === undefined) return this.base
    const buckets = this.#buckets
    this.#buckets = undefined
    const wanted = bucketCountFor(this.#size)
    const full = this.#size > buckets.length * entriesPerBucketMax
    const sparse = buckets.length > 1 && wanted * 4 <= buckets.length
    if (!full && !sparse) return PersistentMap.of(buckets, this.#size)
    const spread: Map<K, V>[] = Array.from({ length: wanted }, () => new Map())
    for (const bucket of buckets) {
      for (const [key, value] of bucket) spread[hashOf(key) & (wanted - 1)]!.set(key, value)
    }
    return PersistentMap.of(spread, this.#size)
  }
}
