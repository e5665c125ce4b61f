/**
 * The operating errors of @sky/mvcc. Each has a stable `code`; callers match on it.
 * Misuse that only a bug can cause (installing out of timestamp order) is an assertion instead.
 */
import { SkyError } from '@sky/std'

/**
 * A read asked for a snapshot older than the store's GC horizon: versions it would need may be
 * gone. Retryable: a new transaction takes a newer snapshot.
 */
export class MvccSnapshotTooOldError extends SkyError {
  readonly code = 'MVCC_SNAPSHOT_TOO_OLD'
  override readonly retryable = true
  constructor(
    readonly snapshotTs: number,
    readonly gcHorizon: number,
  ) {
    super(`snapshot ${snapshotTs} is older than the GC horizon ${gcHorizon}; retry with a new one`)
  }
}

/** `MvccDatabase.createStore` was given a model id that already has a store. */
export class MvccModelExistsError extends SkyError {
  readonly code = 'MVCC_MODEL_EXISTS'
  constructor(readonly modelId: string) {
    super(`model ${JSON.stringify(modelId)} already has a store`)
  }
}

/** `MvccDatabase.install` named a model id that has no store; nothing was installed. */
export class MvccUnknownModelError extends SkyError {
  readonly code = 'MVCC_UNKNOWN_MODEL'
  constructor(readonly modelId: string) {
    super(`model ${JSON.stringify(modelId)} has no store`)
  }
}
