/**
 * DDL through the engine: the catalog event, its echo in the data journal, and the stores' change.
 *
 * One-phase (no rows are affected): `gns.execute`, append the echo (kind 2), create or drop stores.
 *
 * Two-phase (the statement changes data: drop a model or space with rows, alter the fields of a
 * model with rows), as ARCHITECTURE.md and `@sky/gns` describe:
 *
 *   1. gns.prepare(op)                      GNS journal: PREPARE        (model locked against DDL)
 *   2. append PREPARE {id, echo, action}    data journal, kind 3
 *   3. gns.commit(id)                       GNS journal: COMMIT         (the commit point)
 *   4. the data change                      drop the stores / rewrite the rows in one transaction
 *                                           that also writes `$ddl[id]` (so a replay knows it ran)
 *   5. append the COMMIT echo               data journal, kind 2
 *
 * A crash anywhere is resolved by the next open (open-engine.ts, `finishTwoPhase`): a prepare in
 * doubt in the catalog is aborted (presumed abort: the commit point was not reached); a committed
 * prepare whose data change is missing gets it then.
 *
 * Data changes: dropping removes the stores (ids are never reused, so no row can come back);
 * `alter remove` rewrites every row without the removed fields; `alter add` and `alter update`
 * change no row (rows shorter than the model read null in the fields added after them; update
 * only widens a type or makes a field nullable, so every row stays valid).
 *
 * Shape fence (shape-fences.ts): `alter remove` changes the shape rows must have, so around it
 * the model's store is fenced: closed first (commits writing it are refused, except the rewrite),
 * then the commits validated before are let land (`manager.settled()`), so the plan and the
 * rewrite see every row the store will hold; after the catalog change a commit dates it (the
 * rewrite, or for a one-phase remove the marker `$ddl['shape:<store id>']`), and the fence opens
 * at that timestamp: a commit writing the store whose transaction began before it is refused
 * with the retryable serialization failure, as it may hold rows of the old shape.
 */
import type { DdlOp, DdlResult, Model } from '@sky/gns'
import type { Key } from '@sky/mvcc'
import { assert, isSkyError } from '@sky/std'
import { encodeRedo } from '@sky/txn'
import type { Row } from '@sky/txn'
import { ddlStoreId, storeIdOf } from '../engine.js'
import { RecoveryDdlTooLargeError } from '../errors.js'
import { dataFrameKind } from '../frame-kinds.js'
import type { EngineCore } from './engine-core.js'
import { type PrepareRecord, type PreparedAction, encodePrepare } from './records.js'
import type { ShapeChange } from './shape-fences.js'
import { createMissingStores, dropUnwantedStores } from './stores.js'

type Plan =
  | { readonly twoPhase: false; readonly op: DdlOp }
  | { readonly twoPhase: true; readonly op: DdlOp; readonly action: PreparedAction }

function hasRows(core: EngineCore, modelId: string): boolean {
  return (core.db.store(modelId)?.stats().liveKeyCount ?? 0) > 0
}

/** Decides one- or two-phase, and what the data change is. */
function plan(core: EngineCore, op: DdlOp): Plan {
  const catalog = core.gns.current
  if (op.kind === 'dropModel') {
    const model = catalog.model(op.space, op.name)
    if (model === undefined) return { twoPhase: false, op }
    const id = storeIdOf(model)
    const withData = { ...op, hasData: hasRows(core, id) }
    if (!withData.hasData) return { twoPhase: false, op: withData }
    return { twoPhase: true, op: withData, action: { kind: 'drop', modelIds: [id] } }
  }
  if (op.kind === 'dropSpace') {
    const space = catalog.space(op.name)
    const ids =
      space === undefined ? [] : [...space.models.values()].map((model) => storeIdOf(model))
    if (!ids.some((id) => hasRows(core, id))) return { twoPhase: false, op }
    return { twoPhase: true, op, action: { kind: 'drop', modelIds: ids } }
  }
  if (op.kind === 'alterModel') {
    const model = catalog.model(op.space, op.name)
    if (model === undefined || model.unavailable !== undefined) return { twoPhase: false, op }
    const id = storeIdOf(model)
    if (!hasRows(core, id)) return { twoPhase: false, op }
    if (op.action.kind !== 'remove')
      return { twoPhase: true, op, action: { kind: 'none', modelId: id } }
    const removed = op.action.names
      .map((name) => model.fields.findIndex((field) => field.name === name))
      .filter((index) => index >= 0)
    return { twoPhase: true, op, action: { kind: 'rewrite', modelId: id, removed } }
  }
  return { twoPhase: false, op }
}

