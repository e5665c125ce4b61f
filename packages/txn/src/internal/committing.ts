/**
 * Commits in flight: validated, given a commit timestamp, written to the journal but not yet durable
 * and installed. A transaction validating later must see them, or two conflicting transactions could
 * both pass validation while the first waits for its fdatasync. Entries leave in commit order once
 * installed (or when their journal write failed).
 *
 * Invariant: every entry's commitTs is above the store's last installed timestamp, so every entry is
 * concurrent with every open transaction and with every transaction validating now.
 * Lookups by key are O(1) through `#byKey` (thousands of commits can be in flight at once); a range
 * lookup visits the in-flight keys of that model.
 */
import type { Key, KeyRange } from '@sky/mvcc'
import { inRange } from './key-range.js'

export interface CommittingEntry {
  readonly commitTs: number
  /** Written keys by model: key id → key. */
  readonly writes: ReadonlyMap<string, ReadonlyMap<string, Key>>
  /** Resolves when this commit has been installed or has failed. */
  readonly settled: Promise<void>
}

export class CommittingSet {
  readonly #entries = new Map<number, CommittingEntry>()
  /** model id → key id → the newest in-flight commit writing it. */
  readonly #byKey = new Map<string, Map<string, { key: Key; entry: CommittingEntry }>>()

  get size(): number {
    return this.#entries.size
  }

  entries(): CommittingEntry[] {
    return [...this.#entries.values()]
  }

  add(entry: CommittingEntry): void {
    this.#entries.set(entry.commitTs, entry)
    for (const [modelId, keys] of entry.writes) {
      let index = this.#byKey.get(modelId)
      if (index === undefined) this.#byKey.set(modelId, (index = new Map()))
      for (const [id, key] of keys) index.set(id, { key, entry })
    }
  }

  delete(commitTs: number): void {
    const entry = this.#entries.get(commitTs)
    if (entry === undefined) return
    this.#entries.delete(commitTs)
    for (const [modelId, keys] of entry.writes) {
      const index = this.#byKey.get(modelId)!
      for (const id of keys.keys()) if (index.get(id)?.entry === entry) index.delete(id)
      if (index.size === 0) this.#byKey.delete(modelId)
    }
  }

  /** A commit in flight that wrote the key with id `id` of `modelId`, if any. */
  writerOf(modelId: string, id: string): CommittingEntry | undefined {
    return this.#byKey.get(modelId)?.get(id)?.entry
  }

  /** A commit in flight that wrote any key of `modelId` inside `range`, if any. */
  writerInRange(modelId: string, range: KeyRange<Key>): CommittingEntry | undefined {
    const index = this.#byKey.get(modelId)
    if (index === undefined) return undefined
    for (const { key, entry } of index.values()) if (inRange(key, range)) return entry
    return undefined
  }
}
