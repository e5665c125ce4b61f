/**
 * The values a row holds. A row is the model's fields in declaration order; `@sky/txn` checks them
 * only through the caller's {@link RowChecker}, and stores them as given.
 */

/** One field value: null, bool, integer (bigint), float (number), string, binary, or a list. */
export type Value = null | boolean | bigint | number | string | Uint8Array | readonly Value[]

/** A row: the model's fields in order. */
export type Row = readonly Value[]

/** A primary key: integer keys are bigint. */
export type { Key } from '@sky/mvcc'

/**
 * Checks keys and rows against the model definitions (owned by the catalog). Returns a description
 * of the first mismatch, or `undefined` when the row fits. `@sky/txn` turns a description into a
 * `TypeMismatchError`.
 */
export interface RowChecker {
  checkRow(modelId: string, row: Row): string | undefined
}