/** The fields' names, in order: what a row of the model holds. */
function shapeOf(model: Model | undefined): string {
  return model === undefined ? '' : model.fields.map((field) => field.name).join('\n')
}

/** The store whose row shape `op` changes (`alter … remove` of an available model), if any. */
function reshapedModel(core: EngineCore, op: DdlOp): Model | undefined {
  if (op.kind !== 'alterModel' || op.action?.kind !== 'remove') return undefined
  const model = core.gns.current.model(op.space, op.name)
  return model === undefined || model.unavailable !== undefined ? undefined : model
}

/** Runs one DDL statement (see the file header). REQUIRES: called inside the engine's lane. */
export async function runDdl(core: EngineCore, op: DdlOp): Promise<DdlResult> {
  const model = reshapedModel(core, op)
  if (model === undefined) return runStatement(core, op, undefined)
  const change = core.fences.close(storeIdOf(model))
  try {
    // Commits validated before the fence closed land now: the plan and the rewrite see their rows.
    await core.manager.settled()
    const result = await runStatement(core, op, change)
    if (!change.ended) {
      assert(change.switchedTs === undefined, 'a reshaping statement opens the fence')
      change.abandon()
    }
    return result
  } catch (error) {
    if (!change.ended) {
      const current = core.gns.current.model(model.space, model.name)
      if (change.switchedTs === undefined && shapeOf(current) === shapeOf(model)) change.abandon()
      else change.strand()
    }
    throw error
  }
}

/** One statement, one- or two-phase; `change` holds the store's fence when it reshapes rows. */
async function runStatement(
  core: EngineCore,
  op: DdlOp,
  change: ShapeChange | undefined,
): Promise<DdlResult> {
  const decided = plan(core, op)
  if (!decided.twoPhase) {
    const result = await core.gns.execute(decided.op)
    if (result.changed) change?.switched(core.db.lastCommitTs)
    if (result.changed && result.echo !== undefined) {
      await core.dataLog.appendRecord(dataFrameKind.ddlEcho, result.echo)
    }
    await syncStores(core)
    if (result.changed && change !== undefined) {
      await dateShapeChange(core, change.modelId)
      change.open(core.db.lastCommitTs)
    }
    return result
  }
  if (decided.action.kind === 'rewrite') checkRewriteSize(core, decided.action)
  const prepared = await core.gns.prepare(decided.op)
  if (!prepared.prepared) return prepared.result
  const record: PrepareRecord = { id: prepared.id, echo: prepared.echo, action: decided.action }
  try {
    await core.dataLog.appendRecord(dataFrameKind.prepare, encodePrepare(record))
  } catch (error) {
    // Not prepared on the data side: abandon it (if the catalog still takes writes).
    await core.gns.abort(prepared.id).catch(() => undefined)
    throw error
  }
  core.pending.set(record.id, record)
  const result = await core.gns.commit(record.id)
  change?.switched(core.db.lastCommitTs)
  await applyDataChange(core, record, change)
  // The rewrite committed after the catalog change: it dates the change.
  change?.open(core.db.lastCommitTs)
  if (result.echo !== undefined) await core.dataLog.appendRecord(dataFrameKind.ddlEcho, result.echo)
  core.pending.delete(record.id)
  return result
}

