/**
 * What a transaction touched, per model: the keys it wrote (with the new rows), the keys it read, and
 * the key ranges it scanned. Validation compares footprints with later commits.
 */
import type { Key, KeyRange } from '@sky/mvcc'
import type { Row } from '../value.js'
import { keyId } from './key-id.js'

export interface BufferedWrite {
  readonly key: Key
  /** The new row, or undefined for a delete. */
  readonly row: Row | undefined
  /** Read committed: the store's last commit timestamp when the write was made (its base). */
  readonly baseTs: number
}

/** Reads and ranges start as shared empty collections and get their own on first use. */
const noReads: ReadonlyMap<string, Key> = new Map()
const noRanges: ReadonlyArray<KeyRange<Key>> = []

export class ModelFootprint {
  readonly writes = new Map<string, BufferedWrite>()
  #reads: Map<string, Key> | undefined
  #ranges: Array<KeyRange<Key>> | undefined

  get reads(): ReadonlyMap<string, Key> {
    return this.#reads ?? noReads
  }

  get ranges(): ReadonlyArray<KeyRange<Key>> {
    return this.#ranges ?? noRanges
  }

  scanned(range: KeyRange<Key>): void {
    ;(this.#ranges ??= []).push(range)
  }

  write(key: Key, row: Row | undefined, baseTs: number): void {
    const id = keyId(key)
    const previous = this.writes.get(id)
    // The base of a key written twice is the first write's: that is what the transaction built on.
    this.writes.set(id, { key, row, baseTs: previous?.baseTs ?? baseTs })
  }

  read(key: Key): void {
    ;(this.#reads ??= new Map()).set(keyId(key), key)
  }
}

/** Footprints by model id. */
export class Footprint {
  readonly models = new Map<string, ModelFootprint>()

  of(modelId: string): ModelFootprint {
    let model = this.models.get(modelId)
    if (model === undefined) this.models.set(modelId, (model = new ModelFootprint()))
    return model
  }

  get writeCount(): number {
    let count = 0
    for (const model of this.models.values()) count += model.writes.size
    return count
  }
}
