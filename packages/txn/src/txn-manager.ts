/**
 * TxnManager: begins transactions, validates and commits them, and installs committed writes in
 * commit order once the journal says they are durable.
 *
 * Commit protocol (all of steps 1-4 run synchronously, so they are atomic on the event loop):
 *  1. validate the footprint against the store and against commits in flight (see `#validate`),
 *     then, last, ask the owner's commit validator (`validateCommit`), if any;
 *  2. take the next commit timestamp;
 *  3. register the commit as in flight, so a transaction validating next sees it;
 *  4. hand the redo record to the journal (LSN order = commit order, as the journal assigns LSNs in
 *     call order);
 *  5. when the journal resolves (durable), install the writes in the store in commit-timestamp order,
 *     remove the in-flight entry, and only then resolve `commit()`.
 * Nothing uncommitted reaches the store or the disk (no-steal), so there is nothing to undo.
 */
import type { Key, MvccDatabase, MvccStore } from '@sky/mvcc'
import { assert, isSkyError } from '@sky/std'
import {
  RedoRecordError,
  SerializationFailureError,
  TxnDiskFullError,
  TxnJournalPoisonedError,
  TxnTooLargeError,
  TypeMismatchError,
  UnknownModelError,
} from './errors.js'
import type { CommitRefusal, CommitValidator } from './commit-validator.js'
import { effectiveIsolation, type Isolation, type IsolationLevel } from './isolation.js'
import { CommittingSet, InFlightCommit } from './internal/committing.js'
import type { Footprint } from './internal/footprint.js'
import { type RedoWrite, decodeRedo, encodeRedo, listDepthMax } from './internal/redo-codec.js'
import type { CommitInfo } from './internal/committing.js'
import { Txn } from './txn.js'
import type { Row, RowChecker, Value } from './value.js'

/** The journal as the manager needs it: `append` resolves with the LSN once durable. */
export interface RedoLog {
  append(payload: Uint8Array, kind?: number): Promise<bigint>
}

/** The journal frame kind of redo records. Other kinds in the same journal are not the manager's. */
export const redoFrameKind = 1
/** Largest redo record, by default: below the journal's default payload limit (16 MiB). */
export const redoBytesMaxDefault = 16 * 1024 * 1024
/** Default idle timeout of explicit transactions. */
export const idleTimeoutMsDefault = 60_000

/** Options of {@link TxnManager}. */
export interface TxnManagerOptions {
  readonly store: MvccDatabase<Row>
  readonly journal: RedoLog
  /** Checks rows against model definitions; by default any row is accepted. */
  readonly rows?: RowChecker
  /** Default `serializable`. */
  readonly defaultIsolation?: IsolationLevel
  /** An explicit transaction idle this long is rolled back. Default 60 s; 0 disables. */
  readonly idleTimeoutMs?: number
  /** Largest redo record in bytes (default 16 MiB): keep it within the journal's payload limit. */
  readonly redoBytesMax?: number
  /**
   * Called for every commit that writes, after every other check passed, with the transaction's
   * id, snapshot and written stores; a refusal fails the commit with the retryable
   * `SerializationFailureError` (`reason: 'definition'`), nothing journaled or installed. See
   * {@link CommitValidator}. Default: none.
   */
  readonly validateCommit?: CommitValidator
}

/** Options of {@link TxnManager.begin}. */
export interface BeginOptions {
  readonly isolation?: IsolationLevel
  /** A read-only transaction rejects writes and never aborts. */
  readonly readOnly?: boolean
  /**
   * Default true. False starts no idle timer: for a transaction that ends within the synchronous call
   * that began it (a statement's private snapshot), where arming and clearing a timer is pure cost.
   */
  readonly idleTimeout?: boolean
}

/** Options of {@link TxnManager.transaction}. */
export interface TransactionOptions extends BeginOptions {
  /** Retries after a serialization failure; default 16. */
  readonly retries?: number
}

/** Counters. */
export interface TxnStats {
  readonly commits: number
  readonly aborts: number
  readonly open: number
  readonly inFlight: number
}

/**
 * @example
 * ```ts
 * const manager = new TxnManager({ store: new MvccDatabase(), journal })
 * await manager.transaction((txn) => {
 *   const from = txn.get('accounts', 'alice')!
 *   txn.update('accounts', 'alice', [from[0], (from[1] as bigint) - 10n])
 * })
 * ```
 */
