/**
 * Planning: checks one DDL operation against a catalog state, in the order the BlueQL spec gives
 * (§4.1-§4.6, §4.14), and turns it into a fully resolved change, or `undefined` when it changes
 * nothing. Planning never modifies the state: a failed check leaves the catalog as it was.
 */
import { assert } from '@sky/std'
import type { Credential, Field, Model } from '../catalog.js'
import {
  GnsAlreadyExistsError,
  GnsAuthError,
  GnsBadModelDefinitionError,
  GnsCatalogFullError,
  GnsIllegalAlterError,
  GnsInvalidPropertiesError,
  GnsInvalidTypeError,
  GnsModelUnavailableError,
  GnsNeedLockError,
  GnsNotEmptyError,
  GnsNotFoundError,
  GnsPrepareConflictError,
  GnsUnknownFieldError,
} from '../errors.js'
import { classifyTypeChange, isPrimaryKeyType, resolveTypeSpec } from '../field-type.js'
import { checkName } from '../names.js'
import type { AlterFieldInput, AlterModelAction, DdlOp, FieldInput } from '../operations.js'
import { type DictInput, envForAlter, envForCreate, envToJson, isLiteral } from '../properties.js'
import type { DataChange } from './change.js'
import {
  catalogBytesMax,
  fieldsPerModelMax,
  objectsMax,
  passwordBytesMax,
  pendingPreparesMax,
} from './limits.js'
import type { CatalogState } from './state.js'

/** What a prepare (or a change) locks: a whole space, one model of a space, or one user. */
interface Target {
  readonly space?: string
  readonly model?: string
  readonly user?: string
}

function targetOfChange(state: CatalogState, change: DataChange): Target {
  const spaceName = (id: number): string => state.spacesById.get(id)?.name ?? `#${id}`
  switch (change.type) {
    case 'createSpace':
    case 'alterSpace':
      return { space: change.space.name }
    case 'dropSpace':
      return { space: change.name }
    case 'createModel':
    case 'alterModel':
      return { space: spaceName(change.model.spaceId), model: change.model.name }
    case 'dropModel':
      return { space: spaceName(change.spaceId), model: change.name }
    case 'createUser':
    case 'alterUser':
      return { user: change.user.name }
    case 'dropUser':
      return { user: change.name }
  }
}

function overlaps(a: Target, b: Target): boolean {
  if (a.user !== undefined || b.user !== undefined) return a.user === b.user
  if (a.space !== b.space) return false
  return a.model === undefined || b.model === undefined || a.model === b.model
}

/** @throws GnsPrepareConflictError when a pending prepare touches the same object. */
function checkNoConflict(state: CatalogState, target: Target): void {
  for (const pending of state.pending.values()) {
    if (overlaps(targetOfChange(state, pending.change), target)) {
      const what =
        target.user ??
        (target.model === undefined ? `space ${target.space}` : `${target.space}.${target.model}`)
      throw new GnsPrepareConflictError(what, pending.id)
    }
  }
}

function checkRoom(state: CatalogState, addedBytes: number): void {
  if (state.objectCount + 1 > objectsMax)
    throw new GnsCatalogFullError(`more than ${objectsMax} objects`)
  if (state.catalogBytes + addedBytes > catalogBytesMax) {
    throw new GnsCatalogFullError(`the catalog would exceed ${catalogBytesMax} bytes`)
  }
}

/**
 * Plans `op` against `state`. `credential` is the hashed password of create/alter user (hashed by
 * the caller after {@link passwordOf} accepted the properties).
 *
 * @returns the change, or undefined when the operation changes nothing.
 */
export function planOp(
  state: CatalogState,
  op: DdlOp,
  credential?: Credential,
): DataChange | undefined {
  switch (op.kind) {
    case 'createSpace':
      return planCreateSpace(state, op)
    case 'alterSpace':
      return planAlterSpace(state, op)
    case 'dropSpace':
      return planDropSpace(state, op)
    case 'createModel':
      return planCreateModel(state, op)
    case 'alterModel':
      return planAlterModel(state, op)
    case 'dropModel':
      return planDropModel(state, op)
    case 'createUser':
    case 'alterUser':
    case 'dropUser':
      return planUser(state, op, credential)
    default:
      throw new TypeError(`unknown DDL operation ${String((op as { kind?: unknown }).kind)}`)
  }
}

