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
import { assert } from '@sky/std'
import type { RedoWrite } from './redo-codec.js'
import { inRange } from './key-range.js'

/** What `commit()` resolves with. */
export interface CommitInfo {
  /** The commit timestamp; for a transaction that wrote nothing, its snapshot. */
  readonly commitTs: number
  /** The journal LSN of its redo record; undefined when it wrote nothing. */
  readonly lsn: bigint | undefined
}

/** Per model id, its writes by key id (a transaction's footprint). */
export type WrittenKeys = ReadonlyMap<string, ModelWrites>

/** One model's writes by key id (a ModelFootprint as the in-flight set reads it). */
export interface ModelWrites {
  readonly writes: ReadonlyMap<string, { readonly key: Key }>
}

/**
 * One commit between validation and installation. Its `commit()` promise is settled by the manager
 * when the commit is installed (durable) or dropped (journal failure), in commit order.
 */
export class InFlightCommit {
  outcome: 'waiting' | 'durable' | 'failed' = 'waiting'
  lsn = 0n
  failure: Error | undefined
  #settled: Promise<void> | undefined
  #settle: (() => void) | undefined
  #done = false

  constructor(
    readonly commitTs: number,
    /** The redo writes, installed as they are. */
    readonly writes: readonly RedoWrite[],
    /** Written keys by model: key id → the write (models may have none). */
    readonly written: WrittenKeys,
    readonly resolve: (info: CommitInfo) => void,
    readonly reject: (error: Error) => void,
  ) {}

  /** Resolves once this commit has been installed or dropped (created only when someone waits). */
  whenSettled(): Promise<void> {
    if (this.#done) return Promise.resolve()
    this.#settled ??= new Promise<void>((resolve) => (this.#settle = resolve))
    return this.#settled
  }

  /** Called by the manager once the commit left the in-flight set. */
  settle(): void {
    this.#done = true
    this.#settle?.()
  }
}

export class CommittingSet {
  readonly #entries = new Map<number, InFlightCommit>()
  /**
   * model id → key id → the newest in-flight commit writing it (the key itself is in that
   * commit's `written`, so no wrapper object is allocated per key).
   */
  readonly #byKey = new Map<string, Map<string, InFlightCommit>>()

  get size(): number {
    return this.#entries.size
  }

  entries(): InFlightCommit[] {
    return [...this.#entries.values()]
  }

  add(entry: InFlightCommit): void {
    this.#entries.set(entry.commitTs, entry)
    for (const [modelId, { writes }] of entry.written) {
      if (writes.size === 0) continue
      let index = this.#byKey.get(modelId)
      if (index === undefined) this.#byKey.set(modelId, (index = new Map()))
      for (const id of writes.keys()) index.set(id, entry)
    }
  }

  delete(commitTs: number): void {
    const entry = this.#entries.get(commitTs)
    if (entry === undefined) return
    this.#entries.delete(commitTs)
    for (const [modelId, { writes }] of entry.written) {
      if (writes.size === 0) continue
      const index = this.#byKey.get(modelId)!
      for (const id of writes.keys()) if (index.get(id) === entry) index.delete(id)
      if (index.size === 0) this.#byKey.delete(modelId)
    }
  }

  /** A commit in flight that wrote the key with id `id` of `modelId`, if any. */
  writerOf(modelId: string, id: string): InFlightCommit | undefined {
    return this.#byKey.get(modelId)?.get(id)
  }

  /** A commit in flight that wrote any key of `modelId` inside `range`, if any. */
  writerInRange(modelId: string, range: KeyRange<Key>): InFlightCommit | undefined {
    const index = this.#byKey.get(modelId)
    if (index === undefined) return undefined
    for (const [id, entry] of index) {
      const write = entry.written.get(modelId)?.writes.get(id)
      assert(write !== undefined, 'an indexed key is in its commit\'s written keys')
      if (inRange(write.key, range)) return entry
    }
    return undefined
  }
}
