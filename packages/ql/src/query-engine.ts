/**
 * QueryEngine: what the executor needs from the storage engine, and nothing more.
 *
 * The executor talks to the catalog (`@sky/gns`) and to transactions (`@sky/txn`) only through
 * this interface and their public types. `@sky/recovery`'s engine satisfies it through a small
 * adapter (apps/embedded), and the tests satisfy it with a double built from `openGns`, an
 * `MvccDatabase`, a journal and a `TxnManager`.
 */
import type { CatalogVersion, DdlOp, DdlResult, Model } from '@sky/gns'
import type { TxnManager } from '@sky/txn'

/** What `sysctl report status` reports. */
export interface EngineStatus {
  /** False when the engine stopped accepting writes (a failed fdatasync, a poisoned journal). */
  readonly healthy: boolean
  /** Why it is unhealthy, for logs. */
  readonly detail?: string
}

/**
 * The engine under the executor.
 *
 * Contract the executor relies on:
 * - `catalog()` returns the newest published catalog version; it never blocks.
 * - `ddl(op)` resolves once the statement is durable and its effect is visible: for a model
 *   created, its store exists in `manager`'s database (id {@link QueryEngine.storeId}); for a
 *   model dropped, its rows are gone; for `alterModel … remove`, every row of the model has been
 *   rewritten without the removed columns. A statement that changes data (dropping a model that
 *   holds rows, a space with such models, altering a model's fields) runs the two-phase protocol
 *   (PREPARE in the data journal, COMMIT in the catalog's) inside `ddl`. It throws the catalog's
 *   typed errors (`GnsError`, with `skytableCode`).
 * - Rows in the store are arrays of values in the model's field order, keyed by the primary key
 *   (`bigint` for integer keys, `string`, or `Uint8Array` for binary). Rows written before an
 *   `alter model … add` may be shorter than the field list: missing trailing values read as null.
 * - The executor never runs DML while a DDL statement of the same executor is in `ddl` (it holds
 *   its own gate), so the engine need not make the catalog change and a row rewrite atomic with
 *   respect to this executor's statements.
 */
export interface QueryEngine {
  /** The newest published catalog version. */
  catalog(): CatalogVersion
  /**
   * Runs one DDL operation (two-phase when it changes data) and resolves once durable and
   * visible. For `dropModel` the executor passes `hasData` as it saw it; the engine may recompute
   * it.
   *
   * @throws GnsError (with `skytableCode`) when a check fails; storage errors otherwise.
   */
  ddl(op: DdlOp): Promise<DdlResult>
  /** The transaction manager over the data store. */
  readonly manager: TxnManager
  /** The id of the store that holds a model's rows in `manager`'s database. */
  storeId(model: Model): string
  /**
   * True when `password` is `user`'s (used by `Executor.authenticate`). Optional: without it,
   * `authenticate` refuses everyone.
   */
  verifyPassword?(user: string, password: string): Promise<boolean>
  /** Health for `sysctl report status`. Optional: without it the engine is reported healthy. */
  status?(): EngineStatus
}
