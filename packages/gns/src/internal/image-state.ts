/**
 * Between a catalog state and the records of its image: which records a state is written as, and
 * how a state is rebuilt from intact records (checking that they form a consistent catalog).
 */
import type { Model } from '../catalog.js'
import { envFromJson, envToJson } from '../properties.js'
import { changeTypeCodes, changeTypeOfCode, isDataChange } from './change.js'
import type { DataChange } from './change.js'
import {
  changeFromJson,
  changeToJson,
  credentialFromJson,
  credentialToJson,
  fieldsFromJson,
  fieldsToJson,
} from './change-json.js'
import { type IntactRecord, type RecordInput, flagUnavailable, recordKinds } from './image-codec.js'
import {
  type CatalogState,
  Draft,
  type Outcome,
  genesis,
  makeModel,
  makeUnavailableModel,
  makeUnavailableUser,
  makeUser,
} from './state.js'

type Json = Record<string, unknown>

function modelPayload(model: Model): unknown {
  return model.unavailable === undefined
    ? { fields: fieldsToJson(model.fields), pk: model.primaryKey }
    : { reason: model.unavailable }
}

/** The records of a state's image: meta, users, then each space followed by its models. */
export function stateToRecords(state: CatalogState): RecordInput[] {
  const pending = [...state.pending.values()].map((entry) => ({
    id: entry.id,
    seq: entry.preparedSeq,
    type: changeTypeCodes[entry.change.type],
    change: changeToJson(entry.change),
  }))
  const outcomes = [...state.outcomes].map(([id, outcome]) => [
    id,
    outcome === 'committed' ? 'c' : 'a',
  ])
  const records: RecordInput[] = [
    {
      kind: recordKinds.meta,
      key: 0,
      parent: 0,
      changedSeq: state.seq,
      name: '',
      flags: 0,
      payload: { nextId: state.nextId, pending, outcomes },
    },
  ]
  for (const user of state.users.values()) {
    const unavailable = user.unavailable !== undefined || user.credential === undefined
    records.push({
      kind: recordKinds.user,
      key: user.id,
      parent: 0,
      changedSeq: user.changedSeq,
      name: user.name,
      flags: unavailable ? flagUnavailable : 0,
      payload: unavailable
        ? { reason: user.unavailable ?? 'credential lost' }
        : { root: user.root, credential: credentialToJson(user.credential!) },
    })
  }
  for (const space of state.spacesById.values()) {
    const base = { parent: 0, flags: 0 }
    records.push({
      ...base,
      kind: recordKinds.space,
      key: space.id,
      changedSeq: space.changedSeq,
      name: space.name,
      payload: { env: envToJson(space.env) },
    })
    for (const model of space.modelsById.values()) {
      records.push({
        kind: recordKinds.model,
        key: model.id,
        parent: space.id,
        changedSeq: model.changedSeq,
        name: model.name,
        flags: model.unavailable === undefined ? 0 : flagUnavailable,
        payload: modelPayload(model),
      })
    }
  }
  return records
}

/** The content of a meta record. */
export interface MetaData {
  readonly nextId: number
  readonly pending: readonly {
    readonly id: string
    readonly seq: number
    readonly change: DataChange
  }[]
  readonly outcomes: readonly (readonly [string, Outcome])[]
}

export function metaFromJson(json: unknown): MetaData | undefined {
  if (typeof json !== 'object' || json === null) return undefined
  const { nextId, pending, outcomes } = json as Json
  if (!Number.isSafeInteger(nextId) || (nextId as number) < 1) return undefined
  if (!Array.isArray(pending) || !Array.isArray(outcomes)) return undefined
  const pendingOut: { id: string; seq: number; change: DataChange }[] = []
  for (const entry of pending) {
    const { id, seq, type, change } = (entry ?? {}) as Json
    const changeType = typeof type === 'number' ? changeTypeOfCode.get(type) : undefined
    if (typeof id !== 'string' || !Number.isSafeInteger(seq) || changeType === undefined)
      return undefined
    const decoded = changeFromJson(changeType, change)
    if (decoded === undefined || !isDataChange(decoded)) return undefined
    pendingOut.push({ id, seq: seq as number, change: decoded })
  }
  const outcomesOut: (readonly [string, Outcome])[] = []
  for (const entry of outcomes) {
    if (
      !Array.isArray(entry) ||
      typeof entry[0] !== 'string' ||
      (entry[1] !== 'c' && entry[1] !== 'a')
    )
      return undefined
    outcomesOut.push([entry[0], entry[1] === 'c' ? 'committed' : 'aborted'])
  }
  return { nextId: nextId as number, pending: pendingOut, outcomes: outcomesOut }
}

