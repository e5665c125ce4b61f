/**
 * Changes: what one catalog event does, fully resolved (ids assigned, definitions complete), so
 * that applying a change never needs validation and every create/alter change carries the whole
 * object it leaves behind. That last property lets recovery rebuild one object from the single
 * event that last changed it (see the decision table in README.md).
 */
import type { Credential, Field } from '../catalog.js'
import type { EnvDict } from '../properties.js'

export interface SpaceData {
  readonly id: number
  readonly name: string
  readonly env: EnvDict
}

export interface ModelData {
  readonly id: number
  readonly spaceId: number
  readonly name: string
  readonly fields: readonly Field[]
  readonly primaryKey: string
}

export interface UserData {
  readonly id: number
  readonly name: string
  readonly root: boolean
  readonly credential: Credential
}

/** A change to spaces, models or users. */
export type DataChange =
  | { readonly type: 'createSpace'; readonly space: SpaceData }
  | { readonly type: 'alterSpace'; readonly space: SpaceData }
  | { readonly type: 'dropSpace'; readonly spaceId: number; readonly name: string }
  | { readonly type: 'createModel'; readonly model: ModelData }
  | { readonly type: 'alterModel'; readonly model: ModelData }
  | {
      readonly type: 'dropModel'
      readonly spaceId: number
      readonly modelId: number
      readonly name: string
    }
  | { readonly type: 'createUser'; readonly user: UserData }
  | { readonly type: 'alterUser'; readonly user: UserData }
  | { readonly type: 'dropUser'; readonly userId: number; readonly name: string }

/** A change, or a step of the two-phase protocol. A commit repeats the change it commits. */
export type Change =
  | DataChange
  | { readonly type: 'prepare'; readonly prepareId: string; readonly change: DataChange }
  | { readonly type: 'commit'; readonly prepareId: string; readonly change: DataChange }
  | { readonly type: 'abort'; readonly prepareId: string }

export type ChangeType = Change['type']

/** The type byte of each change in an event envelope (FORMAT.md). Never renumber. */
export const changeTypeCodes: Readonly<Record<ChangeType, number>> = {
  createSpace: 1,
  alterSpace: 2,
  dropSpace: 3,
  createModel: 4,
  alterModel: 5,
  dropModel: 6,
  createUser: 7,
  alterUser: 8,
  dropUser: 9,
  prepare: 10,
  commit: 11,
  abort: 12,
}

export const changeTypeOfCode: ReadonlyMap<number, ChangeType> = new Map(
  Object.entries(changeTypeCodes).map(([type, code]) => [code, type as ChangeType]),
)

const dataChangeTypes: ReadonlySet<string> = new Set([
  'createSpace',
  'alterSpace',
  'dropSpace',
  'createModel',
  'alterModel',
  'dropModel',
  'createUser',
  'alterUser',
  'dropUser',
])

export function isDataChange(change: Change): change is DataChange {
  return dataChangeTypes.has(change.type)
}