export class TxnManager {
  readonly #store: MvccDatabase<Row>
  readonly #journal: RedoLog
  readonly #rows: RowChecker | undefined
  readonly #defaultIsolation: IsolationLevel
  readonly #idleTimeoutMs: number
  readonly #redoBytesMax: number
  readonly #validateCommit: CommitValidator | undefined
  /** A validator's refusal → when to retry it (read by `transaction` and `autocommit`). */
  readonly #retryAfter = new WeakMap<object, Promise<unknown>>()
  readonly #committing = new CommittingSet()
  /** In-flight commits by commit timestamp, for installation in order. */
  readonly #pending = new Map<number, InFlightCommit>()
  readonly #open = new Set<Txn>()
  #clock: number
  #nextToInstall: number
  #poisoned: TxnJournalPoisonedError | undefined
  #nextId = 1
  #commits = 0
  #aborts = 0
  #installsSinceGc = 0

  constructor(options: TxnManagerOptions) {
    this.#store = options.store
    this.#journal = options.journal
    this.#rows = options.rows
    this.#defaultIsolation = options.defaultIsolation ?? 'serializable'
    effectiveIsolation(this.#defaultIsolation)
    this.#idleTimeoutMs = options.idleTimeoutMs ?? idleTimeoutMsDefault
    this.#redoBytesMax = options.redoBytesMax ?? redoBytesMaxDefault
    this.#validateCommit = options.validateCommit
    if (this.#validateCommit !== undefined && typeof this.#validateCommit !== 'function') {
      throw new TypeError('validateCommit must be a function')
    }
    if (!(this.#idleTimeoutMs >= 0)) throw new RangeError('idleTimeoutMs must be >= 0')
    this.#clock = this.#store.lastCommitTs
    this.#nextToInstall = this.#clock + 1
  }

  get stats(): TxnStats {
    return { commits: this.#commits, aborts: this.#aborts, open: this.#open.size, inFlight: this.#committing.size }
  }

  /** Starts a transaction. `isolation` defaults to the manager's default (serializable). */
  begin(options: BeginOptions = {}): Txn {
    const { isolation } = effectiveIsolation(options.isolation ?? this.#defaultIsolation)
    const snapshotTs = this.#store.lastCommitTs
    const txn = new Txn(this, isolation, options.readOnly === true, snapshotTs, this.#nextId++, options.idleTimeout !== false)
    this.#open.add(txn)
    return txn
  }

  /**
   * Runs `work` in a transaction and commits it, retrying the whole of it after a serialization
   * failure. Any other error rolls back and is rethrown.
   */
  async transaction<T>(work: (txn: Txn) => T | Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 16
    for (let attempt = 0; ; attempt++) {
      const txn = this.begin(options)
      let result: T
      try {
        result = await work(txn)
      } catch (error) {
        if (txn.state === 'open') txn.rollback()
        if (!isSkyError(error, 'TXN_SERIALIZATION_FAILURE') || attempt >= retries) throw error
        continue
      }
      try {
        await txn.commit()
        return result
      } catch (error) {
        if (!isSkyError(error, 'TXN_SERIALIZATION_FAILURE') || attempt >= retries) throw error
        await this.#beforeRetry(error)
      }
    }
  }

  /**
   * Runs one statement outside any transaction: `work` reads and writes synchronously at the latest
   * committed state and commits at once. It never fails with a serialization failure: if a commit in
   * flight touched what it read or wrote, the statement waits for that commit and runs again; if
   * the commit validator refuses it, the statement waits for the refusal's `retryAfter` and runs
   * again in a new transaction (so its rows are written, and checked, anew).
   * `work` must not await, and may run more than once.
   */
  async autocommit<T>(work: (txn: Txn) => T): Promise<{ readonly result: T; readonly commit: CommitInfo }> {
    for (;;) {
      const txn = new Txn(this, 'serializable', false, this.#store.lastCommitTs, this.#nextId++, false)
      this.#open.add(txn)
      let result: T
      try {
        result = work(txn)
        assert(!((result as unknown) instanceof Promise), 'autocommit work is synchronous')
      } catch (error) {
        txn.rollback()
        throw error
      }
      const blocker = this.#inFlightOverlap(txn)
      if (blocker !== undefined) {
        txn.rollback()
        await blocker.whenSettled()
        continue
      }
      try {
        return { result, commit: await txn.commit() }
      } catch (error) {
        // Read, validated and committed in one synchronous step at the latest state, the statement
        // conflicts with nothing: only the commit validator can refuse it.
        if (!isSkyError(error, 'TXN_SERIALIZATION_FAILURE')) throw error
        await this.#beforeRetry(error)
      }
    }
  }

  /** Waits before a retry: for a validator's `retryAfter`, else one turn (the winner installs). */
  async #beforeRetry(error: object): Promise<void> {
    const wait = this.#retryAfter.get(error)
    if (wait !== undefined) await wait.then(noop, noop)
    await new Promise((resolve) => setImmediate(resolve))
  }

  /**
   * Re-applies a committed redo record at open, in LSN order (used by recovery). Writes to models
   * without a store are skipped and counted.
   *
   * @throws RedoRecordError for a malformed record or an unknown format version.
   */
  replay(payload: Uint8Array): { readonly commitTs: number; readonly skippedWrites: number } {
    assert(this.#committing.size === 0 && this.#open.size === 0, 'replay runs before any transaction')
    const record = decodeRedo(payload)
    const writes = record.writes.filter((write) => this.#store.store(write.modelId) !== undefined)
    if (record.commitTs <= this.#store.lastCommitTs) {
      throw new RedoRecordError(`commit timestamp ${record.commitTs} does not follow ${this.#store.lastCommitTs}`)
    }
    this.#store.install(record.commitTs, writes)
    this.#clock = record.commitTs
    this.#nextToInstall = record.commitTs + 1
    return { commitTs: record.commitTs, skippedWrites: record.writes.length - writes.length }
  }

  /** Waits for every commit in flight to finish. */
  async drain(): Promise<void> {
    while (this.#committing.size > 0) await Promise.all(this.#committing.entries().map((entry) => entry.whenSettled()))
  }

  /**
   * Resolves once every commit in flight at the call has been installed or has failed. Unlike
   * {@link drain} it does not wait for commits that validate later, so it ends under load too.
   *
   * @example
   * ```ts
   * altering.set('orders', ended) // the validator now refuses new commits to orders
   * await manager.settled()        // the store holds every commit to orders accepted before
   * ```
   */
  settled(): Promise<void> {
    // Commits are installed (or dropped) in timestamp order, so the newest one settles last.
    const newest = this.#pending.get(this.#clock)
    return newest === undefined ? Promise.resolve() : newest.whenSettled()
  }

  /** The oldest snapshot an open transaction holds, or the latest commit when none is open. */
  oldestSnapshotTs(): number {
    let oldest = this.#store.lastCommitTs
    for (const txn of this.#open) if (txn.isolation !== 'read committed') oldest = Math.min(oldest, txn.snapshotTs)
    return oldest
  }

  // --- TxnHost: what each Txn calls back (checked where `new Txn(this, …)` passes it) ---

  /** @internal */
  store(modelId: string): MvccStore<Key, Row> {
    const store = this.#store.store(modelId)
    if (store === undefined) throw new UnknownModelError(modelId)
    return store
  }

  /** @internal */
  latestTs(): number {
    return this.#store.lastCommitTs
  }

  /** @internal The model's store, after checking that `key` is of its key kind. */
  storeForKey(modelId: string, key: Key): MvccStore<Key, Row> {
    const store = this.store(modelId)
    if (!store.isKey(key)) throw new TypeMismatchError(modelId, `the primary key must be ${store.keyKind}`)
    if (typeof key === 'bigint' && (key >= 2n ** 64n || key < -(2n ** 63n))) {
      throw new TypeMismatchError(modelId, 'the primary key does not fit 64 bits')
    }
    return store
  }

  /** @internal */
  checkRow(modelId: string, row: Row | undefined): void {
    if (row === undefined) return
    if (!Array.isArray(row)) throw new TypeMismatchError(modelId, 'a row is an array of field values')
    const problem = firstBadValue(row, 0) ?? this.#rows?.checkRow(modelId, row)
    if (problem !== undefined) throw new TypeMismatchError(modelId, problem)
  }

  /** @internal */
  release(txn: Txn): void {
    this.#open.delete(txn)
  }

  /** @internal */
  armIdleTimer(txn: Txn): IdleTimer | undefined {
    if (this.#idleTimeoutMs === 0) return undefined
    return new IdleTimer(this.#idleTimeoutMs, () => txn.expire())
  }

  /** @internal Steps 1-5 of the commit protocol. */
  commit(txn: Txn, footprint: Footprint): Promise<CommitInfo> {
    if (footprint.writeCount === 0) return Promise.resolve({ commitTs: txn.snapshotTs, lsn: undefined })
    if (this.#poisoned !== undefined) return Promise.reject(this.#poisoned)
    try {
      this.#validate(txn, footprint)
    } catch (error) {
      this.#aborts++
      return Promise.reject(error)
    }
    const writes: RedoWrite[] = []
    for (const [modelId, model] of footprint.models) {
      for (const { key, row } of model.writes.values()) writes.push({ modelId, key, row })
    }
    const commitTs = this.#clock + 1
    const payload = encodeRedo({ commitTs, writes })
    if (payload.length > this.#redoBytesMax) return Promise.reject(new TxnTooLargeError(payload.length, this.#redoBytesMax))
    try {
      this.#askValidator(txn, footprint)
    } catch (error) {
      this.#aborts++
      return Promise.reject(error)
    }
    this.#clock = commitTs
    return new Promise<CommitInfo>((resolve, reject) => {
      // The footprint no longer changes (the transaction is committing): it serves as the
      // commit's index of written keys, with no per-commit copy of them.
      const commit = new InFlightCommit(commitTs, writes, footprint.models, resolve, reject)
      this.#committing.add(commit)
      this.#pending.set(commitTs, commit)
      try {
        // Inline anonymous callbacks: a named local closure is wrapped in a naming helper per
        // commit when the source is compiled with kept names (tsx), which showed in profiles.
        this.#journal.append(payload, redoFrameKind).then(
          (lsn) => this.#journaled(commit, lsn),
          (error: unknown) => this.#journalFailed(commit, error),
        )
      } catch (error) {
        // A synchronous refusal (an argument the journal rejects) wrote nothing: the commit did not
        // happen, nothing is poisoned, and it must still leave the in-flight set or installs stall.
        commit.failure = error instanceof Error ? error : new Error(String(error))
        commit.outcome = 'failed'
        this.#installReady()
      }
    })
  }

  /** Step 5, once the journal says `commit` is durable. */
  #journaled(commit: InFlightCommit, lsn: bigint): void {
    commit.lsn = lsn
    commit.outcome = 'durable'
    this.#installReady()
  }

  /** Step 5, once the journal failed to write `commit`. */
  #journalFailed(commit: InFlightCommit, error: unknown): void {
    commit.failure = this.#journalFailure(error)
    commit.outcome = 'failed'
    this.#installReady()
  }

  /** Installs, in commit order, every commit whose journal write has finished. */
  #installReady(): void {
    for (let pending = this.#pending.get(this.#nextToInstall); pending !== undefined && pending.outcome !== 'waiting'; pending = this.#pending.get(this.#nextToInstall)) {
      this.#pending.delete(pending.commitTs)
      this.#committing.delete(pending.commitTs)
      this.#nextToInstall++
      if (pending.outcome === 'durable') {
        this.#store.install(pending.commitTs, pending.writes)
        this.#commits++
        pending.resolve({ commitTs: pending.commitTs, lsn: pending.lsn })
      } else {
        pending.reject(pending.failure!)
      }
      pending.settle()
      if (++this.#installsSinceGc >= 64) this.#collectGarbage()
    }
  }

  #collectGarbage(): void {
    this.#installsSinceGc = 0
    this.#store.gc(this.oldestSnapshotTs(), { entriesMax: 1024 })
  }

  #journalFailure(error: unknown): Error {
    if (isSkyError(error, 'JOURNAL_DISK_FULL')) return new TxnDiskFullError({ cause: error })
    this.#poisoned ??= new TxnJournalPoisonedError({ cause: error })
    return this.#poisoned
  }

  /**
   * Step 1. Write-write: no key written here was committed (or is being committed) by another
   * transaction after this one's base: its snapshot, or at read committed the state its write saw.
   * Serializable adds: no key read and no range scanned here changed after the snapshot.
   */
  #validate(txn: Txn, footprint: Footprint): void {
    for (const [modelId, model] of footprint.models) {
      const store = this.store(modelId)
      for (const [id, write] of model.writes) {
        const base = txn.isolation === 'read committed' ? write.baseTs : txn.snapshotTs
        if (store.lastCommitTs(write.key) > base || this.#committing.writerOf(modelId, id) !== undefined) {
          throw new SerializationFailureError(modelId, 'write')
        }
      }
      if (txn.isolation !== 'serializable') continue
      for (const [id, key] of model.reads) {
        if (store.lastCommitTs(key) > txn.snapshotTs || this.#committing.writerOf(modelId, id) !== undefined) {
          throw new SerializationFailureError(modelId, 'read')
        }
      }
      for (const range of model.ranges) {
        if (store.lastCommitTsInRange(range) > txn.snapshotTs || this.#committing.writerInRange(modelId, range) !== undefined) {
          throw new SerializationFailureError(modelId, 'range')
        }
      }
    }
  }

  /**
   * The last check of step 1: the owner's commit validator. A refusal throws the retryable
   * SerializationFailureError and remembers when a retry can pass.
   */
  #askValidator(txn: Txn, footprint: Footprint): void {
    if (this.#validateCommit === undefined) return
    const modelIds: string[] = []
    for (const [modelId, model] of footprint.models) {
      if (model.writes.size > 0) modelIds.push(modelId)
    }
    assert(modelIds.length > 0, 'only a commit that writes is validated')
    const candidate = { txnId: txn.id, snapshotTs: txn.snapshotTs, modelIds }
    const refusal: CommitRefusal | undefined = this.#validateCommit(candidate)
    if (refusal === undefined) return
    assert(modelIds.includes(refusal.modelId), 'a refusal names a store the commit writes')
    const error = new SerializationFailureError(refusal.modelId, 'definition')
    if (refusal.retryAfter !== undefined) this.#retryAfter.set(error, refusal.retryAfter)
    throw error
  }

  /** A commit in flight overlapping what an autocommit statement read, scanned or wrote. */
  #inFlightOverlap(txn: Txn): InFlightCommit | undefined {
    if (this.#committing.size === 0) return undefined
    const footprint = txn.footprint()
    for (const [modelId, model] of footprint.models) {
      for (const id of model.writes.keys()) {
        const entry = this.#committing.writerOf(modelId, id)
        if (entry !== undefined) return entry
      }
      for (const id of model.reads.keys()) {
        const entry = this.#committing.writerOf(modelId, id)
        if (entry !== undefined) return entry
      }
      for (const range of model.ranges) {
        const entry = this.#committing.writerInRange(modelId, range)
        if (entry !== undefined) return entry
      }
    }
    return undefined
  }
}

/**
 * Expires a transaction after `timeoutMs` without activity. Operations only bump a counter (cheap on
 * the hot path); the timer fires every `timeoutMs` and expires the transaction when the counter has
 * not moved since the previous firing. So expiry comes between `timeoutMs` and `2 * timeoutMs` after
 * the last operation.
 */
class IdleTimer {
  #activity = 0
  #seen = 0
  readonly #timer: NodeJS.Timeout

  constructor(timeoutMs: number, expire: () => void) {
    this.#timer = setInterval(() => {
      if (this.#activity === this.#seen) {
        clearInterval(this.#timer)
        expire()
      }
      this.#seen = this.#activity
    }, timeoutMs)
    this.#timer.unref()
  }

  refresh(): void {
    this.#activity++
  }

  clear(): void {
    clearInterval(this.#timer)
  }
}

function noop(): void {}

/** Checks that a row holds only storable values; returns the first problem. */
function firstBadValue(values: readonly Value[], depth: number): string | undefined {
  for (const value of values) {
    if (value === null || typeof value === 'boolean' || typeof value === 'string') continue
    if (typeof value === 'number') continue
    if (typeof value === 'bigint') {
      if (value >= 2n ** 64n || value < -(2n ** 63n)) return 'an integer does not fit 64 bits'
      continue
    }
    if (value instanceof Uint8Array) continue
    if (Array.isArray(value)) {
      if (depth + 1 >= listDepthMax) return `lists nested deeper than ${listDepthMax - 1}`
      const inner = firstBadValue(value, depth + 1)
      if (inner !== undefined) return inner
      continue
    }
    return `unsupported value of type ${typeof value}`
  }
  return undefined
}