/** Creates stores for new models and drops those of models gone. */
export async function syncStores(core: EngineCore): Promise<void> {
  createMissingStores(core.db, core.gns.current)
  await dropUnwantedStores(core.db, core.manager, () => core.gns.current)
}

/**
 * A one-phase `alter … remove` (the model had no rows) has no rewrite to date it: commit the
 * marker `$ddl['shape:<store id>']` after the catalog change, so that its fence opens at a
 * timestamp no transaction begun before the change can have as its snapshot.
 */
async function dateShapeChange(core: EngineCore, modelId: string): Promise<void> {
  await core.manager.autocommit((txn) => {
    txn.upsert(ddlStoreId, `shape:${modelId}`, ['shape', modelId])
  })
}

/**
 * Step 4 for a committed prepare: drop the stores or rewrite the rows. Idempotent: a rewrite that
 * already ran left `$ddl[id]` behind and is not run again. Returns whether it changed anything.
 * `change`, the store's fence while a statement runs, admits the rewrite.
 */
export async function applyDataChange(
  core: EngineCore,
  record: PrepareRecord,
  change?: ShapeChange,
): Promise<boolean> {
  const { action } = record
  if (action.kind === 'drop') {
    const dropped = await dropUnwantedStores(core.db, core.manager, () => core.gns.current)
    return dropped.length > 0
  }
  if (action.kind === 'none') return false
  return rewriteRows(core, record.id, action, change)
}

function rewritten(row: Row, removed: readonly number[]): Row {
  return row.filter((_, index) => !removed.includes(index))
}

async function rewriteRows(
  core: EngineCore,
  id: string,
  action: Extract<PreparedAction, { kind: 'rewrite' }>,
  change: ShapeChange | undefined,
): Promise<boolean> {
  if (core.db.store(action.modelId) === undefined) return false
  return core.manager.transaction(
    (txn) => {
      if (change?.modelId === action.modelId) change.admit(txn.id)
      if (txn.get(ddlStoreId, id) !== undefined) return false
      let resume: Key | undefined
      for (;;) {
        const page = txn.scan(action.modelId, {
          limit: 1024,
          ...(resume === undefined ? {} : { from: resume, fromExclusive: true }),
        })
        for (const entry of page.entries)
          txn.update(action.modelId, entry.key, rewritten(entry.row, action.removed))
        if (page.resume === undefined) break
        resume = page.resume
      }
      txn.upsert(ddlStoreId, id, ['rewrite', action.modelId])
      return true
    },
    { isolation: 'serializable' },
  )
}

/** Refuses, before anything is written, a rewrite whose transaction would exceed `redoBytesMax`. */
function checkRewriteSize(
  core: EngineCore,
  action: Extract<PreparedAction, { kind: 'rewrite' }>,
): void {
  const store = core.db.store(action.modelId)
  if (store === undefined) return
  let bytes = 0
  let resume: Key | undefined
  for (;;) {
    const page = store.scan({
      snapshotTs: core.db.lastCommitTs,
      limit: 4096,
      ...(resume === undefined ? {} : { from: resume, fromExclusive: true }),
    })
    const writes = page.entries.map((entry) => ({
      modelId: action.modelId,
      key: entry.key,
      row: rewritten(entry.row, action.removed),
    }))
    if (writes.length > 0) bytes += encodeRedo({ commitTs: 1, writes }).length
    // Keep a margin for rows that grow before the rewrite commits.
    if (bytes > core.settings.redoBytesMax * 0.9) {
      throw new RecoveryDdlTooLargeError(action.modelId, bytes, core.settings.redoBytesMax)
    }
    if (page.resume === undefined) return
    resume = page.resume
  }
}

/** True when `error` means the catalog or journal stopped for good (fail-stop). */
export function isFatal(error: unknown): boolean {
  return (
    isSkyError(error, 'GNS_POISONED') ||
    isSkyError(error, 'JOURNAL_POISONED') ||
    isSkyError(error, 'TXN_JOURNAL_POISONED')
  )
}
