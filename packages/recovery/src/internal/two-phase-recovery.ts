/**
 * Step 7 of open: two-phase DDL a crash left unfinished (see ddl.ts for the protocol).
 *
 *   catalog says             | data journal                  | action
 *   -------------------------+-------------------------------+------------------------------------
 *   prepare pending (doubt)  | PREPARE or nothing, no COMMIT | abort (presumed abort), echo it
 *   committed                | PREPARE, no COMMIT echo       | do the data change (idempotent)
 *   aborted / unknown        | PREPARE, no COMMIT echo       | discard the PREPARE
 *
 * A prepare still in doubt after the catalog consumed the data journal's echoes has no COMMIT echo
 * there: the commit point (the catalog's COMMIT event) was not reached.
 */
import { readEcho } from '@sky/gns'
import { dataFrameKind } from '../frame-kinds.js'
import type { TwoPhaseResolution } from '../report.js'
import { applyDataChange } from './ddl.js'
import type { EngineCore } from './engine-core.js'
import type { PrepareRecord } from './records.js'

function describePrepare(record: PrepareRecord): string {
  const { action } = record
  if (action.kind === 'drop') return `drop the stores of models ${action.modelIds.join(', ')}`
  if (action.kind === 'rewrite')
    return `rewrite model ${action.modelId} without fields ${action.removed.join(', ')}`
  return `alter model ${action.modelId} (no row change)`
}

/** Step 7: resolve prepares in doubt, finish committed ones (see ddl.ts). */
export async function finishTwoPhase(
  core: EngineCore,
  pending: Map<string, PrepareRecord>,
  droppedAtOpen: ReadonlySet<string>,
): Promise<{ resolutions: TwoPhaseResolution[]; echoSeq: number }> {
  const resolutions: TwoPhaseResolution[] = []
  let echoSeq = 0
  for (const doubt of core.gns.inDoubt) {
    const result = await core.gns.resolveInDoubt(doubt.id, 'abort')
    if (result.echo !== undefined) {
      await core.dataLog.appendRecord(dataFrameKind.ddlEcho, result.echo)
      echoSeq = Math.max(echoSeq, readEcho(result.echo)?.seq ?? 0)
    }
    resolutions.push({
      id: doubt.id,
      description: doubt.description,
      decision: 'aborted: in doubt, no commit echo (presumed abort)',
    })
    pending.delete(doubt.id)
  }
  for (const record of pending.values()) {
    const description = describePrepare(record)
    if (core.gns.outcomeOf(record.id) !== 'committed') {
      resolutions.push({
        id: record.id,
        description,
        decision: 'aborted earlier: prepare discarded',
      })
      continue
    }
    let changed = await applyDataChange(core, record)
    if (record.action.kind === 'drop')
      changed = record.action.modelIds.some((id) => droppedAtOpen.has(id))
    const decision = changed
      ? 'committed: data change finished at open'
      : 'committed: data change already done'
    resolutions.push({ id: record.id, description, decision })
  }
  return { resolutions, echoSeq }
}
