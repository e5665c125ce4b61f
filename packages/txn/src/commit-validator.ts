/**
 * CommitValidator: the owner's last word on a commit, for conditions the manager cannot see in
 * keys and ranges. The case it exists for: a model's row shape changed (an `alter model … remove`
 * in `@sky/recovery`) after a transaction buffered rows of the old shape; only the owner of the
 * catalog knows when that happened, and only the manager knows which transaction is committing.
 *
 * Guarantees the manager keeps (see `TxnManager.commit` protocol):
 * - the validator is called for every commit that writes something, synchronously, after every
 *   other check passed and before the commit takes a timestamp: when it accepts, the commit takes
 *   the next timestamp in the same synchronous step; when it refuses, nothing is journaled or
 *   installed and the commit fails with `SerializationFailureError` (`reason: 'definition'`);
 * - a transaction that writes nothing never reaches it (it commits without validation).
 */

/** What a {@link CommitValidator} is told about the commit it judges. */
export interface CommitCandidate {
  /** The committing transaction's `Txn.id` (unique; ids increase in begin order). */
  readonly txnId: number
  /**
   * Its snapshot: the timestamp of the last commit installed when it began. Every level has one
   * (read committed too, though it reads later states), so "began before commit T" is
   * `snapshotTs < T`.
   */
  readonly snapshotTs: number
  /** The stores it writes (inserts, updates or deletes), each once; never empty. */
  readonly modelIds: readonly string[]
}

/** A refusal: the commit fails with `SerializationFailureError(modelId, 'definition')`. */
export interface CommitRefusal {
  /** The store whose change is the reason (named by the error). */
  readonly modelId: string
  /**
   * Settles once a transaction begun afterwards can pass. `TxnManager.transaction` and
   * `TxnManager.autocommit` wait for it before they retry; omitted, they retry at once.
   */
  readonly retryAfter?: Promise<unknown>
}

/**
 * Decides whether a commit may proceed: `undefined` accepts, a {@link CommitRefusal} refuses.
 * Must be quick and must not throw (a throw fails the commit with that error, nothing written).
 * A validator that refuses must accept a transaction begun after `retryAfter` settles (or, without
 * one, eventually), or `autocommit`, which never fails with a serialization failure, retries
 * forever.
 *
 * @example
 * ```ts
 * // Refuse commits to a model while it is being altered; retry when the alteration ends.
 * const altering = new Map<string, Promise<void>>()
 * const manager = new TxnManager({
 *   store, journal,
 *   validateCommit: ({ modelIds }) => {
 *     const modelId = modelIds.find((id) => altering.has(id))
 *     return modelId === undefined ? undefined : { modelId, retryAfter: altering.get(modelId)! }
 *   },
 * })
 * ```
 */
export type CommitValidator = (commit: CommitCandidate) => CommitRefusal | undefined
