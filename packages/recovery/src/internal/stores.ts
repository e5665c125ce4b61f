/**
 * Keeping the stores in step with the catalog: one `@sky/mvcc` store per catalog model (id
 * `storeIdOf(model)`, key kind from its primary key), plus the engine's own `$ddl` store; a store
 * whose model the catalog no longer has is dropped.
 *
 * Dropping waits until no commit is in flight, then drops in the same synchronous step: a commit
 * validated against the store can never install into a store that is gone.
 */
import type { CatalogVersion } from '@sky/gns'
import { assert } from '@sky/std'
import type { KeyKind, MvccDatabase } from '@sky/mvcc'
import type { Row, TxnManager } from '@sky/txn'
import { ddlStoreId, modelKeyKind, storeIdOf } from '../engine.js'

/** Store ids the catalog wants, with their key kinds (undefined: definition unavailable). */
export function wantedStores(catalog: CatalogVersion): Map<string, KeyKind | undefined> {
  const wanted = new Map<string, KeyKind | undefined>()
  for (const space of catalog.spaces.values()) {
    for (const model of space.models.values()) wanted.set(storeIdOf(model), modelKeyKind(model))
  }
  return wanted
}

/** Creates the stores the catalog wants and lacks. Returns notes on key kind conflicts. */
export function createMissingStores(db: MvccDatabase<Row>, catalog: CatalogVersion): string[] {
  const notes: string[] = []
  for (const [id, keyKind] of wantedStores(catalog)) {
    const store = db.store(id)
    if (store === undefined) {
      if (keyKind !== undefined) db.createStore(id, { keyKind })
      continue
    }
    if (keyKind !== undefined && store.keyKind !== keyKind) {
      notes.push(`store ${id} holds ${store.keyKind} keys but the catalog says ${keyKind}`)
    }
  }
  return notes
}

/** Store ids present in the database that the catalog does not want. */
export function unwantedStores(db: MvccDatabase<Row>, catalog: CatalogVersion): string[] {
  const wanted = wantedStores(catalog)
  return db.modelIds().filter((id) => id !== ddlStoreId && !wanted.has(id))
}

/**
 * Drops the stores of models gone from the catalog, once no commit is in flight. Returns what was
 * dropped with the live row counts.
 */
export async function dropUnwantedStores(
  db: MvccDatabase<Row>,
  manager: TxnManager | undefined,
  catalog: () => CatalogVersion,
): Promise<Array<{ modelId: string; rows: number }>> {
  for (;;) {
    if (manager !== undefined && manager.stats.inFlight > 0) {
      await manager.drain()
      continue
    }
    // No await from here: nothing can start committing into a store being dropped.
    const dropped: Array<{ modelId: string; rows: number }> = []
    assert(manager === undefined || manager.stats.inFlight === 0, 'no commit in flight')
    for (const id of unwantedStores(db, catalog())) {
      dropped.push({ modelId: id, rows: db.store(id)?.stats().liveKeyCount ?? 0 })
      db.dropStore(id)
    }
    return dropped
  }
}
