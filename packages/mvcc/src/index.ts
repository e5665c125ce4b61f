/**
 * @packageDocumentation
 * `@sky/mvcc` is skydb's in-memory multi-version store. Per model, an {@link MvccStore} maps each
 * primary key to its chain of committed versions (commit timestamp, row or tombstone) in a
 * B+tree ordered by key: snapshot point reads, ordered scans with a limit and a resume key,
 * atomic installs of committed writes, the last commit timestamp touching a key or a key range
 * (for serializable validation, phantoms included), and incremental garbage collection of
 * versions no snapshot can see. {@link MvccDatabase} holds the stores of all models on one clock.
 * It does no I/O and knows nothing of transactions: `@sky/txn` decides what to install and when.
 */
export { MvccStore } from './store.js'
export type {
  GcOptions,
  GcResult,
  MvccStats,
  MvccStoreOptions,
  ScanEntry,
  ScanOptions,
  ScanResult,
  Timestamp,
  Write,
} from './store.js'
export { MvccDatabase } from './database.js'
export type { ModelWrite } from './database.js'
export {
  compareBinaryKeys,
  compareIntKeys,
  compareKeys,
  compareStringKeys,
  keyComparator,
  keyKindOf,
} from './key.js'
export type { Key, KeyKind, KeyOfKind, KeyRange, KindOfKey } from './key.js'
export { MvccModelExistsError, MvccSnapshotTooOldError, MvccUnknownModelError } from './errors.js'
export { scanEntriesMax, gcEntriesDefault } from './internal/limits.js'
