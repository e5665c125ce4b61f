/**
 * The catalog's internal state, its copy-on-write draft, and how a change is applied.
 *
 * A {@link CatalogState} is immutable once built. A {@link Draft} starts from one and copies each
 * map the first time it writes to it, so applying one change copies only what it touches, and
 * replaying ten thousand events into one draft copies each map once (open stays linear).
 *
 * Invariants (checked by `assertInvariants`): `spaces` and `spacesById` hold the same spaces; each
 * space's `models` and `modelsById` hold the same models, all with that space's id and name; every
 * id is below `nextId`; a pending prepare's change touches only objects that exist (or will be
 * created by it); `outcomes` holds at most `outcomesKeptMax` entries.
 */
import { assert } from '@sky/std'
import type { CatalogVersion, Credential, Field, Model, Space, User } from '../catalog.js'
import { formatFieldType } from '../field-type.js'
import { type EnvDict, envToJson } from '../properties.js'
import type { Change, DataChange, ModelData, SpaceData, UserData } from './change.js'
import { outcomesKeptMax } from './limits.js'
import { type MapEditor, PersistentMap } from './persistent-map.js'

/** A prepared (two-phase) change waiting for its commit or abort. */
export interface PendingPrepare {
  readonly id: string
  readonly change: DataChange
  /** Sequence number of the prepare event. */
  readonly preparedSeq: number
}

export type Outcome = 'committed' | 'aborted'

export interface CatalogState {
  readonly seq: number
  readonly nextId: number
  readonly spaces: PersistentMap<string, Space>
  readonly spacesById: PersistentMap<number, Space>
  readonly users: PersistentMap<string, User>
  readonly pending: ReadonlyMap<string, PendingPrepare>
  /** Recently resolved prepares, oldest first. */
  readonly outcomes: ReadonlyMap<string, Outcome>
  /** Spaces + models + users. */
  readonly objectCount: number
  /** An upper bound of the encoded image's body size. */
  readonly catalogBytes: number
}

export const genesis: CatalogState = Object.freeze({
  seq: 0,
  nextId: 1,
  spaces: PersistentMap.empty<string, Space>(),
  spacesById: PersistentMap.empty<number, Space>(),
  users: PersistentMap.empty<string, User>(),
  pending: new Map(),
  outcomes: new Map(),
  objectCount: 0,
  catalogBytes: 0,
})

// --- weights: upper bounds of each object's share of an encoded image ---------------------------

const recordOverheadBytes = 96

export function envBytes(env: EnvDict): number {
  return env.size === 0 ? 2 : Buffer.byteLength(JSON.stringify(envToJson(env)))
}

function weightOfSpace(space: { readonly name: string; readonly env: EnvDict }): number {
  return recordOverheadBytes + space.name.length + envBytes(space.env)
}

function weightOfModel(model: {
  readonly name: string
  readonly fields: readonly Field[]
}): number {
  let bytes = recordOverheadBytes + 2 * model.name.length + 64
  for (const field of model.fields)
    bytes += 40 + field.name.length + formatFieldType(field.type).length
  return bytes
}

function weightOfUser(user: {
  readonly name: string
  readonly credential: Credential | undefined
}): number {
  const secret =
    user.credential === undefined ? 0 : user.credential.salt.length + user.credential.hash.length
  return recordOverheadBytes + 80 + user.name.length + 2 * secret
}

// --- building frozen objects -------------------------------------------------------------------