/** Whether a prepare may be added (there is room in the pending table). */
export function checkPrepareRoom(state: CatalogState): void {
  if (state.pending.size >= pendingPreparesMax) {
    throw new GnsCatalogFullError(`more than ${pendingPreparesMax} prepared operations pending`)
  }
}

function planCreateSpace(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'createSpace' }>,
): DataChange | undefined {
  checkName(op.name)
  const env = envForCreate(op.properties)
  if (state.spaces.has(op.name)) {
    if (op.ifNotExists === true) return undefined
    throw new GnsAlreadyExistsError(`space ${op.name}`)
  }
  checkNoConflict(state, { space: op.name })
  checkRoom(state, 256 + op.name.length)
  return { type: 'createSpace', space: { id: state.nextId, name: op.name, env } }
}

function planAlterSpace(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'alterSpace' }>,
): DataChange | undefined {
  checkName(op.name)
  const space = state.spaces.get(op.name)
  if (space === undefined) throw new GnsNotFoundError(`space ${op.name}`)
  const env = envForAlter(space.env, op.properties)
  if (JSON.stringify(envToJson(env)) === JSON.stringify(envToJson(space.env))) return undefined
  checkNoConflict(state, { space: op.name })
  return { type: 'alterSpace', space: { id: space.id, name: space.name, env } }
}

function planDropSpace(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'dropSpace' }>,
): DataChange | undefined {
  checkName(op.name)
  const space = state.spaces.get(op.name)
  if (space === undefined) {
    if (op.ifExists === true) return undefined
    throw new GnsNotFoundError(`space ${op.name}`)
  }
  if (space.models.size > 0 && op.allowNotEmpty !== true)
    throw new GnsNotEmptyError(`space ${op.name}`)
  checkNoConflict(state, { space: op.name })
  return { type: 'dropSpace', spaceId: space.id, name: space.name }
}

// --- create model ------------------------------------------------------------------------------

function hasEntries(dict: DictInput | undefined): boolean {
  return dict !== undefined && (!(dict instanceof Map) || dict.size > 0)
}

/** Checks the fields of create model (spec §4.4 order) and returns them with the primary key. */
function resolveFields(inputs: readonly FieldInput[]): { fields: Field[]; primaryKey: string } {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new GnsBadModelDefinitionError('a model needs a field')
  if (inputs.length > fieldsPerModelMax) {
    throw new GnsBadModelDefinitionError(`more than ${fieldsPerModelMax} fields`)
  }
  const fields: Field[] = []
  const seen = new Set<string>()
  for (const input of inputs) {
    if (seen.has(input.name))
      throw new GnsBadModelDefinitionError(`field ${input.name} declared twice`)
    seen.add(input.name)
    fields.push({
      name: input.name,
      type: resolveTypeSpec(input.type),
      nullable: input.nullable === true,
    })
  }
  const primaries = inputs.filter((input) => input.primary === true)
  if (primaries.length > 1) throw new GnsBadModelDefinitionError('more than one primary key')
  const primaryKey = primaries[0]?.name ?? inputs[0]!.name
  const key = fields.find((field) => field.name === primaryKey)
  assert(key !== undefined, 'the primary key is a declared field')
  if (!isPrimaryKeyType(key.type)) {
    throw new GnsBadModelDefinitionError(
      `primary key ${primaryKey} must be an int, string or binary`,
    )
  }
  if (key.nullable)
    throw new GnsBadModelDefinitionError(`primary key ${primaryKey} cannot be nullable`)
  return { fields, primaryKey }
}

function planCreateModel(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'createModel' }>,
): DataChange | undefined {
  checkName(op.space)
  checkName(op.name)
  if (Array.isArray(op.fields)) for (const field of op.fields) checkName(field.name)
  if (hasEntries(op.properties)) throw new GnsBadModelDefinitionError('models take no properties')
  const { fields, primaryKey } = resolveFields(op.fields)
  const space = state.spaces.get(op.space)
  if (space === undefined) throw new GnsNotFoundError(`space ${op.space}`)
  if (space.models.has(op.name)) {
    if (op.ifNotExists === true) return undefined
    throw new GnsAlreadyExistsError(`model ${op.space}.${op.name}`)
  }
  checkNoConflict(state, { space: op.space, model: op.name })
  checkRoom(
    state,
    256 + op.name.length + fields.reduce((sum, field) => sum + 64 + field.name.length, 0),
  )
  return {
    type: 'createModel',
    model: { id: state.nextId, spaceId: space.id, name: op.name, fields, primaryKey },
  }
}

