/** Shared set-up for the txn tests: a manager over an MvccDatabase and a journal on the simulated disk. */
import { openJournal, type Journal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import { SimFileSystem } from '@sky/vfs'
import { type Row, TxnManager, type TxnManagerOptions } from '../src/index.js'

export interface Fixture {
  readonly fs: SimFileSystem
  readonly journal: Journal
  readonly store: MvccDatabase<Row>
  readonly manager: TxnManager
}

/** Models `accounts` (string keys), `items` (int keys) and `blobs` (binary keys). */
export async function fixture(options: Partial<TxnManagerOptions> = {}, fs = new SimFileSystem()): Promise<Fixture> {
  const journal = await openJournal({ fs, dir: '/db/journal' })
  const store = new MvccDatabase<Row>()
  createModels(store)
  const manager = new TxnManager({ store, journal, ...options })
  return { fs, journal, store, manager }
}

export function createModels(store: MvccDatabase<Row>): void {
  store.createStore('accounts', { keyKind: 'string' })
  store.createStore('items', { keyKind: 'int' })
  store.createStore('blobs', { keyKind: 'binary' })
}

/** Yields to the event loop a few times, as real I/O between statements would. */
export async function pause(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve))
}

/** A small deterministic PRNG for workloads. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
