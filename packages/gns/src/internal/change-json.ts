/**
 * The JSON form of changes and catalog objects, as carried inside events and checkpoint records
 * (FORMAT.md, "Bodies"). Decoders check every field and return undefined on anything malformed, so
 * a body that passed its checksum but is not a valid object (a bug, or bytes from elsewhere) is
 * treated as damage, never trusted.
 */
import type { Credential, Field } from '../catalog.js'
import { formatFieldType, parseFieldType } from '../field-type.js'
import { nameProblem } from '../names.js'
import { envFromJson, envToJson } from '../properties.js'
import {
  type Change,
  type ChangeType,
  type DataChange,
  type ModelData,
  type SpaceData,
  type UserData,
  changeTypeCodes,
  changeTypeOfCode,
  isDataChange,
} from './change.js'

type Json = Record<string, unknown>

const isId = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0
const isName = (value: unknown): value is string => nameProblem(value) === undefined
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const fromBase64 = (value: unknown): Uint8Array | undefined =>
  typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)
    ? new Uint8Array(Buffer.from(value, 'base64'))
    : undefined

// --- objects -----------------------------------------------------------------------------------

export function fieldsToJson(fields: readonly Field[]): unknown[] {
  return fields.map((field) => ({
    n: field.name,
    t: formatFieldType(field.type),
    null: field.nullable,
  }))
}

export function fieldsFromJson(json: unknown): Field[] | undefined {
  if (!Array.isArray(json)) return undefined
  const fields: Field[] = []
  for (const entry of json) {
    if (!isObject(entry) || !isName(entry.n) || typeof entry.null !== 'boolean') return undefined
    const type = typeof entry.t === 'string' ? parseFieldType(entry.t) : undefined
    if (type === undefined) return undefined
    fields.push({ name: entry.n, type, nullable: entry.null })
  }
  return fields
}

export function credentialToJson(credential: Credential): Json {
  const { cost, blockSize, parallelization } = credential
  return {
    a: 'scrypt',
    N: cost,
    r: blockSize,
    p: parallelization,
    salt: base64(credential.salt),
    hash: base64(credential.hash),
  }
}

export function credentialFromJson(json: unknown): Credential | undefined {
  if (!isObject(json) || json.a !== 'scrypt') return undefined
  const { N, r, p } = json
  if (!Number.isSafeInteger(N) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p))
    return undefined
  const salt = fromBase64(json.salt)
  const hash = fromBase64(json.hash)
  if (salt === undefined || hash === undefined || hash.length === 0) return undefined
  return {
    algorithm: 'scrypt',
    cost: N as number,
    blockSize: r as number,
    parallelization: p as number,
    salt,
    hash,
  }
}

function spaceToJson(space: SpaceData): Json {
  return { id: space.id, name: space.name, env: envToJson(space.env) }
}

function spaceFromJson(json: unknown): SpaceData | undefined {
  if (!isObject(json) || !isId(json.id) || !isName(json.name)) return undefined
  const env = envFromJson(json.env)
  return env === undefined ? undefined : { id: json.id, name: json.name, env }
}

export function modelToJson(model: ModelData): Json {
  return {
    id: model.id,
    space: model.spaceId,
    name: model.name,
    fields: fieldsToJson(model.fields),
    pk: model.primaryKey,
  }
}

export function modelFromJson(json: unknown): ModelData | undefined {
  if (
    !isObject(json) ||
    !isId(json.id) ||
    !isId(json.space) ||
    !isName(json.name) ||
    !isName(json.pk)
  ) {
    return undefined
  }
  const fields = fieldsFromJson(json.fields)
  const primaryKey = json.pk
  if (fields === undefined || !fields.some((field) => field.name === primaryKey)) return undefined
  return { id: json.id, spaceId: json.space, name: json.name, fields, primaryKey }
}

function userToJson(user: UserData): Json {
  return {
    id: user.id,
    name: user.name,
    root: user.root,
    credential: credentialToJson(user.credential),
  }
}

function userFromJson(json: unknown): UserData | undefined {
  if (!isObject(json) || !isId(json.id) || !isName(json.name) || typeof json.root !== 'boolean')
    return undefined
  const credential = credentialFromJson(json.credential)
  return credential === undefined
    ? undefined
    : { id: json.id, name: json.name, root: json.root, credential }
}

// --- changes -----------------------------------------------------------------------------------

/** The JSON body of a change (its type travels separately, as the envelope's type byte). */
export function changeToJson(change: Change): Json {
  switch (change.type) {
    case 'createSpace':
    case 'alterSpace':
      return { space: spaceToJson(change.space) }
    case 'dropSpace':
      return { space: change.spaceId, name: change.name }
    case 'createModel':
    case 'alterModel':
      return { model: modelToJson(change.model) }
    case 'dropModel':
      return { space: change.spaceId, model: change.modelId, name: change.name }
    case 'createUser':
    case 'alterUser':
      return { user: userToJson(change.user) }
    case 'dropUser':
      return { user: change.userId, name: change.name }
    case 'prepare':
    case 'commit':
      return {
        id: change.prepareId,
        type: changeTypeCodes[change.change.type],
        change: changeToJson(change.change),
      }
    case 'abort':
      return { id: change.prepareId }
  }
}

/** Decodes a change body of the given type; undefined when malformed. */
export function changeFromJson(type: ChangeType, json: unknown): Change | undefined {
  if (!isObject(json)) return undefined
  switch (type) {
    case 'createSpace':
    case 'alterSpace': {
      const space = spaceFromJson(json.space)
      return space === undefined ? undefined : { type, space }
    }
    case 'dropSpace':
      return isId(json.space) && isName(json.name)
        ? { type, spaceId: json.space, name: json.name }
        : undefined
    case 'createModel':
    case 'alterModel': {
      const model = modelFromJson(json.model)
      return model === undefined ? undefined : { type, model }
    }
    case 'dropModel':
      return isId(json.space) && isId(json.model) && isName(json.name)
        ? { type, spaceId: json.space, modelId: json.model, name: json.name }
        : undefined
    case 'createUser':
    case 'alterUser': {
      const user = userFromJson(json.user)
      return user === undefined ? undefined : { type, user }
    }
    case 'dropUser':
      return isId(json.user) && isName(json.name)
        ? { type, userId: json.user, name: json.name }
        : undefined
    case 'prepare':
    case 'commit': {
      const innerType = typeof json.type === 'number' ? changeTypeOfCode.get(json.type) : undefined
      if (typeof json.id !== 'string' || json.id.length === 0 || innerType === undefined)
        return undefined
      const inner = changeFromJson(innerType, json.change)
      if (inner === undefined || !isDataChange(inner)) return undefined
      return { type, prepareId: json.id, change: inner as DataChange }
    }
    case 'abort':
      return typeof json.id === 'string' && json.id.length > 0
        ? { type, prepareId: json.id }
        : undefined
  }
}