// --- alter model -------------------------------------------------------------------------------

function existingModel(state: CatalogState, spaceName: string, name: string): Model {
  const space = state.spaces.get(spaceName)
  if (space === undefined) throw new GnsNotFoundError(`space ${spaceName}`)
  const model = space.models.get(name)
  if (model === undefined) throw new GnsNotFoundError(`model ${spaceName}.${name}`)
  return model
}

/** The `nullable` entry of an alter body: a bool literal, false when absent. */
function nullableOf(input: AlterFieldInput): boolean {
  const value = input.properties?.get('nullable')
  if (value === undefined) return false
  if (!isLiteral(value) || value.type !== 'bool') {
    throw new GnsInvalidPropertiesError(`nullable of ${input.name} must be a bool`)
  }
  return value.value
}

function planAlterModel(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'alterModel' }>,
): DataChange | undefined {
  checkName(op.space)
  checkName(op.name)
  const model = existingModel(state, op.space, op.name)
  if (model.unavailable !== undefined) {
    throw new GnsModelUnavailableError(`model ${op.space}.${op.name}`, model.unavailable)
  }
  checkNoConflict(state, { space: op.space, model: op.name })
  const fields = alteredFields(model, op.action)
  if (fields === undefined) return undefined
  if (fields.length > fieldsPerModelMax)
    throw new GnsBadModelDefinitionError(`more than ${fieldsPerModelMax} fields`)
  checkRoom(
    state,
    fields.reduce((sum, field) => sum + 64 + field.name.length, 0),
  )
  const { id, spaceId, name, primaryKey } = model
  return { type: 'alterModel', model: { id, spaceId, name, fields, primaryKey } }
}

/** The model's fields after the action, or undefined when it changes nothing. */
function alteredFields(model: Model, action: AlterModelAction): Field[] | undefined {
  switch (action?.kind) {
    case 'add':
      return addFields(model, action.fields)
    case 'update':
      return updateFields(model, action.fields)
    case 'remove':
      return removeFields(model, action.names)
    default:
      throw new TypeError('alter model needs an add, update or remove action')
  }
}

function addFields(model: Model, inputs: readonly AlterFieldInput[]): Field[] {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new GnsIllegalAlterError('add needs a field')
  const fields = [...model.fields]
  for (const input of inputs) {
    checkName(input.name)
    if (input.name === model.primaryKey)
      throw new GnsIllegalAlterError(`${input.name} is the primary key`)
    if (fields.some((field) => field.name === input.name)) {
      throw new GnsIllegalAlterError(`field ${input.name} already exists`)
    }
    const nullable = nullableOf(input)
    if (input.type === undefined)
      throw new GnsInvalidTypeError(`added field ${input.name} needs a type`)
    fields.push({ name: input.name, type: resolveTypeSpec(input.type), nullable })
  }
  return fields
}

function updateFields(model: Model, inputs: readonly AlterFieldInput[]): Field[] | undefined {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new GnsIllegalAlterError('update needs a field')
  const fields = [...model.fields]
  const seen = new Set<string>()
  let changed = false
  for (const input of inputs) {
    checkName(input.name)
    const at = fields.findIndex((field) => field.name === input.name)
    if (at < 0) throw new GnsUnknownFieldError(input.name)
    if (input.name === model.primaryKey)
      throw new GnsIllegalAlterError(`${input.name} is the primary key`)
    if (seen.has(input.name)) throw new GnsIllegalAlterError(`field ${input.name} updated twice`)
    seen.add(input.name)
    for (const key of input.properties?.keys() ?? []) {
      if (key !== 'nullable')
        throw new GnsIllegalAlterError(`update takes only type and nullable, not ${key}`)
    }
    const current = fields[at]!
    const nullable = nullableOf(input)
    const type = input.type === undefined ? current.type : resolveTypeSpec(input.type)
    const change = classifyTypeChange(current.type, type)
    if (change === 'deeper') throw new GnsIllegalAlterError(`${input.name} cannot gain list levels`)
    if (change === 'class-change')
      throw new GnsInvalidTypeError(`${input.name} cannot change its type class`)
    if (change === 'narrow') throw new GnsNeedLockError(`narrowing ${input.name}`)
    if (current.nullable && !nullable)
      throw new GnsNeedLockError(`making ${input.name} non-nullable`)
    if (change === 'widen' || nullable !== current.nullable) {
      fields[at] = { name: current.name, type, nullable }
      changed = true
    }
  }
  return changed ? fields : undefined
}

