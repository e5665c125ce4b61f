/**
 * Repairing a damaged checkpoint copy record by record, the last resort of recovery: used only when
 * no whole copy reaches as far as the damaged one does.
 *
 * Each record header names its object and the sequence number of the event that last changed it
 * (`changedSeq`). An object's state at that sequence number never changes until the next event on
 * it, so any copy holding the same object at the same `changedSeq` holds exactly the lost bytes:
 * another state, another image's intact record, or the event numbered `changedSeq` itself (create
 * and alter events carry the whole object). With no such copy, a model or user becomes an
 * unavailable placeholder (name kept, reason given) and a space keeps its name with an empty env.
 */
import { envToJson } from '../properties.js'
import type { DataChange } from './change.js'
import { credentialToJson, fieldsToJson } from './change-json.js'
import {
  type DamagedRecord,
  type ImageRead,
  type IntactRecord,
  flagUnavailable,
  recordKinds,
} from './image-codec.js'
import { type MetaData, buildState, metaFromJson } from './image-state.js'
import { Base, type CheckpointAssessment, type EventPool } from './sources.js'
import type { CatalogState } from './state.js'

type ReadImage = Extract<ImageRead, { status: 'read' }>

export interface RepairContext {
  readonly bases: readonly Base[]
  readonly images: readonly { readonly origin: string; readonly image: () => ImageRead }[]
  readonly pool: EventPool
}

export interface Repaired {
  readonly base: Base
  readonly notes: string[]
  readonly lost: string[]
}

/** The payload of an object as found in a state, when it is there at `changedSeq`. */
function payloadInState(state: CatalogState, record: DamagedRecord): unknown {
  if (record.kind === recordKinds.space) {
    const space = state.spacesById.get(record.key)
    return space?.changedSeq === record.changedSeq ? { env: envToJson(space.env) } : undefined
  }
  if (record.kind === recordKinds.model) {
    const model = state.spacesById.get(record.parent)?.modelsById.get(record.key)
    if (model?.changedSeq !== record.changedSeq || model.unavailable !== undefined) return undefined
    return { fields: fieldsToJson(model.fields), pk: model.primaryKey }
  }
  if (record.kind === recordKinds.user) {
    const user = state.users.get(record.name)
    if (
      user?.id !== record.key ||
      user.changedSeq !== record.changedSeq ||
      user.credential === undefined
    )
      return undefined
    return { root: user.root, credential: credentialToJson(user.credential) }
  }
  return undefined
}

/**
 * The payload of an object from the change that produced it, when that change is event
 * `changedSeq`.
 */
function payloadInChange(change: DataChange, record: DamagedRecord): unknown {
  if (
    record.kind === recordKinds.space &&
    (change.type === 'createSpace' || change.type === 'alterSpace')
  ) {
    return change.space.id === record.key ? { env: envToJson(change.space.env) } : undefined
  }
  if (
    record.kind === recordKinds.model &&
    (change.type === 'createModel' || change.type === 'alterModel')
  ) {
    const { model } = change
    return model.id === record.key
      ? { fields: fieldsToJson(model.fields), pk: model.primaryKey }
      : undefined
  }
  if (
    record.kind === recordKinds.user &&
    (change.type === 'createUser' || change.type === 'alterUser')
  ) {
    const { user } = change
    return user.id === record.key
      ? { root: user.root, credential: credentialToJson(user.credential) }
      : undefined
  }
  return undefined
}

function findReplacement(
  record: DamagedRecord,
  context: RepairContext,
): { payload: unknown; origin: string } | undefined {
  for (const base of context.bases) {
    const state = base.load()
    const payload = state === undefined ? undefined : payloadInState(state, record)
    if (payload !== undefined) return { payload, origin: base.origin }
  }
  for (const { origin, image } of context.images) {
    const read = image()
    if (read.status !== 'read') continue
    const match = read.records.find(
      (other) =>
        other.kind === record.kind &&
        other.key === record.key &&
        other.changedSeq === record.changedSeq,
    )
    if (match !== undefined && (match.flags & flagUnavailable) === 0)
      return { payload: match.payload, origin }
  }
  const event = context.pool.get(record.changedSeq)
  if (event !== undefined) {
    const change = event.change.type === 'commit' ? event.change.change : event.change
    if (change.type !== 'prepare' && change.type !== 'abort') {
      const payload = payloadInChange(change as DataChange, record)
      if (payload !== undefined)
        return { payload, origin: `event ${record.changedSeq} (${event.origin})` }
    }
  }
  return undefined
}

function metaFor(
  image: ReadImage,
  context: RepairContext,
  lost: string[],
  origin: string,
): MetaData {
  const record = image.records.find((candidate) => candidate.kind === recordKinds.meta)
  const meta = record === undefined ? undefined : metaFromJson(record.payload)
  if (meta !== undefined) return meta
  const state = context.bases
    .find((base) => base.seq === image.seq && base.load() !== undefined)
    ?.load()
  if (state !== undefined) {
    const pending = [...state.pending.values()].map((entry) => ({
      id: entry.id,
      seq: entry.preparedSeq,
      change: entry.change,
    }))
    return { nextId: state.nextId, pending, outcomes: [...state.outcomes] }
  }
  let maxId = 0
  for (const candidate of [...image.records, ...image.damaged])
    maxId = Math.max(maxId, candidate.key)
  for (const base of context.bases) maxId = Math.max(maxId, (base.load()?.nextId ?? 1) - 1)
  lost.push(
    `${origin}: the prepared-operation table and recent outcomes (catalog meta record damaged)`,
  )
  return { nextId: maxId + 1, pending: [], outcomes: [] }
}

/** Rebuilds a damaged copy's state, or undefined when its records cannot all be identified. */
export function repairPartial(
  assessment: CheckpointAssessment,
  context: RepairContext,
): Repaired | undefined {
  const image = assessment.image
  if (image === undefined || !image.countOk) return undefined
  const origin = `${assessment.slot} (generation ${image.generation}, repaired)`
  const notes: string[] = []
  const lost: string[] = []
  const records: IntactRecord[] = image.records.filter((record) => record.kind !== recordKinds.meta)
  for (const damaged of image.damaged) {
    if (damaged.kind === recordKinds.meta) continue
    const { reason, ...identity } = damaged
    const what = `${['', 'meta', 'space', 'model', 'user'][damaged.kind]} ${damaged.name} (id ${
      damaged.key
    })`
    const found = findReplacement(damaged, context)
    if (found !== undefined) {
      records.push({ ...identity, flags: 0, payload: found.payload })
      notes.push(`${what} restored from ${found.origin}`)
      continue
    }
    const why =
      `${assessment.slot} offset ${damaged.offset} damaged (${reason}); ` +
      `no other copy holds it as of event ${damaged.changedSeq}`
    lost.push(`${what}: ${why}`)
    if (damaged.kind === recordKinds.space)
      records.push({ ...identity, flags: 0, payload: { env: {} } })
    else records.push({ ...identity, flags: flagUnavailable, payload: { reason: why } })
  }
  const meta = metaFor(image, context, lost, assessment.slot)
  const built = buildState(image.seq, meta, records)
  if ('problem' in built) return undefined
  return { base: new Base(origin, 'partial', image.seq, built.state), notes, lost }
}
