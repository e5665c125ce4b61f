/**
 * Shape fences: keep rows of a model's old shape out of its store once an `alter model … remove`
 * changed the shape. `check` is the engine's `TxnManager` commit validator (`validateCommit` of
 * `@sky/txn`), so it sees every commit that writes, with its transaction's id and snapshot.
 *
 * A transaction that began before the catalog changed may hold rows of the old shape (buffered,
 * and checked by the `rows` checker, against the old definition), and its commit may come after
 * the change: key and range validation does not stop an insert of a new key. The fence of a store
 * refuses, with the retryable serialization failure, every commit writing that store whose
 * transaction may have begun before the change. Per store:
 *
 *   none ──close()──▶ closed ──open(changedTs)──▶ open(changedTs) ──close()──▶ closed …
 *                       ├──abandon()──▶ as before close() (the statement changed nothing)
 *                       └──strand()──▶ stranded (changed, data change unfinished)
 *   stranded ──close()──▶ closed ──open / abandon / strand──▶ stranded
 *
 * - closed (the DDL runs: `ShapeChange`, ddl.ts): refuse every commit writing the store except
 *   those of admitted transactions (the row rewrite); retry after the DDL ends.
 * - open(changedTs): refuse a commit writing the store whose snapshot is below `changedTs`, the
 *   timestamp of a commit made after the catalog changed (so its transaction began before that
 *   commit, perhaps before the change); a retry, begun now, passes at once.
 * - stranded: the catalog changed but the rewrite (or the commit that dates the change) failed
 *   (the journal ran out of space); a reopen finishes it (two-phase recovery), and rows written
 *   meanwhile would be rewritten again, so the store takes no commit until the engine is
 *   reopened; refused commits wait for `release()` (the engine's close).
 *
 * Invariants: at most one `ShapeChange` per store at a time (DDL runs in the engine's lane);
 * `changedTs` of a store never decreases. One entry per store altered this way since open.
 */
import { assert } from '@sky/std'
import type { CommitCandidate, CommitRefusal } from '@sky/txn'

type Fence =
  | { readonly state: 'open'; readonly changedTs: number }
  | {
      readonly state: 'closed'
      readonly admitted: Set<number>
      /** What a refused commit waits for: the DDL's end. */
      readonly ended: Promise<void>
    }
  | { readonly state: 'stranded' }

export class ShapeFences {
  readonly #fences = new Map<string, Fence>()
  readonly #released: Promise<void>
  #release: () => void = () => undefined

  constructor() {
    this.#released = new Promise((resolve) => (this.#release = resolve))
  }

  /** The commit validator: a refusal when the commit writes a fenced store it may not. */
  check(commit: CommitCandidate): CommitRefusal | undefined {
    if (this.#fences.size === 0) return undefined
    for (const modelId of commit.modelIds) {
      const fence = this.#fences.get(modelId)
      if (fence === undefined) continue
      if (fence.state === 'open') {
        if (commit.snapshotTs < fence.changedTs) return { modelId }
      } else if (fence.state === 'stranded') {
        return { modelId, retryAfter: this.#released }
      } else if (!fence.admitted.has(commit.txnId)) {
        return { modelId, retryAfter: fence.ended }
      }
    }
    return undefined
  }

  /**
   * Closes the fence of `modelId` for a DDL statement that may change its shape. REQUIRES: called
   * in the engine's lane, no other change of this store running.
   */
  close(modelId: string): ShapeChange {
    const previous = this.#fences.get(modelId)
    assert(previous?.state !== 'closed', 'one shape change per store at a time')
    let end = (): void => undefined
    const ended = new Promise<void>((resolve) => (end = resolve))
    this.#fences.set(modelId, { state: 'closed', admitted: new Set(), ended })
    return new ShapeChange(modelId, previous, end, this.#fences)
  }

  /** The engine closes: let every waiter go (their retries then fail on the closed journal). */
  release(): void {
    this.#release()
  }
}

/** One DDL statement's hold on a store's fence; exactly one of open, abandon, strand ends it. */
export class ShapeChange {
  /** `lastCommitTs` right after the catalog published the change (undefined: not yet). */
  switchedTs: number | undefined
  #ended = false

  /** True once open, abandon or strand ended it. */
  get ended(): boolean {
    return this.#ended
  }

  constructor(
    readonly modelId: string,
    private readonly previous: Fence | undefined,
    private readonly end: () => void,
    private readonly fences: Map<string, Fence>,
  ) {}

  /** Lets the transaction `txnId` (the row rewrite) commit to the store while it is closed. */
  admit(txnId: number): void {
    const fence = this.fences.get(this.modelId)
    assert(!this.#ended && fence?.state === 'closed', 'admit while the change runs')
    fence.admitted.add(txnId)
  }

  /** Records that the catalog changed the shape; `lastCommitTs` is the store's at that moment. */
  switched(lastCommitTs: number): void {
    assert(this.switchedTs === undefined, 'the catalog changes once')
    this.switchedTs = lastCommitTs
  }

  /**
   * The change is complete: refuse from now on commits of transactions whose snapshot is below
   * `changedTs`. REQUIRES: `changedTs` is the latest installed commit, and above `switchedTs` (a
   * commit installed after the catalog changed, so every transaction begun before the change has
   * a snapshot below it, and every one begun from now has one at or above it).
   */
  open(changedTs: number): void {
    assert(this.switchedTs !== undefined && changedTs > this.switchedTs, 'dated after the change')
    const previous = this.previous
    if (previous?.state === 'open') assert(changedTs > previous.changedTs, 'changes are ordered')
    this.#finish({ state: 'open', changedTs })
  }

  /** The statement changed nothing: the fence is as it was before. */
  abandon(): void {
    this.#finish(this.previous)
  }

  /** The catalog changed but the statement did not finish: no commit until the engine closes. */
  strand(): void {
    this.#finish({ state: 'stranded' })
  }

  #finish(next: Fence | undefined): void {
    assert(!this.#ended, 'a shape change ends once')
    this.#ended = true
    // A store stranded before stays so: its earlier change is still unfinished.
    if (this.previous?.state === 'stranded') next = this.previous
    if (next === undefined) this.fences.delete(this.modelId)
    else this.fences.set(this.modelId, next)
    this.end()
  }
}
