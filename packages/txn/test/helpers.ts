/** Shared set-up for the txn tests: a manager over an MvccDatabase and a journal on the simulated disk. */
import { openJournal, type Journal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import { Random, SimFileSystem } from '@sky/vfs'
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

/** A deterministic source of floats in [0, 1) for workloads, from the simulator's PRNG. */
export function random(seed: number): () => number {
  const generator = new Random(seed)
  return () => generator.next()
}
