/**
 * The catalog as readers see it: immutable versions of spaces, models and users.
 *
 * Invariants of every {@link CatalogVersion}: it never changes once published (new DDL publishes a
 * new version, readers keep theirs without locks); ids are unique and never reused (a dropped and
 * recreated model gets a new id); each model has exactly one primary key field, of an int, string
 * or binary type, not nullable; field names are unique within a model.
 */
import type { FieldType } from './field-type.js'
import type { EnvDict } from './properties.js'

/** One field of a model. */
export interface Field {
  readonly name: string
  readonly type: FieldType
  readonly nullable: boolean
}

/** A model: a named, typed collection of rows in a space. */
export interface Model {
  /** Unique over the catalog's whole history; never reused. */
  readonly id: number
  readonly spaceId: number
  /** Name of the space holding it. */
  readonly space: string
  readonly name: string
  /** In declaration order; empty when the model is unavailable. */
  readonly fields: readonly Field[]
  /** Name of the primary key field ('' when the model is unavailable). */
  readonly primaryKey: string
  /** Sequence number of the event that last changed this definition. */
  readonly changedSeq: number
  /**
   * Why this model's definition is unavailable, or undefined when it is available. An unavailable
   * model was damaged in every copy that held it: its name is kept so no other model takes it, and
   * only `drop model` is allowed on it.
   */
  readonly unavailable: string | undefined
}

/** A space: a named container of models with an `env` dictionary. */
export interface Space {
  readonly id: number
  readonly name: string
  readonly env: EnvDict
  /** Models by name. */
  readonly models: ReadonlyMap<string, Model>
  /** The same models by id. */
  readonly modelsById: ReadonlyMap<number, Model>
  readonly changedSeq: number
}

/** How a password is stored: scrypt with the user's own salt and parameters. */
export interface Credential {
  readonly algorithm: 'scrypt'
  /** scrypt N (CPU/memory cost), a power of two. */
  readonly cost: number
  /** scrypt r. */
  readonly blockSize: number
  /** scrypt p. */
  readonly parallelization: number
  readonly salt: Uint8Array
  /** The derived key; its length is the key length used. */
  readonly hash: Uint8Array
}

/** A user who may connect. */
export interface User {
  readonly id: number
  readonly name: string
  /** Root may run DDL and user management. */
  readonly root: boolean
  /** Undefined only when the user is unavailable (its record was lost to damage). */
  readonly credential: Credential | undefined
  readonly changedSeq: number
  /** Why this user's record is unavailable, or undefined. An unavailable user cannot log in. */
  readonly unavailable: string | undefined
}

/**
 * One immutable version of the catalog. Hold it as long as needed: it never changes.
 *
 * @example
 * ```ts
 * const version = gns.current
 * const model = version.model('shop', 'orders')
 * if (model !== undefined && model.unavailable === undefined) plan(model.fields)
 * ```
 */
export interface CatalogVersion {
  /** Sequence number of the last event applied (0 for an empty catalog). */
  readonly seq: number
  /** Spaces by name. */
  readonly spaces: ReadonlyMap<string, Space>
  /** Users by name. */
  readonly users: ReadonlyMap<string, User>
  /** The space named, if any. */
  space(name: string): Space | undefined
  /** The space with this id, if any. */
  spaceById(id: number): Space | undefined
  /** The model `space.name`, if any (it may be unavailable: check `model.unavailable`). */
  model(space: string, name: string): Model | undefined
  /** The model with this id, if any. */
  modelById(id: number): Model | undefined
  /** Every model whose definition is unavailable, with the reason. */
  unavailableModels(): Model[]
}