function removeFields(model: Model, names: readonly string[]): Field[] {
  if (!Array.isArray(names) || names.length === 0)
    throw new GnsIllegalAlterError('remove needs a field')
  const removed = new Set<string>()
  for (const name of names) {
    checkName(name)
    if (removed.has(name)) throw new GnsIllegalAlterError(`field ${name} listed twice`)
    if (!model.fields.some((field) => field.name === name)) throw new GnsUnknownFieldError(name)
    if (name === model.primaryKey) throw new GnsIllegalAlterError(`${name} is the primary key`)
    removed.add(name)
  }
  return model.fields.filter((field) => !removed.has(field.name))
}

function planDropModel(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'dropModel' }>,
): DataChange | undefined {
  checkName(op.space)
  checkName(op.name)
  const space = state.spaces.get(op.space)
  if (space === undefined) throw new GnsNotFoundError(`space ${op.space}`) // even with if exists
  const model = space.models.get(op.name)
  if (model === undefined) {
    if (op.ifExists === true) return undefined
    throw new GnsNotFoundError(`model ${op.space}.${op.name}`)
  }
  if (op.hasData === true && op.allowNotEmpty !== true)
    throw new GnsNotEmptyError(`model ${op.space}.${op.name}`)
  checkNoConflict(state, { space: op.space, model: op.name })
  return { type: 'dropModel', spaceId: space.id, modelId: model.id, name: model.name }
}

// --- users -------------------------------------------------------------------------------------

/**
 * The password of create/alter user properties: exactly `{ password: <string> }` (spec §4.14).
 *
 * @throws GnsInvalidNameError for a bad user name, GnsInvalidPropertiesError for anything else.
 */
export function passwordOf(op: Extract<DdlOp, { kind: 'createUser' | 'alterUser' }>): string {
  checkName(op.name)
  const properties = op.properties
  if (!(properties instanceof Map))
    throw new GnsInvalidPropertiesError('user properties must be a dictionary')
  for (const key of properties.keys()) {
    if (key !== 'password') throw new GnsInvalidPropertiesError(`unknown user property ${key}`)
  }
  const password = properties.get('password')
  if (password === undefined) throw new GnsInvalidPropertiesError('password is required')
  if (!isLiteral(password) || password.type !== 'string') {
    throw new GnsInvalidPropertiesError('password must be a string')
  }
  if (Buffer.byteLength(password.value) > passwordBytesMax) {
    throw new GnsInvalidPropertiesError(`password longer than ${passwordBytesMax} bytes`)
  }
  return password.value
}

function planUser(
  state: CatalogState,
  op: Extract<DdlOp, { kind: 'createUser' | 'alterUser' | 'dropUser' }>,
  credential: Credential | undefined,
): DataChange {
  checkName(op.name)
  const existing = state.users.get(op.name)
  if (op.kind === 'dropUser') {
    if (op.actor === op.name) throw new GnsAuthError('you cannot drop yourself')
    if (existing === undefined) throw new GnsAuthError(`no user ${op.name}`)
    checkNoConflict(state, { user: op.name })
    return { type: 'dropUser', userId: existing.id, name: op.name }
  }
  assert(credential !== undefined, 'create/alter user comes with its hashed password')
  if (op.kind === 'createUser') {
    if (existing !== undefined) throw new GnsAuthError(`user ${op.name} exists`)
    checkNoConflict(state, { user: op.name })
    checkRoom(state, 512 + op.name.length)
    return {
      type: 'createUser',
      user: { id: state.nextId, name: op.name, root: op.root === true, credential },
    }
  }
  if (existing === undefined) throw new GnsAuthError(`no user ${op.name}`)
  checkNoConflict(state, { user: op.name })
  return {
    type: 'alterUser',
    user: { id: existing.id, name: op.name, root: existing.root, credential },
  }
}

/** A short description of a change, for reports: `dropModel shop.orders`. */
export function describeChange(state: CatalogState, change: DataChange): string {
  const target = targetOfChange(state, change)
  const what =
    target.user ?? (target.model === undefined ? target.space : `${target.space}.${target.model}`)
  return `${change.type} ${what ?? ''}`
}
