/**
 * Txn: one transaction. Reads come from its snapshot (or, at read committed, the latest committed
 * state) overlaid with its own buffered writes; writes are buffered and reach neither the store nor
 * the disk before commit (no-steal), so rollback is dropping the buffer.
 *
 * States:
 *
 *   open ──commit()──▶ committing ──durable & installed──▶ committed
 *     │                    └──validation/journal failure──▶ failed
 *     ├──rollback()──▶ rolled back
 *     └──idle timeout──▶ timed out
 *
 * Operations are synchronous: they touch memory only. Only `commit()` waits (for the journal).
 */
import type { Key, KeyRange, MvccStore } from '@sky/mvcc'
import { compareKeys } from '@sky/mvcc'
import { assert } from '@sky/std'
import {
  type CloseReason,
  DuplicateKeyError,
  ReadOnlyTxnError,
  RowNotFoundError,
  TxnClosedError,
} from './errors.js'
import type { Isolation } from './isolation.js'
import { Footprint } from './internal/footprint.js'
import { keyId } from './internal/key-id.js'
import { inRange } from './internal/key-range.js'
import type { Row } from './value.js'

import type { CommitInfo } from './internal/committing.js'
export type { CommitInfo } from './internal/committing.js'

/** A key range to scan, with an optional page size. */
export interface TxnScanOptions extends KeyRange<Key> {
  /** At most this many rows (default: all, up to the store's page limit per call). */
  readonly limit?: number
}

/** Rows in key order, and where to resume if `limit` cut the scan. */
export interface TxnScanResult {
  readonly entries: ReadonlyArray<{ readonly key: Key; readonly row: Row }>
  readonly resume: Key | undefined
}

/** What a Txn needs from its manager (implemented by TxnManager). @internal */
export interface TxnHost {
  store(modelId: string): MvccStore<Key, Row>
  /** The store, after checking the key's kind and range (TypeMismatchError). */
  storeForKey(modelId: string, key: Key): MvccStore<Key, Row>
  /** Timestamp of the latest installed commit. */
  latestTs(): number
  checkRow(modelId: string, row: Row | undefined): void
  commit(txn: Txn, footprint: Footprint): Promise<CommitInfo>
  release(txn: Txn): void
  armIdleTimer(txn: Txn): IdleTimerHandle | undefined
}

/** @internal */
export interface IdleTimerHandle {
  refresh(): void
  clear(): void
}

export type TxnState = 'open' | 'committing' | CloseReason

export class Txn {
  #state: TxnState = 'open'
  readonly #footprint = new Footprint()
  readonly #timer: IdleTimerHandle | undefined

  /** @internal Use `TxnManager.begin`. */
  constructor(
    private readonly host: TxnHost,
    /** The level this transaction runs at. */
    readonly isolation: Isolation,
    readonly readOnly: boolean,
    /** The snapshot: commits with a timestamp at or below it are visible (not used at read committed). */
    readonly snapshotTs: number,
    /** A unique id, for logs and histories; ids increase in begin order. */
    readonly id: number,
    idleTimeout = true,
  ) {
    this.#timer = idleTimeout ? host.armIdleTimer(this) : undefined
  }

  get state(): TxnState {
    return this.#state
  }

  /** The row with this key, or undefined. */
  get(modelId: string, key: Key): Row | undefined {
    this.#touch()
    return this.#read(modelId, key)
  }