export function makeField(field: Field): Field {
  return Object.freeze({ name: field.name, type: deepFreeze(field.type), nullable: field.nullable })
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

export function makeModel(data: ModelData, spaceName: string, changedSeq: number): Model {
  return Object.freeze({
    id: data.id,
    spaceId: data.spaceId,
    space: spaceName,
    name: data.name,
    fields: Object.freeze(data.fields.map(makeField)),
    primaryKey: data.primaryKey,
    changedSeq,
    unavailable: undefined,
  })
}

export function makeUnavailableModel(
  identity: { readonly id: number; readonly spaceId: number; readonly name: string },
  spaceName: string,
  changedSeq: number,
  reason: string,
): Model {
  return Object.freeze({
    id: identity.id,
    spaceId: identity.spaceId,
    space: spaceName,
    name: identity.name,
    fields: Object.freeze([]),
    primaryKey: '',
    changedSeq,
    unavailable: reason,
  })
}

export function makeUser(data: UserData, changedSeq: number): User {
  return Object.freeze({
    id: data.id,
    name: data.name,
    root: data.root,
    credential: Object.freeze({ ...data.credential }),
    changedSeq,
    unavailable: undefined,
  })
}

export function makeUnavailableUser(
  id: number,
  name: string,
  changedSeq: number,
  reason: string,
): User {
  return Object.freeze({
    id,
    name,
    root: false,
    credential: undefined,
    changedSeq,
    unavailable: reason,
  })
}

function makeSpace(
  data: SpaceData,
  models: PersistentMap<string, Model>,
  modelsById: PersistentMap<number, Model>,
  changedSeq: number,
): Space {
  return Object.freeze({
    id: data.id,
    name: data.name,
    env: data.env,
    models,
    modelsById,
    changedSeq,
  })
}

// --- the draft ------------------------------------------------------------------------------

/** What a draft reads: a finished map or an editor of one. */
interface Lookup<K, V> {
  get(key: K): V | undefined
  has(key: K): boolean
  readonly size: number
}

interface ModelEditors {
  readonly models: MapEditor<string, Model>
  readonly modelsById: MapEditor<number, Model>
}

function persistent<K extends string | number, V>(map: ReadonlyMap<K, V>): PersistentMap<K, V> {
  assert(map instanceof PersistentMap, 'catalog maps are persistent maps')
  return map
}

/** A state being changed. Not shared: build, apply changes, `finish()` once. */
export class Draft {
  seq: number
  nextId: number
  objectCount: number
  catalogBytes: number
  #base: CatalogState
  #spaces: MapEditor<string, Space> | undefined
  #spacesById: MapEditor<number, Space> | undefined
  #users: MapEditor<string, User> | undefined
  #pending: Map<string, PendingPrepare> | undefined
  #outcomes: Map<string, Outcome> | undefined
  readonly #touched = new Map<number, ModelEditors>()
  #finished = false

  constructor(base: CatalogState) {
    this.#base = base
    this.seq = base.seq
    this.nextId = base.nextId
    this.objectCount = base.objectCount
    this.catalogBytes = base.catalogBytes
  }

  get spaces(): Lookup<string, Space> {
    return this.#spaces ?? this.#base.spaces
  }
  get spacesById(): Lookup<number, Space> {
    return this.#spacesById ?? this.#base.spacesById
  }
  get users(): Lookup<string, User> {
    return this.#users ?? this.#base.users
  }
  get pending(): ReadonlyMap<string, PendingPrepare> {
    return this.#pending ?? this.#base.pending
  }
  get outcomes(): ReadonlyMap<string, Outcome> {
    return this.#outcomes ?? this.#base.outcomes
  }

  /** The models of a space, by id, as this draft sees them. */
  modelsOf(spaceId: number): Lookup<number, Model> | undefined {
    return this.#touched.get(spaceId)?.modelsById ?? this.spacesById.get(spaceId)?.modelsById
  }

  modelByName(spaceId: number, name: string): Model | undefined {
    const touched = this.#touched.get(spaceId)
    return touched !== undefined
      ? touched.models.get(name)
      : this.spacesById.get(spaceId)?.models.get(name)
  }

  #writableSpaces(): { byName: MapEditor<string, Space>; byId: MapEditor<number, Space> } {
    this.#spaces ??= this.#base.spaces.edit()
    this.#spacesById ??= this.#base.spacesById.edit()
    return { byName: this.#spaces, byId: this.#spacesById }
  }

  writableUsers(): MapEditor<string, User> {
    return (this.#users ??= this.#base.users.edit())
  }

  writablePending(): Map<string, PendingPrepare> {
    return (this.#pending ??= new Map(this.#base.pending))
  }

  writableOutcomes(): Map<string, Outcome> {
    return (this.#outcomes ??= new Map(this.#base.outcomes))
  }

  /** The writable model maps of an existing space. */
  writableModels(spaceId: number): ModelEditors {
    let editors = this.#touched.get(spaceId)
    if (editors === undefined) {
      const space = this.spacesById.get(spaceId)
      assert(space !== undefined, 'models are changed only in an existing space')
      editors = {
        models: persistent(space.models).edit(),
        modelsById: persistent(space.modelsById).edit(),
      }
      this.#touched.set(spaceId, editors)
    }
    return editors
  }

  putSpace(data: SpaceData, changedSeq: number): void {
    const { byName, byId } = this.#writableSpaces()
    const previous = byId.get(data.id)
    if (previous !== undefined) this.catalogBytes -= weightOfSpace(previous)
    else this.objectCount++
    const models =
      previous === undefined ? PersistentMap.empty<string, Model>() : persistent(previous.models)
    const byIds =
      previous === undefined
        ? PersistentMap.empty<number, Model>()
        : persistent(previous.modelsById)
    const space = makeSpace(data, models, byIds, changedSeq)
    if (previous !== undefined && previous.name !== data.name) byName.delete(previous.name)
    byName.set(data.name, space)
    byId.set(data.id, space)
    this.catalogBytes += weightOfSpace(space)
    this.nextId = Math.max(this.nextId, data.id + 1)
  }

  /** Removes a space and every model in it. */
  removeSpace(spaceId: number): void {
    const { byName, byId } = this.#writableSpaces()
    const space = byId.get(spaceId)
    assert(space !== undefined, 'a removed space exists')
    const touched = this.#touched.get(spaceId)
    const models = touched === undefined ? space.modelsById.values() : touched.modelsById.values()
    for (const model of models) {
      this.objectCount--
      this.catalogBytes -= weightOfModel(model)
    }
    byName.delete(space.name)
    byId.delete(spaceId)
    this.#touched.delete(spaceId)
    this.objectCount--
    this.catalogBytes -= weightOfSpace(space)
  }

  putModel(model: Model): void {
    const editors = this.writableModels(model.spaceId)
    const previous = editors.modelsById.get(model.id)
    if (previous !== undefined) {
      this.catalogBytes -= weightOfModel(previous)
      if (previous.name !== model.name) editors.models.delete(previous.name)
    } else {
      this.objectCount++
    }
    editors.models.set(model.name, model)
    editors.modelsById.set(model.id, model)
    this.catalogBytes += weightOfModel(model)
    this.nextId = Math.max(this.nextId, model.id + 1)
  }

  removeModel(spaceId: number, modelId: number): void {
    const editors = this.writableModels(spaceId)
    const model = editors.modelsById.get(modelId)
    assert(model !== undefined, 'a removed model exists')
    editors.models.delete(model.name)
    editors.modelsById.delete(modelId)
    this.objectCount--
    this.catalogBytes -= weightOfModel(model)
  }

  putUser(user: User): void {
    const users = this.writableUsers()
    const previous = users.get(user.name)
    if (previous !== undefined) this.catalogBytes -= weightOfUser(previous)
    else this.objectCount++
    users.set(user.name, user)
    this.catalogBytes += weightOfUser(user)
    this.nextId = Math.max(this.nextId, user.id + 1)
  }

  removeUser(name: string): void {
    const users = this.writableUsers()
    const user = users.get(name)
    assert(user !== undefined, 'a removed user exists')
    users.delete(name)
    this.objectCount--
    this.catalogBytes -= weightOfUser(user)
  }

  recordOutcome(id: string, outcome: Outcome): void {
    const outcomes = this.writableOutcomes()
    outcomes.delete(id)
    outcomes.set(id, outcome)
    while (outcomes.size > outcomesKeptMax) outcomes.delete(outcomes.keys().next().value as string)
  }

  /** The finished, immutable state. The draft cannot be used afterwards. */
  finish(): CatalogState {
    assert(!this.#finished, 'a draft finishes once')
    this.#finished = true
    if (this.#touched.size > 0) {
      const { byName, byId } = this.#writableSpaces()
      for (const [spaceId, editors] of this.#touched) {
        const space = byId.get(spaceId)
        if (space === undefined) continue
        const models = editors.models.finish()
        const modelsById = editors.modelsById.finish()
        const rebuilt = makeSpace(space, models, modelsById, space.changedSeq)
        byName.set(space.name, rebuilt)
        byId.set(spaceId, rebuilt)
      }
    }
    return Object.freeze({
      seq: this.seq,
      nextId: this.nextId,
      spaces: this.#spaces?.finish() ?? this.#base.spaces,
      spacesById: this.#spacesById?.finish() ?? this.#base.spacesById,
      users: this.#users?.finish() ?? this.#base.users,
      pending: this.pending,
      outcomes: this.outcomes,
      objectCount: this.objectCount,
      catalogBytes: this.catalogBytes,
    })
  }
}

// --- applying changes --------------------------------------------------------------------------

/**
 * Applies one change as event `seq`. Returns why it cannot apply (an event inconsistent with the
 * state, possible only when sources disagree), or undefined when applied.
 */
export function applyChange(draft: Draft, change: Change, seq: number): string | undefined {
  const problem = applyOne(draft, change, seq)
  if (problem === undefined) draft.seq = seq
  return problem
}

function applyOne(draft: Draft, change: Change, seq: number): string | undefined {
  switch (change.type) {
    case 'prepare': {
      if (draft.pending.has(change.prepareId)) return `prepare ${change.prepareId} exists`
      draft
        .writablePending()
        .set(change.prepareId, { id: change.prepareId, change: change.change, preparedSeq: seq })
      draft.nextId = Math.max(draft.nextId, idCreatedBy(change.change) + 1)
      return undefined
    }
    case 'commit': {
      if (!draft.pending.has(change.prepareId))
        return `commit of unknown prepare ${change.prepareId}`
      const problem = applyData(draft, change.change, seq)
      if (problem !== undefined) return problem
      draft.writablePending().delete(change.prepareId)
      draft.recordOutcome(change.prepareId, 'committed')
      return undefined
    }
    case 'abort': {
      if (!draft.pending.has(change.prepareId))
        return `abort of unknown prepare ${change.prepareId}`
      draft.writablePending().delete(change.prepareId)
      draft.recordOutcome(change.prepareId, 'aborted')
      return undefined
    }
    default:
      return applyData(draft, change, seq)
  }
}

/** The id a change creates, or 0. */
function idCreatedBy(change: DataChange): number {
  if (change.type === 'createSpace') return change.space.id
  if (change.type === 'createModel') return change.model.id
  if (change.type === 'createUser') return change.user.id
  return 0
}

function applyData(draft: Draft, change: DataChange, seq: number): string | undefined {
  switch (change.type) {
    case 'createSpace':
      if (draft.spaces.has(change.space.name)) return `space ${change.space.name} exists`
      if (draft.spacesById.has(change.space.id)) return `space id ${change.space.id} exists`
      draft.putSpace(change.space, seq)
      return undefined
    case 'alterSpace': {
      const space = draft.spacesById.get(change.space.id)
      if (space?.name !== change.space.name) return `space ${change.space.name} missing`
      draft.putSpace(change.space, seq)
      return undefined
    }
    case 'dropSpace':
      if (draft.spacesById.get(change.spaceId)?.name !== change.name)
        return `space ${change.name} missing`
      draft.removeSpace(change.spaceId)
      return undefined
    case 'createModel':
    case 'alterModel':
      return applyModel(draft, change.model, change.type === 'createModel', seq)
    case 'dropModel':
      if (draft.modelsOf(change.spaceId)?.get(change.modelId)?.name !== change.name) {
        return `model ${change.name} missing`
      }
      draft.removeModel(change.spaceId, change.modelId)
      return undefined
    case 'createUser':
    case 'alterUser': {
      const existing = draft.users.get(change.user.name)
      if ((existing === undefined) !== (change.type === 'createUser'))
        return `user ${change.user.name} mismatch`
      if (existing !== undefined && existing.id !== change.user.id)
        return `user ${change.user.name} id mismatch`
      draft.putUser(makeUser(change.user, seq))
      return undefined
    }
    case 'dropUser':
      if (draft.users.get(change.name)?.id !== change.userId) return `user ${change.name} missing`
      draft.removeUser(change.name)
      return undefined
  }
}

function applyModel(
  draft: Draft,
  model: ModelData,
  create: boolean,
  seq: number,
): string | undefined {
  const space = draft.spacesById.get(model.spaceId)
  if (space === undefined) return `space id ${model.spaceId} missing`
  const existing = draft.modelsOf(model.spaceId)?.get(model.id)
  if (create) {
    if (existing !== undefined || draft.modelByName(model.spaceId, model.name) !== undefined) {
      return `model ${model.name} exists`
    }
  } else if (existing?.name !== model.name) {
    return `model ${model.name} missing`
  }
  draft.putModel(makeModel(model, space.name, seq))
  return undefined
}

// --- the public view ---------------------------------------------------------------------------

/** A published, immutable catalog version over a state. */
export class CatalogView implements CatalogVersion {
  constructor(readonly state: CatalogState) {
    Object.freeze(this)
  }

  get seq(): number {
    return this.state.seq
  }

  get spaces(): ReadonlyMap<string, Space> {
    return this.state.spaces
  }

  get users(): ReadonlyMap<string, User> {
    return this.state.users
  }

  space(name: string): Space | undefined {
    return this.state.spaces.get(name)
  }

  spaceById(id: number): Space | undefined {
    return this.state.spacesById.get(id)
  }

  model(space: string, name: string): Model | undefined {
    return this.state.spaces.get(space)?.models.get(name)
  }

  modelById(id: number): Model | undefined {
    for (const space of this.state.spacesById.values()) {
      const model = space.modelsById.get(id)
      if (model !== undefined) return model
    }
    return undefined
  }

  unavailableModels(): Model[] {
    const result: Model[] = []
    for (const space of this.state.spacesById.values()) {
      for (const model of space.modelsById.values())
        if (model.unavailable !== undefined) result.push(model)
    }
    return result
  }
}

/** Checks the state's invariants; a failure is a bug. */
export function assertInvariants(state: CatalogState): void {
  assert(state.spaces.size === state.spacesById.size, 'spaces by name and by id agree')
  let objects = state.users.size
  for (const [name, space] of state.spaces) {
    assert(space.name === name, 'space keyed by its name')
    assert(state.spacesById.get(space.id) === space, 'space by id is the same object')
    assert(space.id < state.nextId, 'space id below nextId')
    assert(space.models.size === space.modelsById.size, 'models by name and by id agree')
    for (const [modelName, model] of space.models) {
      assert(model.name === modelName && model.spaceId === space.id, 'model keyed and placed right')
      assert(model.space === space.name, 'model carries its space name')
      assert(model.id < state.nextId, 'model id below nextId')
      if (model.unavailable === undefined) {
        assert(
          model.fields.some((field) => field.name === model.primaryKey),
          'model has its primary key',
        )
      }
    }
    objects += 1 + space.models.size
  }
  for (const user of state.users.values()) assert(user.id < state.nextId, 'user id below nextId')
  assert(objects === state.objectCount, 'object count matches')
  assert(state.outcomes.size <= outcomesKeptMax, 'outcomes bounded')
}