/**
 * Rebuilds a state at `seq` from a meta record and object records (intact ones, or placeholders
 * flagged unavailable). Returns a problem instead when the records are inconsistent.
 */
export function buildState(
  seq: number,
  meta: MetaData,
  records: readonly IntactRecord[],
): { state: CatalogState } | { problem: string } {
  const draft = new Draft(genesis)
  const spaces = records.filter((record) => record.kind === recordKinds.space)
  for (const record of spaces) {
    const env = envFromJson((record.payload as Json | null)?.env)
    if (env === undefined) return { problem: `space ${record.name}: bad payload` }
    if (draft.spaces.has(record.name) || draft.spacesById.has(record.key))
      return { problem: `space ${record.name} twice` }
    draft.putSpace({ id: record.key, name: record.name, env }, record.changedSeq)
  }
  for (const record of records) {
    const problem =
      record.kind === recordKinds.model
        ? putModelRecord(draft, record)
        : record.kind === recordKinds.user
        ? putUserRecord(draft, record)
        : undefined
    if (problem !== undefined) return { problem }
  }
  for (const entry of meta.pending) {
    draft
      .writablePending()
      .set(entry.id, { id: entry.id, change: entry.change, preparedSeq: entry.seq })
  }
  for (const [id, outcome] of meta.outcomes) draft.recordOutcome(id, outcome)
  draft.nextId = Math.max(draft.nextId, meta.nextId)
  draft.seq = seq
  return { state: draft.finish() }
}

function putModelRecord(draft: Draft, record: IntactRecord): string | undefined {
  const space = draft.spacesById.get(record.parent)
  if (space === undefined) return `model ${record.name}: space ${record.parent} missing`
  if (draft.modelByName(record.parent, record.name) !== undefined)
    return `model ${record.name} twice`
  const payload = (record.payload ?? {}) as Json
  if ((record.flags & flagUnavailable) !== 0) {
    const reason = typeof payload.reason === 'string' ? payload.reason : 'unavailable'
    const identity = { id: record.key, spaceId: record.parent, name: record.name }
    draft.putModel(makeUnavailableModel(identity, space.name, record.changedSeq, reason))
    return undefined
  }
  const fields = fieldsFromJson(payload.fields)
  const primaryKey = payload.pk
  if (
    fields === undefined ||
    typeof primaryKey !== 'string' ||
    !fields.some((field) => field.name === primaryKey)
  ) {
    return `model ${record.name}: bad payload`
  }
  const data = { id: record.key, spaceId: record.parent, name: record.name, fields, primaryKey }
  draft.putModel(makeModel(data, space.name, record.changedSeq))
  return undefined
}

function putUserRecord(draft: Draft, record: IntactRecord): string | undefined {
  if (draft.users.has(record.name)) return `user ${record.name} twice`
  const payload = (record.payload ?? {}) as Json
  if ((record.flags & flagUnavailable) !== 0) {
    const reason = typeof payload.reason === 'string' ? payload.reason : 'unavailable'
    draft.putUser(makeUnavailableUser(record.key, record.name, record.changedSeq, reason))
    return undefined
  }
  const credential = credentialFromJson(payload.credential)
  if (credential === undefined || typeof payload.root !== 'boolean')
    return `user ${record.name}: bad payload`
  draft.putUser(
    makeUser(
      { id: record.key, name: record.name, root: payload.root, credential },
      record.changedSeq,
    ),
  )
  return undefined
}