  /** Rows of a key range in key order (own writes included), with a resume key when `limit` cut it. */
  scan(modelId: string, options: TxnScanOptions = {}): TxnScanResult {
    this.#touch()
    const store = this.host.store(modelId)
    const model = this.#footprint.of(modelId)
    const { limit, ...range } = options
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new RangeError(`scan limit must be a positive integer, got ${limit}`)
    }
    // Ask the store for enough rows that own deletes cannot starve the page, then overlay own writes.
    const wanted = limit === undefined ? undefined : Math.min(limit + model.writes.size, 100_000)
    const page = store.scan({ ...range, snapshotTs: this.#readTs(), ...(wanted === undefined ? {} : { limit: wanted }) })
    const merged = new Map<string, { key: Key; row: Row }>()
    for (const entry of page.entries) merged.set(keyId(entry.key), entry)
    const storeExhausted = page.resume === undefined
    for (const [id, write] of model.writes) {
      if (!inRange(write.key, range)) continue
      if (!storeExhausted && compareKeys(write.key, page.resume!) > 0) continue
      if (write.row === undefined) merged.delete(id)
      else merged.set(id, { key: write.key, row: write.row })
    }
    const sorted = [...merged.values()].sort((a, b) => compareKeys(a.key, b.key))
    const entries = limit === undefined ? sorted : sorted.slice(0, limit)
    const cut = entries.length < sorted.length || !storeExhausted
    const resume = cut ? (entries.at(-1)?.key ?? page.resume) : undefined
    // A serializable transaction depends on the whole range it examined, up to where it stopped.
    if (this.isolation === 'serializable' && !this.readOnly) {
      model.scanned(resume === undefined ? range : { ...range, to: resume, toExclusive: false })
    }
    return { entries, resume }
  }

  /** True when a row with this key exists. */
  exists(modelId: string, key: Key): boolean {
    return this.get(modelId, key) !== undefined
  }

  /** Adds a row. @throws DuplicateKeyError if the key exists. */
  insert(modelId: string, key: Key, row: Row): void {
    this.#touchWrite()
    if (this.#read(modelId, key) !== undefined) throw new DuplicateKeyError(modelId)
    this.#write(modelId, key, row)
  }

  /** Replaces an existing row (or computes it from the old one). @throws RowNotFoundError */
  update(modelId: string, key: Key, row: Row | ((old: Row) => Row)): Row {
    this.#touchWrite()
    const old = this.#read(modelId, key)
    if (old === undefined) throw new RowNotFoundError(modelId)
    const next = typeof row === 'function' ? row(old) : row
    this.#write(modelId, key, next)
    return next
  }

  /** Inserts or replaces a row without reading it (a blind write). */
  upsert(modelId: string, key: Key, row: Row): void {
    this.#touchWrite()
    this.#write(modelId, key, row)
  }

  /** Removes an existing row. @throws RowNotFoundError */
  delete(modelId: string, key: Key): void {
    this.#touchWrite()
    if (this.#read(modelId, key) === undefined) throw new RowNotFoundError(modelId)
    this.#write(modelId, key, undefined)
  }

  /**
   * Validates and commits; resolves once the redo record is durable and the writes are visible.
   * A transaction that wrote nothing (and every read-only one) commits without validation.
   *
   * @throws SerializationFailureError (retryable): a concurrent commit conflicted, or the manager's
   *   commit validator refused it (`reason: 'definition'`); nothing was written.
   * @throws TxnDiskFullError (retryable), TxnJournalPoisonedError (outcome unknown until reopen).
   * @throws TxnClosedError if already closed.
   */
  async commit(): Promise<CommitInfo> {
    this.#ensureOpen()
    this.#state = 'committing'
    this.#timer?.clear()
    try {
      const info = await this.host.commit(this, this.#footprint)
      this.#state = 'committed'
      return info
    } catch (error) {
      this.#state = 'failed'
      throw error
    } finally {
      this.host.release(this)
    }
  }

  /** Discards the buffered writes. Idempotent once closed by rollback or timeout. */
  rollback(): void {
    if (this.#state === 'rolled back' || this.#state === 'timed out') return
    this.#ensureOpen()
    this.#close('rolled back')
  }

  /** @internal What this transaction read, scanned and wrote (for the manager). */
  footprint(): Footprint {
    return this.#footprint
  }

  /** @internal Called by the manager's idle timer. */
  expire(): void {
    if (this.#state === 'open') this.#close('timed out')
  }

  #close(reason: CloseReason): void {
    assert(this.#state === 'open', 'only an open transaction closes this way')
    this.#state = reason
    this.#timer?.clear()
    this.#footprint.models.clear()
    this.host.release(this)
  }

  #ensureOpen(): void {
    if (this.#state === 'open') return
    if (this.#state === 'committing') throw new TxnClosedError('committed')
    throw new TxnClosedError(this.#state)
  }

  #touch(): void {
    this.#ensureOpen()
    this.#timer?.refresh()
  }

  #touchWrite(): void {
    this.#touch()
    if (this.readOnly) throw new ReadOnlyTxnError()
  }

  #readTs(): number {
    return this.isolation === 'read committed' ? this.host.latestTs() : this.snapshotTs
  }

  #read(modelId: string, key: Key): Row | undefined {
    const store = this.host.storeForKey(modelId, key)
    const model = this.#footprint.models.get(modelId)
    if (model !== undefined && model.writes.size > 0) {
      const own = model.writes.get(keyId(key))
      if (own !== undefined) return own.row
    }
    // Only serializable validation looks at reads; a read-only transaction never validates.
    if (this.isolation === 'serializable' && !this.readOnly) (model ?? this.#footprint.of(modelId)).read(key)
    return store.get(key, this.#readTs())
  }

  #write(modelId: string, key: Key, row: Row | undefined): void {
    this.host.storeForKey(modelId, key)
    this.host.checkRow(modelId, row)
    this.#footprint.of(modelId).write(key, row, this.host.latestTs())
  }
}
