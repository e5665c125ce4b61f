/**
 * MvccDatabase: the stores of every model, sharing one commit timestamp space, so that one
 * transaction's writes to several models install at one timestamp, atomically.
 *
 * Invariants: `lastCommitTs` strictly increases with each install; a store receives only
 * timestamps above the database's previous one, hence above its own; the GC horizon never
 * decreases and is applied to every store.
 */
import { assert } from '@sky/std'
import { MvccModelExistsError, MvccUnknownModelError } from './errors.js'
import { gcEntriesDefault } from './internal/limits.js'
import type { Key } from './key.js'
import type { GcOptions, GcResult, MvccStoreOptions, Timestamp, Write } from './store.js'
import { MvccStore, checkGcArguments } from './store.js'

/** A write of one model's row, as {@link MvccDatabase.install} takes it. */
export interface ModelWrite<Row> extends Write<Key, Row> {
  /** The model's id, as given to {@link MvccDatabase.createStore}. */
  readonly modelId: string
}

/**
 * The stores of all models, keyed by model id, with one shared clock.
 *
 * Guarantees: `install` is all-or-nothing across models (validated before anything changes);
 * `gc` moves every store's horizon together and spreads its work budget over them fairly.
 *
 * @example
 * ```ts
 * const db = new MvccDatabase<readonly unknown[]>()
 * const users = db.createStore('users', { keyKind: 'string' })
 * db.createStore('orders', { keyKind: 'int' })
 * db.install(1, [
 *   { modelId: 'users', key: 'ann', row: ['ann'] },
 *   { modelId: 'orders', key: 7n, row: [7n, 'ann'] },
 * ])
 * users.get('ann', db.lastCommitTs)  // ['ann']
 * ```
 */
export class MvccDatabase<Row extends {}> {
  readonly #stores = new Map<string, MvccStore<Key, Row>>()
  #lastCommitTs = 0
  #gcHorizon = 0
  /** Where the next `gc` call starts among the stores, so a busy store cannot starve the others. */
  #gcStart = 0

  /** Timestamp of the latest install, 0 before the first. Reading at it reads the latest. */
  get lastCommitTs(): Timestamp {
    return this.#lastCommitTs
  }

  /** The GC horizon applied to every store. */
  get gcHorizon(): Timestamp {
    return this.#gcHorizon
  }

  /** Model ids with a store, in creation order. */
  modelIds(): string[] {
    return [...this.#stores.keys()]
  }

  /**
   * Creates the empty store of a model.
   *
   * @throws MvccModelExistsError if the model already has one.
   */
  createStore<K extends Key>(modelId: string, options: MvccStoreOptions<K>): MvccStore<K, Row> {
    if (this.#stores.has(modelId)) throw new MvccModelExistsError(modelId)
    const store = new MvccStore<K, Row>(options)
    // A new store has no versions: reads at any snapshot are right, so it can start at horizon 0.
    this.#stores.set(modelId, store as unknown as MvccStore<Key, Row>)
    return store
  }

  /** The store of a model, or `undefined`. */
  store(modelId: string): MvccStore<Key, Row> | undefined {
    return this.#stores.get(modelId)
  }

  /** Forgets a model's store and all its versions; false if it had none. */
  dropStore(modelId: string): boolean {
    return this.#stores.delete(modelId)
  }

  /**
   * Installs one committed transaction's writes, over any number of models, at `commitTs`.
   * All-or-nothing: every model id and key is checked before any store changes.
   *
   * REQUIRES: `commitTs` > `lastCommitTs` (asserted).
   * @throws MvccUnknownModelError for a model id without a store.
   * @throws TypeError for a key of the wrong kind for its model.
   * @throws RangeError if `commitTs` is not a positive safe integer.
   */
  install(commitTs: Timestamp, writes: ReadonlyArray<ModelWrite<Row>>): void {
    if (!Number.isSafeInteger(commitTs) || commitTs < 1) {
      throw new RangeError(`commit timestamp must be a positive safe integer, got ${commitTs}`)
    }
    assert(commitTs > this.#lastCommitTs, 'installs come in increasing commit timestamp order')
    const groups = new Map<MvccStore<Key, Row>, Array<Write<Key, Row>>>()
    for (const write of writes) {
      const store = this.#stores.get(write.modelId)
      if (store === undefined) throw new MvccUnknownModelError(write.modelId)
      if (!store.isKey(write.key)) {
        throw new TypeError(`install: model ${write.modelId} has ${store.keyKind} keys`)
      }
      let group = groups.get(store)
      if (group === undefined) groups.set(store, (group = []))
      group.push({ key: write.key, row: write.row })
    }
    this.#lastCommitTs = commitTs
    for (const [store, group] of groups) store.install(commitTs, group)
  }

  /**
   * Moves the horizon of every store to `horizon` (never backwards) and collects garbage,
   * visiting at most `entriesMax` queued keys in total, starting each call with the store after
   * the one the previous call started with. See {@link MvccStore.gc} for what is dropped.
   *
   * @throws RangeError as {@link MvccStore.gc}.
   */
  gc(horizon: Timestamp, options: GcOptions = {}): GcResult {
    const { entriesMax = gcEntriesDefault } = options
    checkGcArguments(horizon, entriesMax)
    const stores = [...this.#stores.values()]
    let entriesProcessed = 0
    let versionsDropped = 0
    let keysRemoved = 0
    let done = true
    this.#gcStart = stores.length === 0 ? 0 : (this.#gcStart + 1) % stores.length
    for (let offset = 0; offset < stores.length; offset++) {
      const store = stores[(this.#gcStart + offset) % stores.length] as MvccStore<Key, Row>
      // With the budget spent, entriesMax 0 still moves the store's horizon: reads below the
      // horizon are refused in every store alike.
      const result = store.gc(horizon, { entriesMax: entriesMax - entriesProcessed })
      entriesProcessed += result.entriesProcessed
      versionsDropped += result.versionsDropped
      keysRemoved += result.keysRemoved
      done &&= result.done
    }
    if (horizon > this.#gcHorizon) this.#gcHorizon = horizon
    return { entriesProcessed, versionsDropped, keysRemoved, done }
  }
}
